"""Views shared by every role: the home dispatcher and the language switcher."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.forms import LanguageForm
from accounts.models import Role
from accounts.security import public_form_rate
from accounts.services import language_set
from factors.scales import FactorKey

ROLE_HOME = {
    Role.SEEKER: "seekers:home",
    Role.EMPLOYER: "employers:home",
    Role.PRACTITIONER: "practitioners:queue",
    Role.ADMIN: "practitioners:queue",
}


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: go to your role's room. Otherwise: what this service is."""
    if request.user.is_authenticated:
        return redirect(ROLE_HOME[request.user.role])
    return render(request, "home.html", {"factor_keys": FactorKey.choices})


@require_POST
@ratelimit(key="ip", rate=public_form_rate, group="language_switch")
def language_switch(request: HttpRequest) -> HttpResponse:
    """Works without JavaScript; remembers the choice on the account and in a cookie."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("home")
    language = form.cleaned_data["language"]
    target = form.cleaned_data["next"] or reverse("home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("home")
    if request.user.is_authenticated:
        language_set(user=request.user, language=language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 60 * 60,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response

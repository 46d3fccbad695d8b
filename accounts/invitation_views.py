"""Accepting an invitation: open to anyone holding a valid link."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from accounts.forms import InvitationAcceptForm, InvitationBusinessForm
from accounts.invitations import (
    AcceptDetails,
    InvitationError,
    invitation_accept,
    invitation_for_token,
)
from accounts.models import Role
from accounts.security import public_form_rate


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=public_form_rate, group="invitation_accept")
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token=token)
    if invitation is None or not invitation.is_pending:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_signed_in.html", {"invitation": invitation})
    needs_business = invitation.role == Role.EMPLOYER and invitation.organisation_id is None
    form = InvitationAcceptForm(request.POST or None)
    business = (
        InvitationBusinessForm(request.POST or None, prefix="business") if needs_business else None
    )
    error = ""
    if request.method == "POST" and form.is_valid() and (business is None or business.is_valid()):
        try:
            user = invitation_accept(
                token=token,
                details=AcceptDetails(
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                    language=(get_language() or "en")[:2],
                    organisation=business.cleaned_data if business is not None else None,
                ),
            )
        except InvitationError as refusal:
            error = str(refusal)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    context = {"invitation": invitation, "form": form, "business": business, "error": error}
    return render(request, "accounts/invitation_accept.html", context)

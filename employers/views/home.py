"""The business's overview and its mindset check."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import requires
from employers import services
from employers.forms import MindsetForm
from employers.selectors import (
    employer_prompts,
    membership_of,
    mindset_history,
    organisation_of,
    organisation_progress,
    roles_for,
)
from factors.selectors import current_version_or_404


@require_GET
@requires("employer.use")
def home(request: HttpRequest) -> HttpResponse:
    organisation, is_owner = membership_of(user=request.user)
    version = current_version_or_404()
    progress = organisation_progress(organisation=organisation, version=version)
    context = {
        "section": "home",
        "organisation": organisation,
        "is_owner": is_owner,
        "members": organisation.members.select_related("user"),
        "progress": progress,
        "done": sum(1 for p in progress if p.complete),
        "next_activity": next((p.factor for p in progress if not p.complete), None),
        "has_mindset": organisation.mindset_rounds.exists(),
        "role_count": roles_for(organisation=organisation).count(),
    }
    return render(request, "employers/home.html", context)


@require_http_methods(["GET", "POST"])
@requires("employer.use")
def mindset(request: HttpRequest) -> HttpResponse:
    """The employer mindset check: asked at intake and again later; every round is kept."""
    organisation = organisation_of(user=request.user)
    version = current_version_or_404()
    prompts = employer_prompts(version=version)
    status = 200
    if request.method == "POST":
        form = MindsetForm(request.POST, prompts=prompts)
        if form.is_valid():
            try:
                _round, created = services.mindset_round_record(
                    organisation=organisation,
                    version=version,
                    answers=form.answers(),
                    by=request.user,
                    token=form.cleaned_data["token"],
                )
            except services.EmployerError as error:
                form.add_error(None, str(error))
            else:
                if created:
                    messages.success(
                        request, _("Thank you. Your answers are saved with today's date.")
                    )
                return redirect("employers:mindset")
        status = 422
    else:
        form = MindsetForm(prompts=prompts)
    context = {
        "section": "mindset",
        "organisation": organisation,
        "form": form,
        "rows": form.rows(),
        "errors": form.error_list() if form.is_bound else [],
        "history": mindset_history(organisation=organisation),
    }
    return render(request, "employers/mindset.html", context, status=status)

"""The employer's room: always their own organisation, never another's."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import requires
from employers.selectors import organisation_of, organisation_progress
from factors.selectors import current_version_or_404


@require_GET
@requires("employer.use")
def home(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    version = current_version_or_404()
    progress = organisation_progress(organisation=organisation, version=version)
    context = {
        "organisation": organisation,
        "members": organisation.members.select_related("user"),
        "progress": progress,
        "done": sum(1 for p in progress if p.complete),
    }
    return render(request, "employers/home.html", context)

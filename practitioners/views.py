"""The practitioners' workspace."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import requires
from practitioners.selectors import caseload_organisations, caseload_seekers

PAGE_SIZE = 25


@require_GET
@requires("caseload.view")
def queue(request: HttpRequest) -> HttpResponse:
    seekers = Paginator(caseload_seekers(viewer=request.user), PAGE_SIZE).get_page(
        request.GET.get("seekers_page")
    )
    organisations = Paginator(caseload_organisations(viewer=request.user), PAGE_SIZE).get_page(
        request.GET.get("employers_page")
    )
    return render(
        request,
        "practitioners/queue.html",
        {"seekers": seekers, "organisations": organisations},
    )

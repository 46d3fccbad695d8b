"""Staff side of the seeker's rights: confirming a request to erase their data.

A practitioner sees the pending requests of their own caseload, an admin all of
them; anyone else gets 404 for a request id, so ids reveal nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import requires
from seekers import selectors, services
from seekers.forms import ConfirmForm


@require_GET
@requires("caseload.change")
def erasure_list(request: HttpRequest) -> HttpResponse:
    requests = selectors.erasure_requests_for(viewer=request.user)
    return render(request, "seekers/staff/erasure_list.html", {"requests": requests})


@require_POST
@requires("caseload.change")
def erasure_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = get_object_or_404(selectors.erasure_requests_for(viewer=request.user), pk=pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("seeker_staff:erasure_list")
    try:
        services.erasure_confirm(request=erasure, by=request.user)
    except services.SeekerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The person's records are anonymised."))
    return redirect("seeker_staff:erasure_list")

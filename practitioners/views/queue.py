"""The queue: both client types in one list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import Role
from accounts.permissions import requires
from practitioners.forms import QueueFilterForm
from practitioners.selectors.queue import filter_choices, queue_page, referrals_waiting


@require_GET
@requires("caseload.view")
def queue(request: HttpRequest) -> HttpResponse:
    choices = filter_choices(viewer=request.user)
    form = QueueFilterForm(request.GET, viewer=request.user, choices=choices)
    filters = form.filters()
    page, rows = queue_page(
        viewer=request.user, filters=filters, page_number=request.GET.get("page")
    )
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "referrals": list(referrals_waiting(viewer=request.user)),
        "is_admin": request.user.role == Role.ADMIN,
    }
    return render(request, "practitioners/queue.html", context)

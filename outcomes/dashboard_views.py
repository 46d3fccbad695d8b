"""The program dashboard's pages: the dashboard, a CSV per table, the program report."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import requires
from outcomes.dashboard.filters import DashboardFilterForm
from outcomes.dashboard.kept import dashboard_for_page
from reports.services import report_request


def _query(request: HttpRequest) -> str:
    return request.GET.urlencode()


@require_GET
@requires("outcomes.dashboard")
def dashboard(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    shown = dashboard_for_page(filters=form.filters(), today=timezone.localdate())
    context = {
        "form": form,
        "dashboard": shown.board,
        "refreshing": shown.refreshing,
        "query": _query(request),
    }
    return render(request, "outcomes/dashboard/dashboard.html", context)


@require_GET
@requires("outcomes.dashboard")
def dashboard_csv(request: HttpRequest, table: str) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None)
    board = dashboard_for_page(filters=form.filters(), today=timezone.localdate()).board
    found = board.table(table)
    if found is None:
        raise Http404("No such table.")
    response = HttpResponse(found.csv(), content_type="text/csv; charset=utf-8")
    stamp = board.today.isoformat()
    response["Content-Disposition"] = f'attachment; filename="{found.key}-{stamp}.csv"'
    return response


@require_POST
@requires("outcomes.dashboard")
def program_report(request: HttpRequest) -> HttpResponse:
    form = DashboardFilterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Fix the filters before asking for the report."))
        return redirect("dashboard:dashboard")
    result = report_request(
        owner=request.user,  # type: ignore[arg-type]
        kind="program",
        params=form.filters().as_params(),
        language=request.LANGUAGE_CODE,
    )
    if not result.created:
        messages.info(request, _("You already asked for this report. It is on its way."))
    return redirect("reports:detail", report_id=result.report.pk)

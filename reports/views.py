"""Report pages: ask, wait, download, and the list of one's own reports.

Thin on purpose: each view parses input, calls one service or selector, renders.
"""

from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import audit_view
from accounts.models import Role
from accounts.permissions import requires
from reports.forms import ReportRequestForm
from reports.models import Report
from reports.registry import kinds, renderer_for
from reports.selectors import report_for_viewer, reports_of
from reports.services import report_request

logger = logging.getLogger("thriving.access")

PAGE_SIZE = 25
# Without JavaScript the waiting page reloads itself for this long, then stops and
# offers a link: a page must not refresh forever on its own (WCAG 2.2.1).
AUTO_REFRESH_SECONDS = 120
HTMX_STOP_POLLING = 286  # htmx swaps this response in and stops polling


def _own_kinds(request: HttpRequest) -> list[str]:
    """Kinds the person can ask for about themself (no subject to choose)."""
    role = request.user.role  # type: ignore[union-attr]
    if role not in (Role.SEEKER, Role.EMPLOYER):
        return []
    return [kind for kind in kinds() if role in renderer_for(kind).roles]


@require_GET
@requires("reports.use")
def report_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(reports_of(viewer=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "own_kinds": _own_kinds(request),
        "keep_days": settings.REPORTS_KEEP_DAYS,
    }
    return render(request, "reports/list.html", context)


@require_POST
@requires("reports.use")
def report_ask(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        return render(request, "reports/request_invalid.html", {"form": form}, status=400)
    result = report_request(
        owner=request.user,  # type: ignore[arg-type]
        kind=form.cleaned_data["kind"],
        params=form.params(),
        language=request.LANGUAGE_CODE,
    )
    if not result.created:
        messages.info(request, _("You already asked for this report. It is on its way."))
    return redirect("reports:detail", report_id=result.report.pk)


@never_cache
@require_GET
@requires("reports.use")
def report_detail(request: HttpRequest, report_id: UUID) -> HttpResponse:
    report = report_for_viewer(viewer=request.user, report_id=report_id)  # type: ignore[arg-type]
    context = {"report": report, "auto_refresh": _auto_refresh(report)}
    if request.headers.get("HX-Request"):
        if report.is_active:
            return HttpResponse(status=204)  # nothing new: htmx keeps what is shown
        response = render(request, "reports/detail.html#status", context)
        response.status_code = HTMX_STOP_POLLING
        return response
    return render(request, "reports/detail.html", context)


@never_cache
@require_GET
@requires("reports.use")
def report_download(request: HttpRequest, report_id: UUID) -> HttpResponse:
    report = report_for_viewer(viewer=request.user, report_id=report_id)  # type: ignore[arg-type]
    if not report.is_ready:
        return redirect("reports:detail", report_id=report.pk)
    try:
        handle = default_storage.open(report.file.name, "rb")
    except FileNotFoundError as exc:
        logger.error("report %s: file %s missing from storage", report.pk, report.file.name)
        raise Http404("File missing.") from exc
    logger.info("report %s downloaded by user %s", report.pk, request.user.pk)
    audit_view(actor=request.user, subject=report, event="report.download")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_download_name(report),
        content_type="application/pdf",
    )


def _auto_refresh(report: Report) -> bool:
    return report.is_active and (
        (timezone.now() - report.created_at).total_seconds() < AUTO_REFRESH_SECONDS
    )


def _download_name(report: Report) -> str:
    day = timezone.localtime(report.finished_at or report.created_at).date().isoformat()
    return f"{slugify(report.title)[:80] or 'report'}-{day}.pdf"

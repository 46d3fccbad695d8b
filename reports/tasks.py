"""Celery tasks. They take ids only and keep no state of their own: the report row is
the truth (reports/pipeline.py explains how a job is done exactly once)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import Reject
from django.conf import settings

from reports.models import Report, ReportStatus
from reports.pipeline import Outcome, report_run
from reports.services import reports_cleanup, reports_sweep

logger = logging.getLogger("thriving.reports")

# A duplicate message that finds another worker still rendering looks again this many
# times; after that the sweeper covers the row if that worker dies.
BUSY_RECHECKS = 10


@shared_task(
    bind=True,
    name="reports.render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORTS_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TIME_LIMIT,
    max_retries=None,
    ignore_result=True,
)
def render_report(self, report_id: str) -> str:  # type: ignore[no-untyped-def]
    """Render one report. Retries are bounded by the row's attempts, not by Celery."""
    eager = bool(self.request.is_eager)
    result = report_run(report_id=report_id, eager=eager)
    if eager or result.outcome not in (Outcome.BUSY, Outcome.RETRY):
        return result.outcome.value
    if result.outcome is Outcome.BUSY and self.request.retries >= BUSY_RECHECKS:
        return result.outcome.value
    try:
        raise self.retry(countdown=result.countdown, max_retries=None)
    except Reject:
        # The retry could not be published (broker down): mark the row never sent, so
        # the sweeper re-sends it as soon as the broker is back.
        logger.warning("report %s: retry not published, left to the sweeper", report_id)
        Report.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(dispatched_at=None)
        raise


@shared_task(name="reports.sweep", soft_time_limit=30, time_limit=60, ignore_result=True)
def sweep_reports() -> int:
    return reports_sweep()


@shared_task(name="reports.cleanup", soft_time_limit=240, time_limit=300, ignore_result=True)
def cleanup_reports() -> str:
    result = reports_cleanup()
    return f"expired={result.expired} purged={result.purged} orphans={result.orphans}"

"""Celery tasks of the outcomes app. Each is idempotent and safe to run twice."""

from __future__ import annotations

import time
from typing import Any

from celery import shared_task
from django.core.cache import cache

from outcomes.services import follow_up_reminders_send, follow_ups_schedule

# The dashboard's recompute: a second job for the same filters, finding a worker already
# computing them, looks again this often; it gives up after the claim would have expired
# twice (the beat task or the next request asks again).
DASHBOARD_BUSY_COUNTDOWN = 10
DASHBOARD_BUSY_RETRIES = 24


@shared_task(name="outcomes.follow_ups", ignore_result=True)
def follow_ups_due() -> dict[str, int]:
    """Create the follow-ups that have come due, then email their reminders."""
    created = follow_ups_schedule()
    sent = follow_up_reminders_send()
    return {"created": created, "sent": sent}


@shared_task(name="outcomes.consents", ignore_result=True)
def consents_expire() -> int:
    """Expire consents given more than twelve months ago and ask for renewal."""
    from outcomes.consents import consents_expire as expire

    return expire()


@shared_task(
    bind=True,
    name="outcomes.dashboard_refresh",
    # Never lost: acknowledged only once done, and put back on the queue when the
    # worker running it dies; the kept copy is replaced only by a complete new one.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=90,
    max_retries=None,
    ignore_result=True,
)
def dashboard_refresh(  # type: ignore[no-untyped-def]
    self, params: dict[str, Any] | None = None, asked_at: float | None = None
) -> str:
    """Recompute the program dashboard's figures for ``params`` (filters as stored by
    ``DashboardFilter.as_params``; none: the figures without filters, as Celery beat asks)
    in every language. One worker computes a given set of filters at a time."""
    from outcomes.dashboard.filters import filters_from_params
    from outcomes.dashboard.kept import (
        COMPUTING_SECONDS,
        computing_key,
        dashboard_refresh_now,
        refresh_done,
    )

    filters = filters_from_params(params or {})
    # Figures computed after this moment answer this job (a retry after a busy colleague
    # then finds them and stops).
    asked_at = asked_at or time.time()
    if not cache.add(computing_key(filters), 1, COMPUTING_SECONDS):
        if self.request.is_eager or self.request.retries >= DASHBOARD_BUSY_RETRIES:
            return "busy"
        raise self.retry(
            kwargs={"params": params, "asked_at": asked_at}, countdown=DASHBOARD_BUSY_COUNTDOWN
        )
    try:
        computed = dashboard_refresh_now(filters=filters, asked_at=asked_at)
    finally:
        refresh_done(filters)
    return "computed" if computed else "already fresh"

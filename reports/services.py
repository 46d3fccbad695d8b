"""Writes of the report pipeline: ask for a report, send it to a worker, sweep, clean up.

The person's request only ever writes a row and, once that row is committed, tries
to publish a message. If the broker is down the page still answers and the row stays
pending; the beat sweeper sends it again when the broker is back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from factors.i18n import active_content_language
from reports.models import Report, ReportStatus
from reports.pipeline import stale_running
from reports.registry import UnknownKind, renderer_for

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger("thriving.reports")

# What a failed publish can raise: kombu wraps most connection errors, not all.
BROKER_ERRORS = (BrokerError, RedisError, ConnectionError, TimeoutError)
SWEEP_BATCH = 200
PURGE_AFTER = timedelta(days=30)
ORPHAN_AGE = timedelta(days=1)
# A live worker starts a message it took within this time (retries wait with
# ``dispatched_at`` in the future, so they are not "held").
HELD_AFTER = timedelta(seconds=60)


@dataclass(frozen=True)
class RequestResult:
    report: Report
    created: bool  # False: an identical request was already waiting or running


def report_request(
    *, owner: User, kind: str, params: Mapping[str, Any], language: str | None = None
) -> RequestResult:
    """Create the report row and queue it once committed; reuse an identical live one.

    Raises ``PermissionDenied`` when the owner's role may not have this kind and
    ``Http404`` when the parameters name something the owner may not see."""
    try:
        renderer = renderer_for(kind)
    except UnknownKind as exc:
        raise Http404("Unknown report kind.") from exc
    if owner.role not in renderer.roles:
        raise PermissionDenied
    clean = renderer.clean_params(owner=owner, params=params)
    language = language if language in dict(settings.LANGUAGES) else active_content_language()
    key = json.dumps(clean, sort_keys=True, separators=(",", ":"))
    same = Report.objects.active().filter(owner=owner, kind=kind, params_key=key, language=language)
    existing = same.first()
    if existing is not None:
        return RequestResult(existing, created=False)
    with translation.override(language):
        title = str(renderer.title(owner=owner, params=clean))[:200]
    try:
        with transaction.atomic():
            report = Report.objects.create(
                owner=owner, kind=kind, params=clean, params_key=key, language=language, title=title
            )
            transaction.on_commit(partial(report_dispatch, report_id=report.pk))
    except IntegrityError:
        # A double submit won the race: join the request it created.
        existing = same.first()
        if existing is None:
            raise
        return RequestResult(existing, created=False)
    return RequestResult(report, created=True)


def report_dispatch(*, report_id: Any) -> bool:
    """Publish the render job. False (logged, row untouched) when the broker is down.

    ``dispatched_at`` is written first, so a row the sweeper finds with none was never
    sent; on the embedded default the task runs right here, in-process."""
    from reports.tasks import render_report

    Report.objects.filter(pk=report_id).update(dispatched_at=timezone.now())
    try:
        render_report.apply_async(args=(str(report_id),), queue=settings.REPORTS_QUEUE)
    except BROKER_ERRORS:
        logger.warning("broker unreachable: report %s stays pending for the sweeper", report_id)
        Report.objects.filter(pk=report_id, status=ReportStatus.PENDING).update(dispatched_at=None)
        return False
    return True


def reports_sweep(*, limit: int = SWEEP_BATCH) -> int:
    """Send again what no worker will otherwise pick up. Runs on Celery beat.

    * running, but its worker stopped beating or outlived the hard time limit: the
      dead worker's lease is released (the row is pending again) and it is re-sent;
    * pending and never sent (the broker was down when it was asked for);
    * pending, sent longer ago than Redis takes to hand a lost message back, or sent
      over a minute ago while the queue is empty (taken by a worker that died).
    A job sent twice is harmless: the worker's claim lets only one render it."""
    now = timezone.now()
    dead = list(stale_running().values_list("pk", flat=True)[:limit])
    released = (
        stale_running()
        .filter(pk__in=dead)
        .update(status=ReportStatus.PENDING, lease=None, heartbeat_at=None, dispatched_at=None)
    )
    if released:
        logger.warning("report sweep: %s report(s) left by a dead worker released", released)
    never_sent = Q(
        status=ReportStatus.PENDING,
        dispatched_at__isnull=True,
        created_at__lt=now - timedelta(seconds=10),
    )
    lost_in_queue = Q(
        status=ReportStatus.PENDING,
        dispatched_at__lt=now - timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT + 60),
    )
    resend = never_sent | lost_in_queue | Q(pk__in=dead, status=ReportStatus.PENDING)
    held = Q(status=ReportStatus.PENDING, dispatched_at__lt=now - HELD_AFTER)
    if Report.objects.filter(held & ~resend).exists() and _queue_drained():
        # Sent a while ago, yet the queue is empty: a worker took the message and died
        # before starting it. Redis would hand it back after the visibility timeout; the
        # sweeper does not wait that long.
        resend |= held
    ids = list(
        Report.objects.filter(resend).order_by("created_at").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for report_id in ids:
        if not report_dispatch(report_id=report_id):
            break  # still down: the next sweep tries again
        sent += 1
    if ids:
        logger.info("report sweep: %s of %s re-sent", sent, len(ids))
    return sent


def _queue_drained() -> bool:
    """True when the reports queue holds no message (False if the broker cannot say)."""
    from thriving.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
            declared = conn.default_channel.queue_declare(queue=settings.REPORTS_QUEUE)
    except (*BROKER_ERRORS, OSError):
        return False
    return declared.message_count == 0


@dataclass(frozen=True)
class CleanupResult:
    expired: int
    purged: int
    orphans: int


def reports_cleanup(*, now: datetime | None = None) -> CleanupResult:
    """Remove files past their expiry, old failed/expired rows, and files no row owns
    (a worker killed between storing a file and marking the row). Runs on Celery beat."""
    now = now or timezone.now()
    expired = 0
    for report in Report.objects.filter(status=ReportStatus.DONE, expires_at__lt=now).only(
        "pk", "file"
    ):
        if report.file:
            default_storage.delete(report.file.name)
        expired += Report.objects.filter(pk=report.pk, status=ReportStatus.DONE).update(
            status=ReportStatus.EXPIRED, file=""
        )
    purged, _ = Report.objects.filter(
        status__in=(ReportStatus.FAILED, ReportStatus.EXPIRED), created_at__lt=now - PURGE_AFTER
    ).delete()
    orphans = _remove_orphan_files(older_than=now - ORPHAN_AGE)
    return CleanupResult(expired=expired, purged=purged, orphans=orphans)


def _stored_files(directory: str) -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{directory}/{name}"
    for folder in folders:
        yield from _stored_files(f"{directory}/{folder}")


def _remove_orphan_files(*, older_than: datetime) -> int:
    removed = 0
    names = list(_stored_files("reports"))
    known = set(Report.objects.filter(file__in=names).values_list("file", flat=True))
    for name in names:
        if name in known or not name.endswith(".pdf"):
            continue
        if default_storage.get_modified_time(name) < older_than:
            default_storage.delete(name)
            removed += 1
    return removed

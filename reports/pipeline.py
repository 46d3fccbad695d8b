"""What a worker does with one report id: claim it, render it, store it, mark it done.

Exactly once, whatever happens to workers and messages. A message can arrive twice
(a pool child killed and its message re-queued, a message restored by Redis after
the visibility timeout, a re-send by the sweeper), so the row, not the message,
decides who renders:

* **Claim** is one conditional UPDATE: only a pending row, or a running row whose
  worker stopped beating, can be taken; it gets a fresh ``lease`` token. A second
  message for a row that is running with a live heartbeat is told BUSY and comes back
  later; for a row that is done it does nothing.
* **Heartbeat**: while rendering, a thread writes ``heartbeat_at`` every few seconds.
  A worker killed with ``kill -9`` stops beating; four missed beats and the row may be
  taken over, by the re-queued message or by the sweeper.
* **Complete** is a conditional UPDATE on the lease token: if another worker took the
  row over meanwhile, this render's file is deleted and nothing is marked twice.
* Every claim counts an attempt; after ``REPORTS_MAX_ATTEMPTS`` (kills, time limits
  and transient errors alike) the report fails with a message for the person.
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from reports.documents import report_pdf
from reports.models import Problem, Report, ReportStatus
from reports.registry import ReportRefused, UnknownKind, renderer_for

logger = logging.getLogger("thriving.reports")


class Outcome(enum.Enum):
    DONE = "done"  # rendered and stored by this call
    SKIPPED = "skipped"  # nothing to do: finished already, gone, or taken over
    BUSY = "busy"  # another worker holds a live lease: look again later
    RETRY = "retry"  # transient failure: released for a later attempt
    FAILED = "failed"  # marked failed with a message for the person


@dataclass(frozen=True)
class RunResult:
    outcome: Outcome
    countdown: float = 0.0


def heartbeat_stale_after() -> timedelta:
    return timedelta(seconds=4 * settings.REPORTS_HEARTBEAT_SECONDS)


def stale_running_q() -> Q:
    """A running row whose worker is gone: no heartbeat for four beats, or started
    longer ago than the hard time limit lets any render live."""
    now = timezone.now()
    return Q(status=ReportStatus.RUNNING) & (
        Q(heartbeat_at__lt=now - heartbeat_stale_after())
        | Q(heartbeat_at__isnull=True)
        | Q(started_at__lt=now - timedelta(seconds=settings.REPORTS_TIME_LIMIT + 5))
    )


def stale_running() -> QuerySet[Report]:
    return Report.objects.filter(stale_running_q())


def retry_countdown(attempts: int) -> float:
    """Exponential backoff with a little jitter, so retries of many jobs spread out."""
    base = settings.REPORTS_RETRY_BACKOFF * 2 ** max(attempts - 1, 0)
    return min(base, settings.REPORTS_RETRY_BACKOFF_MAX) + random.uniform(0, 1)  # noqa: S311 - retry jitter, not security


def report_run(*, report_id: str, eager: bool = False) -> RunResult:
    """Claim, render, store, complete. Never raises for a problem in the data."""
    token = uuid.uuid4()
    try:
        uuid.UUID(str(report_id))
    except ValueError:
        logger.error("report task given a malformed id %r", str(report_id)[:64])
        return RunResult(Outcome.SKIPPED)
    claimed = _claim(report_id=report_id, token=token)
    if claimed is not None:
        return claimed
    report = Report.objects.select_related("owner").filter(pk=report_id).first()
    if report is None:  # deleted (its owner was) between the claim and now
        return RunResult(Outcome.SKIPPED)
    try:
        with _heartbeat(report_id=report_id, token=token, enabled=not eager) as beat:
            try:
                renderer = renderer_for(report.kind)
            except UnknownKind as exc:
                raise ReportRefused(Problem.GONE) from exc
            if not renderer.may_render(report=report):
                raise ReportRefused(Problem.NOT_ALLOWED)
            pdf = report_pdf(report=report, renderer=renderer)
        if beat.lost:
            logger.warning("report %s: lease lost during render, result discarded", report_id)
            return RunResult(Outcome.SKIPPED)
        return _complete(report=report, token=token, pdf=pdf)
    except ReportRefused as refused:
        logger.info("report %s refused: %s", report_id, refused.problem)
        _fail(report_id=report_id, token=token, problem=refused.problem)
        return RunResult(Outcome.FAILED)
    except Exception:  # transient or unexpected: log it, retry with a bound
        logger.exception("report %s: render attempt %s failed", report_id, report.attempts)
        return _release_for_retry(report=report, token=token, eager=eager)


def _claim(*, report_id: str, token: uuid.UUID) -> RunResult | None:
    """Take the row for this worker, or say why not (None means: claimed)."""
    now = timezone.now()
    claimable = Q(status=ReportStatus.PENDING) | stale_running_q()
    taken = (
        Report.objects.filter(pk=report_id)
        .filter(claimable, attempts__lt=settings.REPORTS_MAX_ATTEMPTS)
        .update(
            status=ReportStatus.RUNNING,
            lease=token,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
        )
    )
    if taken:
        return None
    row = Report.objects.filter(pk=report_id).values("status", "attempts").first()
    if row is None or row["status"] not in (ReportStatus.PENDING, ReportStatus.RUNNING):
        return RunResult(Outcome.SKIPPED)
    # Claimable but out of attempts: every try so far was lost or failed.
    gave_up = (
        Report.objects.filter(pk=report_id)
        .filter(claimable, attempts__gte=settings.REPORTS_MAX_ATTEMPTS)
        .update(
            status=ReportStatus.FAILED,
            problem=Problem.GAVE_UP,
            lease=None,
            finished_at=now,
        )
    )
    if gave_up:
        logger.error("report %s failed after %s attempts", report_id, row["attempts"])
        return RunResult(Outcome.FAILED)
    return RunResult(Outcome.BUSY, countdown=heartbeat_stale_after().total_seconds() + 1)


class _Beat:
    def __init__(self) -> None:
        self.lost = False


@contextmanager
def _heartbeat(*, report_id: str, token: uuid.UUID, enabled: bool) -> Iterator[_Beat]:
    """Beat on the row from a thread while the render runs in this one.

    Off when the task runs in-process (embedded default, tests): there is no worker to
    lose there, and a second connection would fight the request's transaction."""
    beat = _Beat()
    if not enabled:
        yield beat
        return
    stop = threading.Event()
    interval = settings.REPORTS_HEARTBEAT_SECONDS

    def run() -> None:
        try:
            while not stop.wait(interval):
                try:
                    alive = Report.objects.filter(
                        pk=report_id, lease=token, status=ReportStatus.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except DatabaseError:
                    logger.warning("report %s: heartbeat not written", report_id)
                    continue
                if not alive:
                    beat.lost = True
                    return
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=f"report-heartbeat-{report_id}", daemon=True)
    thread.start()
    try:
        yield beat
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def _file_name(report: Report, token: uuid.UUID) -> str:
    return f"reports/{report.created_at:%Y/%m}/{report.pk}-{token.hex[:12]}.pdf"


def _complete(*, report: Report, token: uuid.UUID, pdf: bytes) -> RunResult:
    name = default_storage.save(_file_name(report, token), ContentFile(pdf))
    now = timezone.now()
    finished = Report.objects.filter(pk=report.pk, lease=token, status=ReportStatus.RUNNING).update(
        status=ReportStatus.DONE,
        file=name,
        lease=None,
        problem="",
        finished_at=now,
        expires_at=now + timedelta(days=settings.REPORTS_KEEP_DAYS),
    )
    if not finished:
        # Another worker took the row over (this one was presumed dead): its result
        # stands, this file goes.
        default_storage.delete(name)
        logger.warning("report %s: finished after being taken over, file discarded", report.pk)
        return RunResult(Outcome.SKIPPED)
    logger.info("report %s done (%s bytes, attempt %s)", report.pk, len(pdf), report.attempts)
    return RunResult(Outcome.DONE)


def _fail(*, report_id: str, token: uuid.UUID, problem: Problem) -> None:
    Report.objects.filter(pk=report_id, lease=token, status=ReportStatus.RUNNING).update(
        status=ReportStatus.FAILED, problem=problem, lease=None, finished_at=timezone.now()
    )


def _release_for_retry(*, report: Report, token: uuid.UUID, eager: bool) -> RunResult:
    """Give the row back as pending so the retry message (or the sweeper) can claim it.

    In-process (no broker, nothing to retry later with) a failure is final."""
    attempts = report.attempts  # read after the claim, so it counts this attempt
    if eager or attempts >= settings.REPORTS_MAX_ATTEMPTS:
        _fail(report_id=str(report.pk), token=token, problem=Problem.GAVE_UP)
        return RunResult(Outcome.FAILED)
    countdown = retry_countdown(attempts)
    Report.objects.filter(pk=report.pk, lease=token, status=ReportStatus.RUNNING).update(
        status=ReportStatus.PENDING,
        lease=None,
        heartbeat_at=None,
        dispatched_at=timezone.now() + timedelta(seconds=countdown),
    )
    return RunResult(Outcome.RETRY, countdown=countdown)

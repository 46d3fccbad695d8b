"""The worker side, one step at a time: claim, heartbeat, complete, fail, retry, sweep,
clean up. The real-worker versions of these are in test_reliability.py."""

from __future__ import annotations

import datetime
import time
import uuid
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from factors.models import FrameworkVersion, VersionStatus
from reports import pipeline
from reports.models import Problem, Report, ReportStatus
from reports.pipeline import Outcome, report_run, retry_countdown
from reports.services import report_request, reports_cleanup, reports_sweep
from reports.tasks import render_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(cast, django_capture_on_commit_callbacks):
    """A seeker's profile asked for, not yet sent to any worker."""
    with django_capture_on_commit_callbacks(execute=False):
        result = report_request(owner=cast.seeker.user, kind="seeker_profile", params={})
    return result.report


def _files() -> list[str]:
    try:
        _dirs, _files = default_storage.listdir("reports")
    except FileNotFoundError:
        return []
    found = []
    stack = ["reports"]
    while stack:
        folder = stack.pop()
        dirs, files = default_storage.listdir(folder)
        found += [f"{folder}/{name}" for name in files]
        stack += [f"{folder}/{name}" for name in dirs]
    return found


def test_a_done_report_is_never_rendered_again(pending):
    assert report_run(report_id=str(pending.pk)).outcome is Outcome.DONE
    pending.refresh_from_db()
    first_file = pending.file.name
    with mock.patch("reports.pipeline.report_pdf") as render:
        assert report_run(report_id=str(pending.pk)).outcome is Outcome.SKIPPED
        assert render_report.apply(args=[str(pending.pk)]).get() == "skipped"
    render.assert_not_called()
    pending.refresh_from_db()
    assert pending.attempts == 1 and pending.file.name == first_file and _files() == [first_file]


def test_a_running_report_with_a_live_worker_is_busy(pending):
    Report.objects.filter(pk=pending.pk).update(
        status=ReportStatus.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    result = report_run(report_id=str(pending.pk))
    assert result.outcome is Outcome.BUSY and result.countdown > 0
    pending.refresh_from_db()
    assert pending.attempts == 1 and pending.status == ReportStatus.RUNNING


def test_a_running_report_whose_worker_died_is_taken_over(pending):
    silent = timezone.now() - datetime.timedelta(minutes=5)
    Report.objects.filter(pk=pending.pk).update(
        status=ReportStatus.RUNNING, attempts=1, started_at=silent, heartbeat_at=silent
    )
    assert report_run(report_id=str(pending.pk)).outcome is Outcome.DONE
    pending.refresh_from_db()
    assert pending.status == ReportStatus.DONE and pending.attempts == 2


def test_a_render_finished_after_a_takeover_is_discarded(pending):
    real = pipeline.report_pdf

    def render_then_get_taken_over(**kwargs):
        data = real(**kwargs)
        Report.objects.filter(pk=pending.pk).update(lease=None)  # another worker's claim
        return data

    with mock.patch("reports.pipeline.report_pdf", side_effect=render_then_get_taken_over):
        assert report_run(report_id=str(pending.pk)).outcome is Outcome.SKIPPED
    assert _files() == []


def test_permission_is_checked_again_by_the_worker(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = report_request(
            owner=cast.practitioner, kind="seeker_profile", params={"subject": cast.seeker.pk}
        ).report
    cast.seeker.practitioner = cast.practitioner2
    cast.seeker.office = cast.practitioner2.office
    cast.seeker.save()
    assert report_run(report_id=str(report.pk)).outcome is Outcome.FAILED
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and report.problem == Problem.NOT_ALLOWED
    assert _files() == []


def test_no_published_framework_fails_with_a_message(pending):
    FrameworkVersion.objects.update(status=VersionStatus.DRAFT)
    assert report_run(report_id=str(pending.pk)).outcome is Outcome.FAILED
    pending.refresh_from_db()
    assert pending.problem == Problem.NO_FRAMEWORK
    assert "being updated" in pending.problem_message


def test_a_transient_failure_is_retried_later_then_succeeds(pending):
    real = pipeline.report_pdf
    with mock.patch("reports.pipeline.report_pdf", side_effect=OSError("disk hiccup")):
        result = report_run(report_id=str(pending.pk))
    assert result.outcome is Outcome.RETRY and 5 <= result.countdown <= 6
    pending.refresh_from_db()
    assert pending.status == ReportStatus.PENDING and pending.attempts == 1
    assert pending.dispatched_at > timezone.now()  # the sweeper leaves it to the retry
    with mock.patch("reports.pipeline.report_pdf", side_effect=real):
        assert report_run(report_id=str(pending.pk)).outcome is Outcome.DONE
    pending.refresh_from_db()
    assert pending.attempts == 2 and pending.status == ReportStatus.DONE


def test_retries_are_bounded(pending, settings):
    with mock.patch("reports.pipeline.report_pdf", side_effect=OSError("still broken")):
        outcomes = [report_run(report_id=str(pending.pk)).outcome for _ in range(6)]
    assert outcomes == [Outcome.RETRY] * (settings.REPORTS_MAX_ATTEMPTS - 1) + [Outcome.FAILED] + [
        Outcome.SKIPPED
    ] * (6 - settings.REPORTS_MAX_ATTEMPTS)
    pending.refresh_from_db()
    assert pending.problem == Problem.GAVE_UP and pending.attempts == settings.REPORTS_MAX_ATTEMPTS


def test_a_job_killed_every_time_gives_up_after_the_bound(pending, settings):
    """A render that kills its worker each time (out of memory) must not loop forever."""
    silent = timezone.now() - datetime.timedelta(minutes=5)
    Report.objects.filter(pk=pending.pk).update(
        status=ReportStatus.RUNNING,
        attempts=settings.REPORTS_MAX_ATTEMPTS,
        started_at=silent,
        heartbeat_at=silent,
    )
    assert report_run(report_id=str(pending.pk)).outcome is Outcome.FAILED
    pending.refresh_from_db()
    assert pending.status == ReportStatus.FAILED and pending.problem == Problem.GAVE_UP


def test_in_process_failures_are_final(pending):
    with mock.patch("reports.pipeline.report_pdf", side_effect=OSError("broken")):
        assert report_run(report_id=str(pending.pk), eager=True).outcome is Outcome.FAILED
    pending.refresh_from_db()
    assert pending.problem == Problem.GAVE_UP


def test_backoff_is_exponential_and_bounded(settings):
    waits = [retry_countdown(n) for n in range(1, 10)]
    assert 5 <= waits[0] <= 6 and 10 <= waits[1] <= 11 and 20 <= waits[2] <= 21
    assert max(waits) <= settings.REPORTS_RETRY_BACKOFF_MAX + 1


def test_malformed_or_missing_ids_do_nothing():
    assert report_run(report_id="not-a-uuid").outcome is Outcome.SKIPPED
    assert report_run(report_id="0b7d1c1e-6d0e-4ad8-9a43-8f2f8c7b2b11").outcome is Outcome.SKIPPED


def test_sweeper_resends_what_no_worker_will_pick_up(cast, pending):
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    Report.objects.filter(pk=pending.pk).update(created_at=long_ago, dispatched_at=None)

    def another(**fields):
        return Report.objects.create(
            owner=cast.practitioner,
            kind="seeker_profile",
            params={"seeker": cast.seeker.pk},
            params_key=uuid.uuid4().hex,
            language="en",
            title="t",
            **fields,
        )

    fresh_unsent = another(dispatched_at=None)  # the request's own publish may still come
    queued = another(created_at=long_ago, dispatched_at=timezone.now())
    lost_message = another(created_at=long_ago, dispatched_at=long_ago)
    dead_worker = another(
        created_at=long_ago,
        dispatched_at=long_ago,
        status=ReportStatus.RUNNING,
        attempts=1,
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    live_worker = another(
        created_at=long_ago,
        dispatched_at=long_ago,
        status=ReportStatus.RUNNING,
        attempts=1,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    sent = []
    with mock.patch(
        "reports.tasks.render_report.apply_async",
        side_effect=lambda args, **kw: sent.append(args[0]),
    ):
        assert reports_sweep() == 3
    assert sorted(sent) == sorted(str(r.pk) for r in (pending, lost_message, dead_worker))
    assert str(fresh_unsent.pk) not in sent and str(queued.pk) not in sent
    assert str(live_worker.pk) not in sent
    dead_worker.refresh_from_db()
    assert dead_worker.status == ReportStatus.PENDING and dead_worker.lease is None
    assert reports_sweep() == 0  # sent once; not again on the next sweep


@pytest.mark.parametrize(("drained", "resent"), [(True, 1), (False, 0)])
def test_sweeper_resends_a_message_a_dead_worker_took_before_starting_it(pending, drained, resent):
    """Sent two minutes ago, never started: if the queue is empty, a worker took the
    message and died; if not, the message is still waiting its turn."""
    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    Report.objects.filter(pk=pending.pk).update(
        created_at=two_minutes_ago, dispatched_at=two_minutes_ago
    )
    with (
        mock.patch("reports.services._queue_drained", return_value=drained),
        mock.patch("reports.tasks.render_report.apply_async") as publish,
    ):
        assert reports_sweep() == resent
    assert publish.call_count == resent


def test_sweeper_stops_while_the_broker_is_still_down(pending):
    from kombu.exceptions import OperationalError

    Report.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5), dispatched_at=None
    )
    with mock.patch(
        "reports.tasks.render_report.apply_async", side_effect=OperationalError("refused")
    ):
        assert reports_sweep() == 0
    pending.refresh_from_db()
    assert pending.status == ReportStatus.PENDING and pending.dispatched_at is None
    assert reports_sweep() == 1  # broker back (in-process here): rendered
    pending.refresh_from_db()
    assert pending.status == ReportStatus.DONE


def test_cleanup_removes_expired_files_old_rows_and_orphans(pending):
    report_run(report_id=str(pending.pk))
    pending.refresh_from_db()
    name = pending.file.name
    orphan = default_storage.save("reports/2020/01/orphan.pdf", ContentFile(b"%PDF-1.7"))
    recent_orphan = default_storage.save("reports/2020/01/just-stored.pdf", ContentFile(b"%PDF"))
    old = timezone.now() - datetime.timedelta(days=3)
    import os

    os.utime(default_storage.path(orphan), (old.timestamp(), old.timestamp()))
    failed = Report.objects.create(
        owner=pending.owner,
        kind="seeker_profile",
        params={},
        params_key="f",
        language="en",
        title="t",
        status=ReportStatus.FAILED,
        created_at=timezone.now() - datetime.timedelta(days=40),
    )

    result = reports_cleanup()
    assert (result.expired, result.purged, result.orphans) == (0, 1, 1)
    assert default_storage.exists(name) and default_storage.exists(recent_orphan)
    assert not default_storage.exists(orphan) and not Report.objects.filter(pk=failed.pk).exists()

    later = timezone.now() + datetime.timedelta(days=8)
    assert reports_cleanup(now=later).expired == 1
    pending.refresh_from_db()
    assert pending.status == ReportStatus.EXPIRED and not pending.file
    assert not default_storage.exists(name)


@pytest.mark.django_db(transaction=True)
def test_heartbeat_beats_while_rendering_and_notices_a_takeover(cast, settings):
    settings.REPORTS_HEARTBEAT_SECONDS = 1
    report = Report.objects.create(
        owner=cast.seeker.user,
        kind="seeker_profile",
        params={"seeker": cast.seeker.pk},
        params_key="h",
        language="en",
        title="t",
        status=ReportStatus.RUNNING,
        lease="11111111-1111-1111-1111-111111111111",
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=30),
    )

    token = uuid.UUID("11111111-1111-1111-1111-111111111111")
    with pipeline._heartbeat(report_id=str(report.pk), token=token, enabled=True) as beat:
        time.sleep(1.5)
        report.refresh_from_db()
        assert timezone.now() - report.heartbeat_at < datetime.timedelta(seconds=2)
        Report.objects.filter(pk=report.pk).update(lease=uuid.uuid4())
        time.sleep(1.5)
    assert beat.lost is True

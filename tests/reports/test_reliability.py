"""A real Celery worker against real Redis and the test database: no report is lost,
none is made twice.

* a report asked for on the page is rendered by the worker and downloaded;
* the whole worker killed with SIGKILL mid-render (four jobs, two of them running):
  a new worker and the beat sweeper finish all four, each exactly once, and the
  killed worker's messages, handed back by Redis later, change nothing;
* one pool child killed mid-render (as the out-of-memory killer would): the message
  is re-queued and the job finishes exactly once;
* the broker unreachable when the report is asked for: the page answers, the row
  waits, and the sweeper sends it once the broker is back.

Needs ``REDIS_URL`` (skipped without it; CI sets it) and a database another process
can open (PostgreSQL in CI). Each test starts its own worker on its own queue.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from reports.models import Report, ReportStatus
from reports.services import report_dispatch, reports_sweep
from tests.reports.conftest import pdf_text
from thriving.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
HEARTBEAT = 1  # seconds: a dead worker's row is stale after four missed beats
RENDER_SECONDS = 1.5  # the slow test kind's render time, long enough to kill it mid-way

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="needs a real Redis: set REDIS_URL"),
]


def _database_url() -> str:
    """The test database, as a URL the worker process can open."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "", safe="")
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        host, port = db["HOST"] or "localhost", db["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
    name = str(db["NAME"])
    if connection.vendor == "sqlite" and "memory" not in name and name != ":memory:":
        return f"sqlite:///{name}"
    pytest.skip("the worker process cannot open an in-memory test database: use PostgreSQL")


def _wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Worker:
    """One ``celery worker`` process group on the test's queue."""

    def __init__(self, env: dict[str, str], log: Path, concurrency: int) -> None:
        self.log = log
        self.handle = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.reports.slow_worker",
                "worker",
                "-Q",
                env["REPORTS_QUEUE"],
                "-c",
                str(concurrency),
                "-P",
                "prefork",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for(self.ready, timeout=120, what=f"the worker to start (log: {log})")

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
        return " ready." in self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return pids

    def kill_everything(self) -> None:
        """kill -9 of the whole worker: main process and pool children at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.handle.close()


@pytest.fixture
def harness(settings, tmp_path, cast):
    """Queue, environment and worker factory shared by the tests; cleans up after."""
    queue = f"tw-test-reports-{uuid.uuid4().hex[:10]}"
    markers = tmp_path / "markers"
    markers.mkdir()
    settings.REPORTS_QUEUE = queue
    settings.REPORTS_HEARTBEAT_SECONDS = HEARTBEAT
    celery_app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thriving.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "REPORTS_QUEUE": queue,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REPORTS_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "REPORTS_TEST_MARKERS": str(markers),
        "REPORTS_TEST_RENDER_SECONDS": str(RENDER_SECONDS),
        "LOG_LEVEL": "INFO",
    }
    workers: list[Worker] = []

    class Harness:
        def __init__(self) -> None:
            self.queue = queue
            self.markers = markers
            self.cast = cast

        def worker(self, concurrency: int = 1) -> Worker:
            worker = Worker(env, tmp_path / f"worker-{len(workers)}.log", concurrency)
            workers.append(worker)
            return worker

        def slow_report(self) -> Report:
            seeker = cast.seeker
            return Report.objects.create(
                owner=seeker.user,
                kind="test_slow_profile",
                params={"seeker": seeker.pk},
                params_key=uuid.uuid4().hex,
                language="en",
                title="Slow profile",
            )

        def started(self, report: Report) -> list[tuple[int, int]]:
            """(attempt, pid) of every render of ``report`` that began."""
            return sorted(
                (int(attempt), int(pid))
                for _id, attempt, pid in (p.name.split(".") for p in markers.glob(f"{report.pk}.*"))
            )

        def files(self, report: Report) -> list[Path]:
            return sorted(Path(settings.MEDIA_ROOT).glob(f"reports/*/*/{report.pk}-*.pdf"))

    yield Harness()
    for worker in workers:
        worker.stop()
    _forget_queue(queue)


def _redis():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def _unacked_tags(queue: str) -> list[bytes]:
    """Messages of ``queue`` delivered to a worker and not yet acknowledged."""
    tags = []
    for tag, payload in _redis().hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(payload)
        if routing_key == queue:
            tags.append(tag)
    return tags


def _forget_queue(queue: str) -> None:
    client = _redis()
    for tag in _unacked_tags(queue):
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)
    client.delete(queue)
    bindings = [m for m in client.smembers("_kombu.binding.celery") if queue.encode() in m]
    if bindings:
        client.srem("_kombu.binding.celery", *bindings)


def _restore_as_if_visibility_timeout_passed(tags: list[bytes]) -> None:
    """What Redis does with a dead worker's messages once ``visibility_timeout`` has
    passed (five minutes in production): put them back on the queue, marked redelivered."""
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        for tag in tags:
            channel.qos.restore_by_tag(tag.decode(), channel.client)


def _drained(queue: str) -> bool:
    return _redis().llen(queue) == 0 and not _unacked_tags(queue)


def _status(report: Report) -> str:
    report.refresh_from_db()
    return report.status


def test_report_asked_on_the_page_is_rendered_by_a_worker_and_downloaded(harness):
    harness.worker()
    client = harness.cast.client_for(harness.cast.seeker.user)
    started = time.monotonic()
    response = client.post(reverse("reports:request"), {"kind": "seeker_profile"})
    assert response.status_code == 302
    report = Report.objects.get()
    _wait_for(lambda: _status(report) == ReportStatus.DONE, timeout=30, what="the report")
    assert time.monotonic() - started < 15
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    text = pdf_text(b"".join(download.streaming_content))
    assert harness.cast.seeker.user.full_name in text and "Pay & benefits" in text
    assert report.attempts == 1 and len(harness.files(report)) == 1
    _wait_for(lambda: _drained(harness.queue), timeout=10, what="the message to be acknowledged")


def test_whole_worker_killed_mid_render_loses_nothing_and_repeats_nothing(harness):
    worker = harness.worker(concurrency=2)
    reports = [harness.slow_report() for _ in range(4)]
    for report in reports:
        assert report_dispatch(report_id=report.pk)
    _wait_for(
        lambda: (
            Report.objects.filter(status=ReportStatus.RUNNING).count() == 2
            and len(list(harness.markers.iterdir())) == 2
        ),
        timeout=30,
        what="two renders in progress",
    )
    worker.kill_everything()
    killed = list(Report.objects.filter(status=ReportStatus.RUNNING))
    assert len(killed) == 2 and not Report.objects.filter(status=ReportStatus.DONE).exists()
    orphaned_messages = _unacked_tags(harness.queue)  # held by the dead worker
    assert len(orphaned_messages) == 2

    harness.worker(concurrency=2)

    def all_done() -> bool:
        reports_sweep()  # what Celery beat runs every minute
        return Report.objects.filter(status=ReportStatus.DONE).count() == 4

    _wait_for(all_done, timeout=40, what="all four reports")
    for report in reports:
        report.refresh_from_db()
        assert len(harness.files(report)) == 1, report
    assert sorted(r.attempts for r in Report.objects.all()) == [1, 1, 2, 2]
    for report in killed:
        assert [attempt for attempt, _pid in harness.started(report)] == [1, 2]

    # Later, Redis hands the killed worker's two messages back: they change nothing.
    _restore_as_if_visibility_timeout_passed(orphaned_messages)
    _wait_for(lambda: _drained(harness.queue), timeout=20, what="the old messages")
    assert sorted(r.attempts for r in Report.objects.all()) == [1, 1, 2, 2]
    assert all(len(harness.files(r)) == 1 for r in reports)
    assert len(list(Path(django_settings.MEDIA_ROOT).glob("reports/*/*/*.pdf"))) == 4


def test_pool_child_killed_mid_render_is_requeued_and_finishes_once(harness):
    worker = harness.worker(concurrency=1)
    report = harness.slow_report()
    assert report_dispatch(report_id=report.pk)
    _wait_for(lambda: harness.started(report) != [], timeout=30, what="the render to start")
    [(attempt, pid)] = harness.started(report)
    assert attempt == 1 and pid in worker.children()
    os.kill(pid, signal.SIGKILL)  # what the out-of-memory killer does

    _wait_for(lambda: _status(report) == ReportStatus.DONE, timeout=30, what="the report")
    assert worker.process.poll() is None  # the worker itself lived on
    assert [a for a, _pid in harness.started(report)] == [1, 2]
    assert report.attempts == 2 and len(harness.files(report)) == 1
    _wait_for(lambda: _drained(harness.queue), timeout=15, what="the queue to drain")
    assert len(harness.files(report)) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down():
    """Point this process's Celery app at a port nobody listens on, then back."""
    original = celery_app.conf.broker_url

    def switch(url: str) -> None:
        celery_app.conf.broker_url = url
        celery_app._after_fork()  # drop pooled connections to the previous broker

    class Switch:
        def down(self) -> None:
            switch(f"redis://127.0.0.1:{_closed_port()}/0")

        def up(self) -> None:
            switch(original)

    yield Switch()
    switch(original)


def test_broker_down_when_asked_then_the_sweeper_sends_it(harness, broker_down):
    harness.worker()
    client = harness.cast.client_for(harness.cast.seeker.user)
    broker_down.down()
    started = time.monotonic()
    response = client.post(reverse("reports:request"), {"kind": "seeker_profile"})
    assert response.status_code == 302 and time.monotonic() - started < 10
    report = Report.objects.get()
    assert report.status == ReportStatus.PENDING and report.dispatched_at is None
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"We are making your report" in page.content
    time.sleep(1)
    assert _status(report) == ReportStatus.PENDING  # nothing reached a worker

    broker_down.up()
    Report.objects.filter(pk=report.pk).update(created_at=report.created_at.replace(year=2020))
    assert reports_sweep() == 1  # Celery beat's sweep, once the broker is back
    _wait_for(lambda: _status(report) == ReportStatus.DONE, timeout=30, what="the report")
    assert report.attempts == 1 and len(harness.files(report)) == 1
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200

"""Benchmark the report pipeline: render time per kind, ask-to-ready latency, throughput
with two worker processes, and 500 queued reports with the worker killed halfway.

Runs against the configured database and Redis (``DATABASE_URL``, ``REDIS_URL``) with
its own throw-away data, queue and media folder, and removes them afterwards. Without
``REDIS_URL`` only the in-process render times are measured. Record the output in
docs/reports.md with the machine's conditions (the load average is printed).
"""

from __future__ import annotations

import io
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from accounts.models import Role, User
from employers.models import Member, OfferAnswer, Organisation
from factors.models import Item
from factors.scales import Direction
from factors.selectors import current_version
from reports.documents import report_pdf
from reports.models import Report, ReportStatus
from reports.services import report_dispatch, report_request, reports_sweep
from seekers.models import Answer, Seeker
from thriving.bench import Measure, record

BENCH_DOMAIN = "bench.invalid"
EXAMPLE = "At the food bank I trained six new volunteers on the till and the schedule."


class Command(BaseCommand):
    help = "Measure report render time, latency, throughput and recovery from a killed worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--renders", type=int, default=15, help="renders per kind (median)")
        parser.add_argument("--asks", type=int, default=10, help="ask-to-ready samples")
        parser.add_argument("--throughput", type=int, default=100, help="reports for throughput")
        parser.add_argument("--queued", type=int, default=500, help="reports for the kill run")
        parser.add_argument("--skip-workers", action="store_true", help="render times only")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
            raise CommandError("Needs a database that worker processes can open.")
        if current_version() is None:
            raise CommandError("No published framework version: run migrations first.")
        media = Path(tempfile.mkdtemp(prefix="bench-reports-"))
        self.measures: list[Measure] = []
        self.out(_conditions())
        try:
            with override_settings(MEDIA_ROOT=media):
                seeker, organisation = _bench_data()
                try:
                    self.render_times(seeker, organisation, options["renders"])
                    if options["skip_workers"] or not settings.REDIS_URL:
                        self.out("Worker measurements skipped (no REDIS_URL or --skip-workers).")
                        return
                    with _workers_on_a_queue(media) as start_worker:
                        self.ask_to_ready(start_worker, seeker, options["asks"])
                        self.throughput(start_worker, seeker, options["throughput"])
                        self.killed_halfway(start_worker, seeker, options["queued"], media)
                finally:
                    _remove_bench_data()
        finally:
            shutil.rmtree(media, ignore_errors=True)
            record("bench_reports", self.measures)

    def measure(self, measure: str, value: str, target: str = "", ok: bool | None = None) -> None:
        """Kept for ``bench_summary`` (written when the run ends)."""
        self.measures.append(Measure("bench_reports", measure, value, target, ok))

    def out(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def render_times(self, seeker: Seeker, organisation: Organisation, runs: int) -> None:
        self.out(f"\nRender time in this process, median of {runs} after one warm-up:")
        kinds = [
            ("seeker_profile", seeker.user, {"seeker": seeker.pk}, 0.4),
            ("employer_offer", _member_of(organisation), {"organisation": organisation.pk}, None),
        ]
        for kind, owner, params, target in kinds:
            report = Report(owner=owner, kind=kind, params=params, language="en", title=kind)
            pdf = report_pdf(report=report)
            times, cpu = [], []
            for _ in range(runs):
                started, started_cpu = time.perf_counter(), time.process_time()
                pdf = report_pdf(report=report)
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            median = statistics.median(times)
            verdict = "" if target is None else f"  target ≤ {target} s: {_ok(median <= target)}"
            self.measure(
                f"render {kind} (median)",
                f"{median:.3f} s",
                "" if target is None else f"≤ {target} s",
                None if target is None else median <= target,
            )
            self.out(
                f"  {kind:<15} median {median:.3f} s  min {min(times):.3f} s  "
                f"max {max(times):.3f} s  (CPU median {statistics.median(cpu):.3f} s; "
                f"{_pages(pdf)} pages, {len(pdf) // 1024} KB){verdict}"
            )

    def ask_to_ready(self, start_worker: Callable[..., Any], seeker: Seeker, asks: int) -> None:
        worker = start_worker(concurrency=1)
        _wait_done(_dispatch_many(seeker, 1), timeout=60)  # warm the worker's first render
        latencies = []
        for _ in range(asks):
            started = time.perf_counter()
            with transaction.atomic():
                report = report_request(
                    owner=seeker.user, kind="seeker_profile", params={}, language="en"
                ).report
            _wait_done([report.pk], timeout=60, poll=0.01)
            latencies.append(time.perf_counter() - started)
            time.sleep(0.2)  # idle again
        worker.stop()
        median = statistics.median(latencies)
        self.measure("ask to download-ready (median)", f"{median:.2f} s", "≤ 2 s", median <= 2)
        self.out(
            f"\nAsk → download-ready, one idle worker, median of {asks}: {median:.2f} s "
            f"(max {max(latencies):.2f} s)  target ≤ 2 s: {_ok(median <= 2)}"
        )

    def throughput(self, start_worker: Callable[..., Any], seeker: Seeker, count: int) -> None:
        worker = start_worker(concurrency=2)
        _wait_done(_dispatch_many(seeker, 2), timeout=60)  # both processes warm
        started = time.perf_counter()
        _wait_done(_dispatch_many(seeker, count), timeout=count * 2 + 60)
        elapsed = time.perf_counter() - started
        worker.stop()
        rate = count / elapsed
        self.measure("throughput, 2 processes", f"{rate:.1f}/s", "≥ 4/s", rate >= 4)
        self.out(
            f"\nThroughput, one worker with 2 processes, {count} profile reports: "
            f"{rate:.1f} reports/s ({elapsed:.1f} s)  target ≥ 4/s: {_ok(rate >= 4)}"
        )

    def killed_halfway(
        self, start_worker: Callable[..., Any], seeker: Seeker, count: int, media: Path
    ) -> None:
        first = start_worker(concurrency=2)
        started = time.perf_counter()
        ids = _dispatch_many(seeker, count)
        done = Report.objects.filter(pk__in=ids, status=ReportStatus.DONE)
        _wait(lambda: done.count() >= count // 2, timeout=count * 2, what="half the reports")
        first.kill()
        interrupted = Report.objects.filter(pk__in=ids, status=ReportStatus.RUNNING).count()
        killed_at = time.perf_counter() - started
        done_at_kill = done.count()
        second = start_worker(concurrency=2)

        def finished() -> bool:
            reports_sweep()  # what Celery beat runs every minute
            return done.count() == count

        _wait(finished, timeout=count * 2 + 120, what="every report", poll=2.0)
        elapsed = time.perf_counter() - started
        second.stop()
        wanted = {str(report_id) for report_id in ids}
        files = [p for p in media.glob("reports/*/*/*.pdf") if p.name[:36] in wanted]
        per_report: dict[str, int] = {}
        for path in files:
            report_id = path.name[:36]
            per_report[report_id] = per_report.get(report_id, 0) + 1
        twice = sum(1 for n in per_report.values() if n > 1)
        marked_done = first.count_done(wanted) + second.count_done(wanted)
        complete = done.count() == count and twice == 0 and len(files) == count
        attempts = sum(Report.objects.filter(pk__in=ids).values_list("attempts", flat=True))
        self.measure(
            "worker killed: all done, none twice",
            f"{done.count()}/{count}",
            "all, once",
            complete and marked_done == count,
        )
        self.out(
            f"\n{count} queued, worker (main process and both children) killed with SIGKILL "
            f"at {done_at_kill} done, {killed_at:.0f} s in; a new worker and the sweeper "
            f"took over:\n  all {done.count()} done in {elapsed:.0f} s; renders cut short "
            f"and redone: {interrupted}; attempts {attempts} for {count} reports; "
            f"files {len(files)}; reports with more than one file: {twice}; "
            f"'done' log lines {marked_done}  all complete, none twice: "
            f"{_ok(complete and marked_done == count)}"
        )


def _ok(passed: bool) -> str:
    return "OK" if passed else "MISSED"


def _conditions() -> str:
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"Report benchmark on {platform.node()}: {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load average {load} (1, 5, 15 min)\n"
        f"Database: {connection.vendor}; broker: {'Redis' if settings.REDIS_URL else 'none'}"
    )


def _pages(pdf: bytes) -> str:
    try:
        from pypdf import PdfReader  # a development dependency: the count is optional
    except ImportError:
        return "?"
    return str(len(PdfReader(io.BytesIO(pdf)).pages))


def _member_of(organisation: Organisation) -> User:
    return organisation.members.select_related("user").get().user


def _bench_data() -> tuple[Seeker, Organisation]:
    """A seeker and a business that answered everything: the largest ordinary reports."""
    _remove_bench_data()
    items = list(Item.objects.filter(factor__version=current_version(), retired=False))
    person = User.objects.create_user(
        f"seeker@{BENCH_DOMAIN}", None, full_name="Bench Seeker", role=Role.SEEKER
    )
    seeker = Seeker.objects.create(user=person)
    Answer.objects.bulk_create(
        Answer(
            seeker=seeker,
            item=item,
            level=(index % 4),
            dealbreaker=item.direction == Direction.WORKER_NEEDS and index % 7 == 0,
            example=EXAMPLE if item.direction == Direction.WORKER_OFFERS else "",
        )
        for index, item in enumerate(items)
    )
    boss = User.objects.create_user(
        f"employer@{BENCH_DOMAIN}", None, full_name="Bench Employer", role=Role.EMPLOYER
    )
    organisation = Organisation.objects.create(
        name="Bench Bakery", sector="food_service", region="halifax", size="5-19"
    )
    Member.objects.create(user=boss, organisation=organisation, is_owner=True)
    OfferAnswer.objects.bulk_create(
        OfferAnswer(organisation=organisation, item=item, level=index % 3, example=EXAMPLE)
        for index, item in enumerate(items)
    )
    return seeker, organisation


def _remove_bench_data() -> None:
    User.objects.filter(email__endswith=f"@{BENCH_DOMAIN}").delete()  # reports cascade
    Organisation.objects.filter(name="Bench Bakery", members__isnull=True).delete()


def _dispatch_many(seeker: Seeker, count: int) -> list[uuid.UUID]:
    """``count`` distinct profile reports, created in one go and sent to the queue."""
    reports = Report.objects.bulk_create(
        Report(
            owner=seeker.user,
            kind="seeker_profile",
            params={"seeker": seeker.pk},
            params_key=uuid.uuid4().hex,
            language="en",
            title="Bench profile",
        )
        for _ in range(count)
    )
    for report in reports:
        if not report_dispatch(report_id=report.pk):
            raise CommandError("The broker refused the job: is Redis running?")
    return [report.pk for report in reports]


def _wait(condition: Callable[[], bool], *, timeout: float, what: str, poll: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise CommandError(f"Timed out after {timeout:.0f} s waiting for {what}.")


def _wait_done(ids: list[uuid.UUID], *, timeout: float, poll: float = 0.05) -> None:
    pending = Report.objects.filter(pk__in=ids).exclude(status=ReportStatus.DONE)
    _wait(lambda: not pending.exists(), timeout=timeout, what="the reports", poll=poll)


class _Worker:
    def __init__(self, env: dict[str, str], log: Path, concurrency: int) -> None:
        self.log = log
        handle = log.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                sys.executable, "-m", "celery", "-A", "thriving", "worker",
                "-Q", env["REPORTS_QUEUE"], "-c", str(concurrency), "-P", "prefork",
                "-n", f"bench-{uuid.uuid4().hex[:8]}@%h", "--without-gossip",
                "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
            ],
            env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        handle.close()
        _wait(self._ready, timeout=120, what="a worker to start")

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise CommandError(f"The worker exited: see {self.log}")
        return " ready." in self.log.read_text(errors="replace")

    def count_done(self, ids: set[str]) -> int:
        """Renders this worker completed and marked done, for these report ids."""
        lines = self.log.read_text(errors="replace").splitlines()
        return sum(
            1 for line in lines if " done (" in line and line.split("report ")[-1][:36] in ids
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def _workers_on_a_queue(media: Path) -> Iterator[Callable[..., _Worker]]:
    """Workers on a queue of their own, so the benchmark never touches real jobs."""
    queue = f"bench-reports-{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "REPORTS_QUEUE": queue, "MEDIA_ROOT": str(media), "LOG_LEVEL": "INFO"}
    workers: list[_Worker] = []

    def start(*, concurrency: int) -> _Worker:
        worker = _Worker(env, media / f"worker-{len(workers)}.log", concurrency)
        workers.append(worker)
        return worker

    with override_settings(REPORTS_QUEUE=queue):
        try:
            yield start
        finally:
            for worker in workers:
                worker.stop()
            import redis

            with suppress(redis.RedisError):
                redis.Redis.from_url(settings.REDIS_URL).delete(queue)

"""Load test: gunicorn + PostgreSQL + Redis on loopback, driven by locust (docs/performance.md).

Needs the data of ``seed_scale`` in the configured PostgreSQL database and ``REDIS_URL``.
Starts gunicorn with production settings (DEBUG off, two-factor sign-in for staff, the
same middleware) plus the ``Server-Timing`` header, then runs two locust phases, headless
and bounded in time:

1. ``--users`` people (seekers, employers, practitioners, admins) sign in and walk their
   role's main pages with 1-3 s of think time, for ``--duration`` seconds;
2. a capacity phase: ``--capacity-users`` clients with no think time, all on one page at
   a time for ``--slice`` seconds each, the trivial ``/ping`` first.

Prints one row per page: requests and errors and the server time (median, p95) of
phase 1, and the requests per second each page sustained in phase 2 with its ratio to
``/ping``'s. Writes the same as JSON (``--json``) for ``bench_summary``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from accounts.management.commands.seed_scale import MARK, PASSWORD, TOTP_SECRET
from accounts.models import Role, User
from employers.models import JobRole, RoleStatus
from seekers.models import Seeker
from thriving.bench import Measure, record

TRIVIAL = "trivial view (/ping)"
SIGN_IN = "sign-in (not a page)"
TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_RATIO = 50.0, 150.0, 0.15
LOCUSTFILE = Path(settings.BASE_DIR) / "loadtest" / "locustfile.py"


def _seeker_pages() -> list[tuple[str, str]]:
    return [
        ("seeker: activities /me/", "/me/"),
        ("seeker: profile /me/profile/", "/me/profile/"),
        ("seeker: roles for me /me/roles/", "/me/roles/"),
        ("seeker: my data /me/data/", "/me/data/"),
    ]


def _employer_pages(user: User) -> list[tuple[str, str]]:
    pages = [
        ("employer: business /business/", "/business/"),
        ("employer: roles /business/roles/", "/business/roles/"),
        ("employer: offer /business/offer/", "/business/offer/"),
        ("employer: candidates /business/candidates/", "/business/candidates/"),
    ]
    role = (
        JobRole.objects.filter(organisation__members__user=user, status=RoleStatus.PUBLISHED)
        .order_by("pk")
        .first()
    )
    if role is not None:
        pages.append(
            (
                "employer: ranked candidates for a role",
                f"/business/candidates/roles/{role.pk}/",
            )
        )
    return pages


def _practitioner_pages(user: User) -> list[tuple[str, str]]:
    pages = [
        ("practitioner: caseload /caseload/", "/caseload/"),
        ("practitioner: follow-ups", "/caseload/follow-ups/"),
        ("practitioner: matching /matches/", "/matches/"),
    ]
    client = Seeker.objects.filter(practitioner=user).order_by("pk").first()
    if client is not None:
        pages += [
            ("practitioner: a client's record", f"/caseload/seekers/{client.pk}/"),
            ("practitioner: roles for a client", f"/matches/seekers/{client.pk}/"),
        ]
    return pages


def _admin_pages() -> list[tuple[str, str]]:
    return [
        ("admin: all caseloads /caseload/", "/caseload/"),
        ("admin: program dashboard /outcomes/", "/outcomes/"),
        ("admin: staff /staff/", "/staff/"),
        ("admin: framework /framework/", "/framework/"),
    ]


def build_plan(*, host: str, per_role: int) -> dict[str, Any]:
    """The synthetic accounts that can sign in, and the pages each walks."""
    accounts: dict[str, list[dict[str, Any]]] = {}
    for role in (Role.SEEKER, Role.EMPLOYER, Role.PRACTITIONER, Role.ADMIN):
        users = list(
            User.objects.filter(email__endswith=f"@{MARK.domain}", role=role)
            .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
            .order_by("pk")[:per_role]
        )
        if not users:
            raise CommandError(
                f"No synthetic {role} account can sign in: run `manage.py seed_scale` first."
            )
        accounts[str(role)] = [{"email": user.email, "pages": _pages(role, user)} for user in users]
    # Every page name once, for the capacity phase (each client opens its own account's).
    capacity = {
        name: (role, name) for role, people in accounts.items() for name, _ in people[0]["pages"]
    }
    return {
        "host": host,
        "password": PASSWORD,
        "totp_secret": TOTP_SECRET,
        "accounts": accounts,
        "capacity_pages": list(capacity.values()),
    }


def _pages(role: str, user: User) -> list[tuple[str, str]]:
    if role == Role.SEEKER:
        return _seeker_pages()
    if role == Role.EMPLOYER:
        return _employer_pages(user)
    if role == Role.PRACTITIONER:
        return _practitioner_pages(user)
    return _admin_pages()


def _percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarise(load: dict[str, Any], capacity: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per page: phase 1's counts and server times, phase 2's requests/s, ratio."""
    seconds = max(load["seconds"], 1e-9)
    rates: dict[str, float] = {}
    for name, page in capacity["pages"].items():
        window = page.get("window")
        if window and window[1] > window[0] and name != SIGN_IN:
            rates[name] = page["requests"] / (window[1] - window[0])
    trivial = rates.get(TRIVIAL)
    rows = []
    for name in sorted(load["pages"], key=lambda n: (n == TRIVIAL, n == SIGN_IN, n)):
        page = load["pages"][name]
        server = page["server_ms"]
        capacity_rate = rates.get(name)
        rows.append(
            {
                "page": name,
                "requests": page["requests"],
                "errors": page["errors"] + capacity["pages"].get(name, {}).get("errors", 0),
                "median_ms": statistics.median(server) if server else float("nan"),
                "p95_ms": _percentile(server, 0.95),
                "rps": page["requests"] / seconds,
                "capacity_rps": capacity_rate,
                "ratio": (capacity_rate / trivial) if capacity_rate and trivial else None,
            }
        )
    return rows


def measures(rows: list[dict[str, Any]], *, users: int) -> list[Measure]:
    """The rows as ``bench_summary`` prints them."""
    found = [
        Measure(
            "loadtest",
            f"errors, every request ({users} users)",
            str(sum(row["errors"] for row in rows)),
            "0",
            all(row["errors"] == 0 for row in rows),
        )
    ]
    for row in rows:
        if row["page"] in (SIGN_IN, TRIVIAL):
            continue
        found.append(
            Measure(
                "loadtest",
                f"{row['page']}: server median / p95",
                f"{row['median_ms']:.0f} / {row['p95_ms']:.0f} ms",
                f"≤ {TARGET_MEDIAN_MS:.0f} / {TARGET_P95_MS:.0f}",
                row["median_ms"] <= TARGET_MEDIAN_MS and row["p95_ms"] <= TARGET_P95_MS,
            )
        )
        if row["ratio"] is not None:
            found.append(
                Measure(
                    "loadtest",
                    f"{row['page']}: capacity vs /ping",
                    f"{row['ratio']:.0%}",
                    f"≥ {TARGET_RATIO:.0%}",
                    row["ratio"] >= TARGET_RATIO,
                )
            )
    return found


def verdict(row: dict[str, Any]) -> str:
    if row["page"] == SIGN_IN:
        return "(not judged)"
    ok = (
        row["errors"] == 0
        and row["median_ms"] <= TARGET_MEDIAN_MS
        and row["p95_ms"] <= TARGET_P95_MS
        and (row["ratio"] is None or row["ratio"] >= TARGET_RATIO)
    )
    return "ok" if ok else "MISSED"


def table(rows: list[dict[str, Any]]) -> str:
    header = (
        f"{'page':<46} {'reqs':>5} {'err':>4} {'med ms':>7} {'p95 ms':>7} {'req/s':>6} "
        f"{'cap/s':>7} {'ratio':>6}  target"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        cap = f"{row['capacity_rps']:.1f}" if row["capacity_rps"] else "-"
        ratio = f"{row['ratio']:.0%}" if row["ratio"] is not None else "-"
        lines.append(
            f"{row['page'][:46]:<46} {row['requests']:>5} {row['errors']:>4} "
            f"{row['median_ms']:>7.1f} {row['p95_ms']:>7.1f} {row['rps']:>6.2f} {cap:>7} "
            f"{ratio:>6}  {verdict(row)}"
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Load-test gunicorn + PostgreSQL + Redis with locust (needs seed_scale's data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=20)
        parser.add_argument("--duration", type=int, default=60, help="Seconds of phase 1.")
        parser.add_argument("--capacity-users", type=int, default=4)
        parser.add_argument("--slice", type=float, default=4.0, help="Seconds per page.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("The load test needs DATABASE_URL (PostgreSQL) and REDIS_URL.")
        if not 1 <= options["users"] <= 200 or not 5 <= options["duration"] <= 600:
            raise CommandError("Use 1 to 200 users and 5 to 600 seconds.")
        host = f"http://127.0.0.1:{options['port']}"
        plan = build_plan(host=host, per_role=max(options["users"], 60))
        work = Path(tempfile.mkdtemp(prefix="loadtest-"))
        (work / "plan.json").write_text(json.dumps(plan))
        env = self._server_env(work)
        self._collectstatic(env)
        self._keep_dashboard_figures()
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "thriving.wsgi:application",
                f"--bind=127.0.0.1:{options['port']}",
                f"--workers={options['workers']}",
                "--log-level=warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )
        # The background work of production (docker-compose.yml): a worker and beat, so the
        # jobs pages hand off (the dashboard's figures, an employer's ranked page) run as
        # they do live, on the same two cores.
        celery = [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "thriving",
        ]
        background = [
            subprocess.Popen(  # noqa: S603
                [*celery, "worker", "--concurrency=1", "--loglevel=warning"],
                env=env,
                cwd=settings.BASE_DIR,
            ),
            subprocess.Popen(  # noqa: S603
                [*celery, "beat", "--loglevel=warning", f"--schedule={work / 'beat'}"],
                env=env,
                cwd=settings.BASE_DIR,
            ),
        ]
        try:
            self._wait_for(host)
            load = self._locust(work, host, "load", options["users"], options["duration"], {})
            slices = len(plan["capacity_pages"]) + 1
            capacity = self._locust(
                work,
                host,
                "capacity",
                options["capacity_users"],
                int(60 + slices * options["slice"]),
                {
                    "LOADTEST_CAPACITY_USERS": str(options["capacity_users"]),
                    "LOADTEST_SLICE": str(options["slice"]),
                },
            )
        finally:
            for process in (server, *background):
                process.terminate()
            for process in (server, *background):
                process.wait(timeout=30)
            shutil.rmtree(work, ignore_errors=True)
        rows = summarise(load, capacity)
        self.stdout.write(
            f"Phase 1: {options['users']} users, 1-3 s think time, {load['seconds']:.0f} s; "
            f"phase 2: {options['capacity_users']} users, no think time, "
            f"{options['slice']:.0f} s per page. Server time from the Server-Timing header. "
            f"Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs."
        )
        self.stdout.write(table(rows))
        record("loadtest", measures(rows, users=options["users"]))

    def _server_env(self, work: Path) -> dict[str, str]:
        """Production settings, as the Dockerfile runs them; only the address is loopback."""
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "REDIS_URL": settings.REDIS_URL,
            "STATIC_ROOT": str(work / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "SERVER_TIMING": "1",
            "PROXY_COUNT": "1",  # as behind the TLS-terminating proxy of production
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def _collectstatic(self, env: dict[str, str]) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            env=env,
            cwd=settings.BASE_DIR,
            check=True,
        )

    def _keep_dashboard_figures(self) -> None:
        """The program dashboard's figures without filters, computed once here: in production
        Celery beat has kept them since long before anyone opens the page (its first run
        here comes only after its four-minute interval)."""
        from outcomes.tasks import dashboard_refresh

        dashboard_refresh.apply()

    def _wait_for(self, host: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(  # noqa: S310 - our own loopback server
                    f"{host}/ping", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError("gunicorn did not answer /ping within 60 s.")

    def _locust(
        self,
        work: Path,
        host: str,
        phase: str,
        users: int,
        seconds: int,
        extra: dict[str, str],
    ) -> dict[str, Any]:
        out = work / f"{phase}.json"
        log = work / f"{phase}.log"
        env = {
            **os.environ,
            "LOADTEST_PLAN": str(work / "plan.json"),
            "LOADTEST_PHASE": phase,
            "LOADTEST_OUT": str(out),
            **extra,
        }
        self.stdout.write(f"locust, {phase} phase: {users} users, at most {seconds} s ...")
        subprocess.run(  # noqa: S603
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                f"--users={users}",
                f"--spawn-rate={max(1, users // 5)}",
                f"--run-time={seconds}s",
                f"--host={host}",
                "--only-summary",
                "--loglevel=WARNING",
                "--exit-code-on-error=0",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        if not out.exists():
            raise CommandError(f"locust ({phase}) wrote no results:\n{log.read_text()[-3000:]}")
        errors = [line for line in log.read_text().splitlines() if "answered" in line]
        for line in errors[:10]:  # locust's error report: which page answered what
            self.stdout.write(f"  {line.strip()}")
        return json.loads(out.read_text())

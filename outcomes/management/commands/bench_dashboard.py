"""Time the program dashboard at provincial scale, in PostgreSQL.

Builds synthetic, clearly marked rows in the configured database (users under
``@bench-dashboard.invalid``, offices and businesses named ``[bench-dashboard] ...``):
by default 100,000 job seekers, 10,000 employers, 20,000 placements with their
follow-ups, shared profiles, offer answers, packed answer vectors and mindset checks.
Then it times the dashboard (all its queries, and the whole page as an admin sees it),
median of several runs, with and without filters.

Idempotent: marked rows already there in the asked numbers are reused, so a second run
only times. ``--clean`` removes every marked row (plain DELETEs). Refuses to run when
DEBUG is off unless ``--force`` is given: it writes to the database it is pointed at.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Office, Role, User
from employers.models import JobRole, MindsetAnswer, OfferAnswer, Organisation
from employers.models import MindsetRound as EmployerRound
from factors.completion import organisations_completion_sync, seekers_completion_sync
from factors.matching import match_items
from factors.models import Item, MindsetPrompt
from factors.scales import FactorKey
from outcomes.dashboard.build import program_dashboard
from outcomes.dashboard.filters import DashboardFilter
from outcomes.models import FollowUp, FollowUpFactor
from outcomes.services import add_months
from practitioners.models import Placement
from seekers.models import (
    EmployerConsent,
    MindsetResponse,
    MindsetRound,
    Seeker,
    SeekerVector,
)

MARK_DOMAIN = "bench-dashboard.invalid"
MARK_NAME = "[bench-dashboard] "
UNUSABLE = "!"  # Django's marker for "no password": nobody can sign in as these rows
BATCH = 5000
OFFICES = 4
PRACTITIONERS = 40
STATUSES = ("aligned", "aligned", "stretch", "gap", "not_comparable")
DELIVERY = ("self_serve", "one_to_one", "one_to_one", "group")


def _batched(rows: Iterator[Any], model: Any) -> list[Any]:
    return model.objects.bulk_create(rows, batch_size=BATCH)


class Command(BaseCommand):
    help = (
        "Benchmark the program dashboard on 100,000 seekers, 10,000 employers, 20,000 placements."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seekers", type=int, default=100_000)
        parser.add_argument("--employers", type=int, default=10_000)
        parser.add_argument("--placements", type=int, default=20_000)
        parser.add_argument("--repeat", type=int, default=7)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--clean", action="store_true", help="Remove the marked rows, then stop."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (writes rows)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "This writes synthetic rows to the configured database. "
                "Run it with DEBUG on, or add --force."
            )
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark is meant for PostgreSQL (set DATABASE_URL).")
        if options["clean"]:
            self._clean()
            return
        seekers, employers, placements = (
            options["seekers"],
            options["employers"],
            options["placements"],
        )
        if not (1 <= placements <= seekers <= 1_000_000 and 1 <= employers <= 100_000):
            raise CommandError("Use 1 to 1,000,000 seekers, at most as many placements.")
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic data
        if self._built() != (seekers, employers, placements):
            self._clean()
            started = time.perf_counter()
            with transaction.atomic():
                self._build(seekers=seekers, employers=employers, placements=placements, rng=rng)
            self.stdout.write(f"Built the synthetic rows in {time.perf_counter() - started:.0f} s.")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            self.stdout.write("Reusing the synthetic rows already built.")
        self._time(repeat=max(1, options["repeat"]))

    # --- building --------------------------------------------------------------------

    def _built(self) -> tuple[int, int, int]:
        return (
            Seeker.objects.filter(user__email__endswith=f"@{MARK_DOMAIN}").count(),
            Organisation.objects.filter(name__startswith=MARK_NAME).count(),
            Placement.objects.filter(seeker__user__email__endswith=f"@{MARK_DOMAIN}").count(),
        )

    def _build(self, *, seekers: int, employers: int, placements: int, rng: random.Random) -> None:
        today = timezone.localdate()
        offices = _batched((Office(name=f"{MARK_NAME}office {n}") for n in range(OFFICES)), Office)
        staff = _batched(
            (
                User(
                    email=f"practitioner-{n}@{MARK_DOMAIN}",
                    role=Role.PRACTITIONER,
                    office=offices[n % OFFICES],
                    password=UNUSABLE,
                )
                for n in range(PRACTITIONERS)
            ),
            User,
        )
        users = _batched(
            (
                User(email=f"seeker-{n}@{MARK_DOMAIN}", role=Role.SEEKER, password=UNUSABLE)
                for n in range(seekers)
            ),
            User,
        )

        def served_by(n: int) -> dict[str, Any]:
            practitioner = staff[n % PRACTITIONERS]
            return {"practitioner": practitioner, "office_id": practitioner.office_id}

        people = _batched(
            (
                Seeker(user=user, delivery_method=DELIVERY[n % 4], **served_by(n))
                for n, user in enumerate(users)
            ),
            Seeker,
        )
        businesses = _batched(
            (
                Organisation(
                    name=f"{MARK_NAME}business {n}",
                    sector="retail",
                    region="halifax",
                    size="5-19",
                    **served_by(n),
                )
                for n in range(employers)
            ),
            Organisation,
        )
        self._spread_sign_ups(today)
        self.stdout.write(f"  {seekers} seekers, {employers} employers")
        self._answers(people=people, businesses=businesses, rng=rng)
        roles = _batched(
            (
                JobRole(
                    organisation=business,
                    title=f"{MARK_NAME}role",
                    hours_per_week=30,
                    location="Halifax",
                    region="halifax",
                    pay_min=Decimal("17"),
                    pay_max=Decimal("21"),
                )
                for business in businesses
            ),
            JobRole,
        )
        hired = rng.sample(range(seekers), placements)
        made = _batched(
            (self._placement(people[s], roles, rng, today, staff[0]) for s in hired), Placement
        )
        self.stdout.write(f"  {len(made)} placements")
        _batched(
            (
                EmployerConsent(
                    seeker=people[s],
                    organisation=rng.choice(businesses),
                    granted_at=timezone.now(),
                    expires_at=timezone.now() + datetime.timedelta(days=365),
                    source="seeker",
                )
                for s in rng.sample(range(seekers), min(seekers, placements * 2))
            ),
            EmployerConsent,
        )
        follow_ups = self._follow_ups(made, rng, today)
        self.stdout.write(f"  {follow_ups} follow-ups")
        self._mindsets(people=people, businesses=businesses, rng=rng)

    def _spread_sign_ups(self, today: datetime.date) -> None:
        """Sign-ups over the past two years (``created_at`` is set on insert)."""
        with connection.cursor() as cursor:
            for table, where in (
                (
                    Seeker._meta.db_table,
                    f"user_id IN (SELECT id FROM {User._meta.db_table} WHERE email LIKE %s)",  # noqa: S608
                ),
                (Organisation._meta.db_table, "name LIKE %s"),
            ):
                pattern = f"%@{MARK_DOMAIN}" if "user_id" in where else f"{MARK_NAME}%"
                cursor.execute(
                    f"UPDATE {table} SET created_at = now() - random() * interval '730 days' "  # noqa: S608
                    f"WHERE {where}",
                    [pattern],
                )

    def _answers(
        self, *, people: list[Seeker], businesses: list[Organisation], rng: random.Random
    ) -> None:
        """Packed answer vectors for 70 % of seekers (most complete); offer answers for
        60 % of businesses (most complete)."""
        items = match_items()
        width = items.layout().width
        complete = [
            bytes(rng.randint(0, 3) for _ in range(width)) + bytes(width) for _ in range(50)
        ]
        partial = [
            bytes(255 if rng.random() < 0.3 else rng.randint(0, 3) for _ in range(width))
            + bytes(width)
            for _ in range(50)
        ]
        _batched(
            (
                SeekerVector(
                    seeker=person,
                    version=items.version,
                    data=rng.choice(complete if rng.random() < 0.75 else partial),
                )
                for person in people
                if rng.random() < 0.7
            ),
            SeekerVector,
        )
        active = list(Item.objects.filter(factor__version=items.version, retired=False))
        rows = 0

        def offers() -> Iterator[OfferAnswer]:
            nonlocal rows
            for business in businesses:
                if rng.random() >= 0.6:
                    continue
                answered = active if rng.random() < 0.7 else active[: len(active) // 2]
                for item in answered:
                    rows += 1
                    yield OfferAnswer(organisation=business, item=item, level=rng.randint(0, 3))

        _batched(offers(), OfferAnswer)
        self.stdout.write(f"  {rows} offer answers")
        # Bulk inserts bypass the answer services: record who finished, as they would
        # (the people given, in batches, so any caller's rows are covered).
        for start in range(0, max(len(people), len(businesses)), BATCH):
            seekers_completion_sync(seekers=[p.pk for p in people[start : start + BATCH]])
            organisations_completion_sync(
                organisations=[b.pk for b in businesses[start : start + BATCH]]
            )

    def _placement(
        self,
        seeker: Seeker,
        roles: list[JobRole],
        rng: random.Random,
        today: datetime.date,
        by: User,
    ) -> Placement:
        role = rng.choice(roles)
        statuses = {key: rng.choice(STATUSES) for key in FactorKey.values}
        score = None if rng.random() < 0.05 else rng.randint(20, 100)
        return Placement(
            seeker=seeker,
            organisation_id=role.organisation_id,
            role=role,
            started_on=today - datetime.timedelta(days=rng.randint(0, 730)),
            hours_per_week=Decimal("30"),
            wage=Decimal("18.50"),
            wage_period="hour",
            fit_snapshot={
                "score": score,
                "comparable": 6,
                "across_versions": False,
                "factors": {k: {"status": s, "fit": 600} for k, s in statuses.items()},
            },
            fit_score=score,
            delivery_method=seeker.delivery_method,
            recorded_by=by,
        )

    def _follow_ups(
        self, placements: list[Placement], rng: random.Random, today: datetime.date
    ) -> int:
        """Both sides at 1, 3, 6 and 12 months as they came due; most answered. A placement
        that ends does so at a random month, naming one or two factors that pushed apart."""
        keys = list(FactorKey.values)
        now = timezone.now()
        pushed: list[tuple[FollowUp, list[str]]] = []

        def rows() -> Iterator[FollowUp]:
            for placement in placements:
                ends_at = rng.choice([1, 3, 6, 12, None, None, None])
                for month in (1, 3, 6, 12):
                    due = add_months(placement.started_on, month)
                    if due > today:
                        break
                    for party in ("worker", "employer"):
                        follow_up = FollowUp(
                            placement=placement, party=party, month=month, due_on=due
                        )
                        if rng.random() < 0.8:
                            follow_up.answered_at = now
                            follow_up.source = "phone"
                            if ends_at is not None and month >= ends_at:
                                follow_up.still_there = "left"
                                follow_up.left_on = due - datetime.timedelta(days=20)
                                follow_up.who_decided = rng.choice(["worker", "employer", "both"])
                                pushed.append((follow_up, rng.sample(keys, rng.randint(1, 2))))
                            else:
                                follow_up.still_there = "yes"
                        yield follow_up
                    if ends_at is not None and month >= ends_at:
                        break

        made = _batched(rows(), FollowUp)
        _batched(
            (
                FollowUpFactor(follow_up=follow_up, factor_key=key, pushed_apart=True)
                for follow_up, factor_keys in pushed
                for key in factor_keys
            ),
            FollowUpFactor,
        )
        return len(made)

    def _mindsets(
        self, *, people: list[Seeker], businesses: list[Organisation], rng: random.Random
    ) -> None:
        """An intake and a later check for 5 % of seekers and 10 % of businesses."""
        import uuid

        items = match_items()
        prompts = list(MindsetPrompt.objects.filter(factor__version=items.version, retired=False))
        seeker_prompts = [p for p in prompts if p.side == "worker"]
        employer_prompts = [p for p in prompts if p.side == "employer"]
        rounds = _batched(
            (
                MindsetRound(
                    seeker=person, version=items.version, occasion=occasion, token=uuid.uuid4()
                )
                for person in rng.sample(people, len(people) // 20)
                for occasion in ("intake", "retake")
            ),
            MindsetRound,
        )
        _batched(
            (
                MindsetResponse(
                    round=r,
                    prompt=p,
                    agreement=rng.randint(2, 5) if r.occasion == "intake" else rng.randint(1, 4),
                )
                for r in rounds
                for p in seeker_prompts
            ),
            MindsetResponse,
        )
        employer_rounds = _batched(
            (
                EmployerRound(organisation=business, version=items.version, token=uuid.uuid4())
                for business in rng.sample(businesses, len(businesses) // 10)
                for _ in range(2)
            ),
            EmployerRound,
        )
        _batched(
            (
                MindsetAnswer(round=r, prompt=p, agreement=rng.randint(1, 5))
                for r in employer_rounds
                for p in employer_prompts
            ),
            MindsetAnswer,
        )

    # --- timing ----------------------------------------------------------------------

    def _time(self, *, repeat: int) -> None:
        today = timezone.localdate()
        office = Office.objects.filter(name__startswith=MARK_NAME).order_by("pk").first()
        practitioner = (
            User.objects.filter(email__endswith=f"@{MARK_DOMAIN}", role=Role.PRACTITIONER)
            .order_by("pk")
            .first()
        )
        cases: list[tuple[str, DashboardFilter, dict[str, str]]] = [
            ("no filters", DashboardFilter(), {}),
            (
                "one office",
                DashboardFilter(office_id=office.pk if office else None),
                {"office": str(office.pk) if office else ""},
            ),
            (
                "one practitioner",
                DashboardFilter(practitioner_id=practitioner.pk if practitioner else None),
                {"practitioner": str(practitioner.pk) if practitioner else ""},
            ),
            (
                "last 12 months",
                DashboardFilter(start=today - datetime.timedelta(days=365), end=today),
                {
                    "start": (today - datetime.timedelta(days=365)).isoformat(),
                    "end": today.isoformat(),
                },
            ),
        ]
        load = os.getloadavg()
        self.stdout.write(
            f"Data: {Seeker.objects.count()} seekers, {Organisation.objects.count()} employers, "
            f"{Placement.objects.count()} placements, {FollowUp.objects.count()} follow-ups "
            f"(whole database). Machine load before timing: "
            f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} CPUs."
        )
        admin = self._admin()
        client = Client()
        client.force_login(admin)
        url = reverse("dashboard:dashboard")
        for name, filters, params in cases:
            data = _median(lambda f=filters: program_dashboard(filters=f, today=today), repeat)
            cpu = _cpu_median(lambda f=filters: program_dashboard(filters=f, today=today), repeat)

            def cold(p: dict[str, str] = params) -> Any:
                cache.clear()  # the page keeps its figures five minutes: time the computation
                return _ok(client.get(url, p, HTTP_HOST="localhost"))

            page = _median(cold, repeat)
            warm = _median(lambda p=params: _ok(client.get(url, p, HTTP_HOST="localhost")), repeat)
            self.stdout.write(
                f"{name:>18}: dashboard data {data[0]:.0f} ms (min {data[1]:.0f}, max "
                f"{data[2]:.0f}); whole page, computed {page[0]:.0f} ms (min {page[1]:.0f}, "
                f"max {page[2]:.0f}); whole page, from the cache {warm[0]:.0f} ms "
                f"(min {warm[1]:.0f}); median of {repeat}"
            )
            if cpu is not None:
                self.stdout.write(
                    f"{'':>18}  dashboard data, CPU time: this process {cpu[0]:.0f} ms + "
                    f"database server {cpu[1]:.0f} ms = {cpu[0] + cpu[1]:.0f} ms (median)"
                )
        load = os.getloadavg()
        self.stdout.write(
            f"Machine load after timing: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}."
        )

    def _admin(self) -> User:
        admin, _created = User.objects.get_or_create(
            email=f"admin@{MARK_DOMAIN}",
            defaults={"role": Role.ADMIN, "password": UNUSABLE},
        )
        return admin

    # --- cleaning --------------------------------------------------------------------

    def _clean(self) -> None:
        """Delete every marked row with plain DELETEs (the ORM's cascade would fetch each)."""
        people = Seeker.objects.filter(user__email__endswith=f"@{MARK_DOMAIN}").values("pk")
        businesses = Organisation.objects.filter(name__startswith=MARK_NAME).values("pk")
        placements = Placement.objects.filter(seeker__in=people).values("pk")
        with transaction.atomic():
            FollowUpFactor.objects.filter(follow_up__placement__in=placements)._raw_delete(
                "default"
            )
            FollowUp.objects.filter(placement__in=placements)._raw_delete("default")
            Placement.objects.filter(pk__in=placements)._raw_delete("default")
            MindsetResponse.objects.filter(round__seeker__in=people)._raw_delete("default")
            MindsetRound.objects.filter(seeker__in=people)._raw_delete("default")
            EmployerConsent.objects.filter(seeker__in=people)._raw_delete("default")
            SeekerVector.objects.filter(seeker__in=people)._raw_delete("default")
            MindsetAnswer.objects.filter(round__organisation__in=businesses)._raw_delete("default")
            EmployerRound.objects.filter(organisation__in=businesses)._raw_delete("default")
            OfferAnswer.objects.filter(organisation__in=businesses)._raw_delete("default")
            JobRole.objects.filter(organisation__in=businesses)._raw_delete("default")
            Organisation.objects.filter(pk__in=businesses)._raw_delete("default")
            Seeker.objects.filter(pk__in=people)._raw_delete("default")
            User.objects.filter(email__endswith=f"@{MARK_DOMAIN}")._raw_delete("default")
            Office.objects.filter(name__startswith=MARK_NAME).delete()
        self.stdout.write("Removed the synthetic rows (if any).")


def _ok(response: Any) -> Any:
    if response.status_code != 200:
        raise CommandError(f"The dashboard answered {response.status_code}.")
    return response


def _backend_cpu_ms() -> float | None:
    """CPU time used so far by this connection's PostgreSQL server process, when the
    server runs on this machine (``/proc``); None otherwise. Unlike wall time it hardly
    moves with the load of a shared machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields, in clock ticks.
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _cpu_median(run: Callable[[], Any], repeat: int) -> tuple[float, float] | None:
    """Median CPU milliseconds of ``run``: (this process, the database server process)."""
    if _backend_cpu_ms() is None:
        return None
    mine, server = [], []
    for _round in range(repeat):
        before_server = _backend_cpu_ms() or 0.0
        before = time.process_time()
        run()
        mine.append((time.process_time() - before) * 1000)
        server.append((_backend_cpu_ms() or 0.0) - before_server)
    return statistics.median(mine), statistics.median(server)


def _median(run: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    run()  # warm up: first query plans, template loading
    timings = []
    for _round in range(repeat):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), min(timings), max(timings)

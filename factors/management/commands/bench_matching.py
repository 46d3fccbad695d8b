"""Time ranking many seekers for one role, end to end, against the per-pair reference.

Builds synthetic, clearly marked rows in the configured database (users under
``@bench-matching.invalid``, businesses named ``[bench] ...``), times
``rank_seekers_for_role`` (database read included) and ``fit_for`` over a sample, checks
they agree, prints the numbers, and deletes every marked row afterwards (also when it
fails). Refuses to run when DEBUG is off unless ``--force`` is given: it writes to the
database it is pointed at.

Only a sample of seekers gets real ``Answer`` rows (the reference path reads them); the
others get their packed vector straight from random answers, which is all the fast path
reads. Building millions of answer rows would only time the set-up.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from accounts.models import Role, User
from employers.models import JobRole, OfferAnswer, Organisation, RoleStatus
from factors.matching import (
    MatchItems,
    _stored_vectors,
    _vectors_for,
    fit_for,
    match_items,
    rank_seekers_for_role,
)
from seekers.models import Answer, Seeker, SeekerVector
from thriving.bench import Measure, record

MARK_DOMAIN = "bench-matching.invalid"
MARK_NAME = "[bench] "
SAMPLE = 200
PAGE = 25  # what a page shows: every seeker is scored and sorted, one page is returned
UNUSABLE = "!"  # Django's marker for "no password": nobody can sign in as these rows


def _random_levels(rng: random.Random, items: MatchItems) -> dict[Any, tuple[int, bool]]:
    answers = {}
    skip = rng.choice([0.0, 0.0, 0.0, 0.2])
    for fit_item in items.items:
        if rng.random() < skip:
            continue
        level = rng.randint(0, 3)
        answers[fit_item.identity] = (level, level > 0 and rng.random() < 0.1)
    return answers


class Command(BaseCommand):
    help = "Benchmark ranking N synthetic seekers for a role against the reference fit map."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seekers", type=int, default=10_000)
        parser.add_argument("--roles", type=int, default=1)
        parser.add_argument(
            "--others",
            type=int,
            default=0,
            help="Seekers with vectors who are not ranked: the rest of a province "
            "(e.g. --seekers 10000 --others 90000 ranks an office among 100,000).",
        )
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (writes rows)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "This writes synthetic rows to the configured database. "
                "Run it with DEBUG on, or add --force."
            )
        seekers, roles, others = options["seekers"], options["roles"], options["others"]
        if not 1 <= seekers <= 1_000_000 or not 1 <= roles <= 1000 or not 0 <= others <= 1_000_000:
            raise CommandError(
                "Use 1 to 1,000,000 seekers, 1 to 1,000 roles and 0 to 1,000,000 others."
            )
        marker = uuid.uuid4().hex[:8]
        try:
            self._run(
                seekers=seekers,
                roles=roles,
                others=others,
                repeat=max(1, options["repeat"]),
                rng=random.Random(options["seed"]),  # noqa: S311 - synthetic data
                marker=marker,
            )
        finally:
            self._clean()

    def _build_others(self, *, count: int, rng: random.Random, marker: str, items) -> None:
        """Seekers who are in the database but not ranked, built before the ranked ones so
        their ids fall outside the ranked range: the read must not cost in proportion to
        them."""
        users = User.objects.bulk_create(
            (
                User(email=f"{marker}-other-{n}@{MARK_DOMAIN}", role=Role.SEEKER, password=UNUSABLE)
                for n in range(count)
            ),
            batch_size=5000,
        )
        people = Seeker.objects.bulk_create((Seeker(user=user) for user in users), batch_size=5000)
        vectors = _random_vectors(rng, items, [p.pk for p in people])
        SeekerVector.objects.bulk_create(
            (SeekerVector(seeker_id=s, version=items.version, data=d) for s, d in vectors.items()),
            batch_size=5000,
        )

    def _build(self, *, seekers: int, roles: int, rng: random.Random, marker: str, items):
        started = time.perf_counter()
        organisation = Organisation.objects.create(
            name=f"{MARK_NAME}{marker}", sector="retail", region="halifax", size="5-19"
        )
        OfferAnswer.objects.bulk_create(
            OfferAnswer(
                organisation=organisation,
                item=fit_item.item,
                level=rng.randint(0, 2)
                if fit_item.direction == "worker_needs"
                else rng.randint(0, 3),
            )
            for fit_item in items.items
        )
        job_roles = JobRole.objects.bulk_create(
            JobRole(
                organisation=organisation,
                title=f"{MARK_NAME}role {n}",
                hours_per_week=30,
                location="Halifax",
                region="halifax",
                pay_min=18,
                pay_max=22,
                status=RoleStatus.PUBLISHED,
            )
            for n in range(roles)
        )
        users = User.objects.bulk_create(
            (
                User(email=f"{marker}-{n}@{MARK_DOMAIN}", role=Role.SEEKER, password=UNUSABLE)
                for n in range(seekers)
            ),
            batch_size=5000,
        )
        people = Seeker.objects.bulk_create((Seeker(user=user) for user in users), batch_size=5000)
        layout = items.layout()
        sample = people[:SAMPLE]
        by_identity = {i.identity: i.item for i in items.items}
        Answer.objects.bulk_create(
            (
                Answer(seeker=person, item=by_identity[identity], level=level, dealbreaker=flag)
                for person in sample
                for identity, (level, flag) in _random_levels(rng, items).items()
            ),
            batch_size=5000,
        )
        vectors = _vectors_for(seeker_ids=[p.pk for p in sample], items=items, layout=layout)
        vectors.update(_random_vectors(rng, items, [p.pk for p in people[SAMPLE:]]))
        SeekerVector.objects.bulk_create(
            (SeekerVector(seeker_id=s, version=items.version, data=d) for s, d in vectors.items()),
            batch_size=5000,
        )
        self.stdout.write(f"Built {seekers} seekers in {time.perf_counter() - started:.1f} s.")
        low, high = people[0].pk, people[-1].pk
        return job_roles, Seeker.objects.filter(pk__gte=low, pk__lte=high), sample

    def _run(
        self,
        *,
        seekers: int,
        roles: int,
        others: int,
        repeat: int,
        rng: random.Random,
        marker: str,
    ):
        items = match_items()
        page = None
        if others:
            with transaction.atomic():
                self._build_others(count=others, rng=rng, marker=marker, items=items)
        with transaction.atomic():
            job_roles, queryset, sample = self._build(
                seekers=seekers, roles=roles, rng=rng, marker=marker, items=items
            )
        role = job_roles[0]
        # Fresh statistics for the planner, as autovacuum gives a real table soon after a
        # bulk load; without them PostgreSQL plans for a handful of rows.
        with connection.cursor() as cursor:
            for model in (User, Seeker, SeekerVector):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        timings, cpu, reads = [], [], []
        for _round in range(repeat):
            started = time.perf_counter()
            _stored_vectors(
                seekers_queryset=queryset, version=items.version, width=items.layout().width
            )
            reads.append((time.perf_counter() - started) * 1000)
            started, cpu_started = time.perf_counter(), time.process_time()
            rank_seekers_for_role(role=role, seekers_queryset=queryset, page_size=PAGE)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        # Every row, untimed, to check the sample against the reference.
        page = rank_seekers_for_role(role=role, seekers_queryset=queryset, page_size=seekers)
        fast_ms = statistics.median(timings)

        by_id = {row.seeker_id: row for row in page.rows} if page else {}
        started = time.perf_counter()
        mismatches = 0
        for person in sample:
            reference = fit_for(seeker=person, role=role, items=items)
            row = by_id[person.pk]
            mismatches += (row.score, row.hard_pushes) != (
                reference.score,
                len(reference.dealbreakers),
            )
        per_pair_ms = (time.perf_counter() - started) * 1000 / len(sample)
        reference_ms = per_pair_ms * seekers

        self.stdout.write(
            f"Fast path: ranked {seekers} seekers for one role (first page of {PAGE}"
            + (f"; {others} other seekers in the database" if others else "")
            + ") "
            f"in {fast_ms:.0f} ms "
            f"(median of {repeat}; min {min(timings):.0f}, max {max(timings):.0f}); "
            f"this process's CPU time {statistics.median(cpu):.0f} ms."
        )
        self.stdout.write(
            f"Of which the database read of every vector (one query) takes about "
            f"{statistics.median(reads):.0f} ms (median, timed separately)."
        )
        self.stdout.write(
            f"Reference: {per_pair_ms:.2f} ms per pair over {len(sample)} pairs, "
            f"about {reference_ms / 1000:.1f} s for {seekers} seekers."
        )
        self.stdout.write(f"Speed-up: {reference_ms / fast_ms:.0f}x.")
        # docs/matching.md: 10,000 in 100 ms, 100,000 in 1 s, 20 times the reference.
        target_ms = 100 if seekers <= 10_000 else 1000 * seekers / 100_000
        record(
            "bench_matching",
            [
                Measure(
                    "bench_matching",
                    f"rank {seekers} seekers for a role (median)",
                    f"{fast_ms:.0f} ms",
                    f"≤ {target_ms:.0f} ms",
                    fast_ms <= target_ms,
                ),
                Measure(
                    "bench_matching",
                    "speed-up over the per-pair reference",
                    f"{reference_ms / fast_ms:.0f}x",
                    "≥ 20x",
                    reference_ms / fast_ms >= 20,
                ),
                Measure(
                    "bench_matching",
                    "sampled pairs agreeing with the reference",
                    f"{len(sample) - mismatches}/{len(sample)}",
                    "all",
                    mismatches == 0,
                ),
            ],
        )
        if mismatches:
            raise CommandError(f"{mismatches} of {len(sample)} sampled pairs disagree.")
        self.stdout.write(f"All {len(sample)} sampled pairs agree with the reference.")

    def _clean(self) -> None:
        """Delete every marked row with plain DELETEs (the ORM's cascade would fetch each)."""
        mine = Seeker.objects.filter(user__email__endswith=f"@{MARK_DOMAIN}")
        with transaction.atomic():
            SeekerVector.objects.filter(seeker__in=mine)._raw_delete("default")
            Answer.objects.filter(seeker__in=mine)._raw_delete("default")
            Seeker.objects.filter(pk__in=mine.values("pk"))._raw_delete("default")
            User.objects.filter(email__endswith=f"@{MARK_DOMAIN}")._raw_delete("default")
            Organisation.objects.filter(name__startswith=MARK_NAME).delete()
        self.stdout.write("Removed the synthetic rows.")


def _random_vectors(rng: random.Random, items: MatchItems, ids: list[int]) -> dict[int, bytes]:
    """Packed vectors for seekers with no answer rows, built with numpy (the same
    distribution as ``_random_levels``: some seekers skip a fifth of the items, levels
    0-3, one in ten answered needs a deal-breaker): packing 100,000 seekers one by one in
    Python took minutes of set-up on a busy machine."""
    layout = items.layout()
    generator = np.random.default_rng(rng.randrange(2**32))
    n, width = len(ids), layout.width
    levels = generator.integers(0, 4, size=(n, width), dtype=np.int8)
    skip = np.where(generator.integers(0, 4, size=n) == 3, 0.2, 0.0)[:, None]
    levels[generator.random((n, width)) < skip] = -1
    flags = (levels > 0) & (generator.random((n, width)) < 0.1) & layout.is_need[None, :]
    packed = np.stack([levels, flags.astype(np.int8)], axis=1)  # (n, 2, width)
    return {pk: packed[index].tobytes() for index, pk in enumerate(ids)}

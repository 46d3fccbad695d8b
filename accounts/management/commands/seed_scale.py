"""Provincial-size synthetic data for the load test (docs/performance.md).

100,000 job seekers with complete profiles (every current item answered, packed match
vectors current, consents given), 10,000 businesses with their whole offer and an owner
account, 2,000 published roles, 500 practitioners over 12 offices with caseloads of about
200 seekers each, 20,000 placements with their follow-ups. Every row is marked: users
under ``@scale.invalid``, offices, businesses and roles named ``[scale] ...``.

A few accounts can sign in, with the documented synthetic password (``PASSWORD``): the
first ``--sign-in`` seekers, employers and practitioners and the admins
(``seeker-0@scale.invalid``, ``employer-0@...``, ``practitioner-0@...``,
``admin-0@...``). Staff sign in with two factors like everyone else: their TOTP device
holds ``TOTP_SECRET``, from which the load test computes its codes.

Idempotent: when the marked rows are there in the asked numbers, nothing is written;
other numbers need ``--reset`` (which removes the marked rows first). PostgreSQL only.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from accounts import synthetic
from factors.matching import _store_if_stale, _vectors_for, match_items
from seekers.models import Seeker

MARK = synthetic.Mark(domain="scale.invalid", name="[scale] ")
# Synthetic accounts only (their addresses cannot receive mail): documented in
# docs/performance.md so the load test, and a person trying the data, can sign in.
PASSWORD = "scale-synthetic-only-2026"  # noqa: S105 - synthetic accounts, documented
TOTP_SECRET = "SCALESYNTHETICTOTPSECRETLOADTEST"  # noqa: S105 - base32, synthetic staff only


class Command(BaseCommand):
    help = "Build provincial-size synthetic data (PostgreSQL) for the load test."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seekers", type=int, default=100_000)
        parser.add_argument("--employers", type=int, default=10_000)
        parser.add_argument("--roles", type=int, default=2_000)
        parser.add_argument("--practitioners", type=int, default=500)
        parser.add_argument("--offices", type=int, default=12)
        parser.add_argument("--placements", type=int, default=20_000)
        parser.add_argument(
            "--sign-in",
            type=int,
            default=100,
            help="How many seekers, employers and practitioners get the known password.",
        )
        parser.add_argument("--admins", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reset", action="store_true", help="Remove the marked rows first.")
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (writes rows)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale builds provincial-size data with PostgreSQL's COPY: "
                "point DATABASE_URL at PostgreSQL (SQLite is not supported)."
            )
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "This writes synthetic rows to the configured database. "
                "Run it with DEBUG on, or add --force."
            )
        sizes = self._sizes(options)
        started = time.perf_counter()
        existing = synthetic.counts(MARK)
        wanted = (sizes.seekers, sizes.employers, sizes.placements)
        if existing == wanted and not options["reset"]:
            repacked = _repack_stale(MARK)
            self.stdout.write(
                f"The synthetic rows are already there ({existing[0]} seekers, {existing[1]} "
                f"employers, {existing[2]} placements); {repacked} stale match vectors "
                "re-packed. Use --reset to build them again."
            )
            return
        if any(existing) and not options["reset"]:
            raise CommandError(
                f"Other synthetic rows are there ({existing[0]} seekers, {existing[1]} "
                f"employers, {existing[2]} placements): add --reset to replace them."
            )
        if any(existing):
            synthetic.clean(MARK)
            self.stdout.write(f"Removed the old synthetic rows in {self._since(started)}.")
        sign_in = max(0, options["sign_in"])
        accounts = synthetic.Accounts(
            password_hash=make_password(PASSWORD),
            seekers=min(sign_in, sizes.seekers),
            employers=min(sign_in, sizes.employers),
            practitioners=min(sign_in, sizes.practitioners),
            admins=max(0, options["admins"]),
            totp_secret=TOTP_SECRET,
        )
        built = synthetic.build(
            mark=MARK,
            sizes=sizes,
            rng=random.Random(options["seed"]),  # noqa: S311 - synthetic data
            log=self.stdout.write,
            accounts=accounts,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give
        self.stdout.write(
            f"Built {len(built.people)} seekers, {len(built.businesses)} employers, "
            f"{len(built.roles)} published roles, {len(built.staff)} practitioners in "
            f"{len(built.offices)} offices, {len(built.placements)} placements, "
            f"{built.follow_ups} follow-ups in {self._since(started)}."
        )

    def _sizes(self, options: dict[str, Any]) -> synthetic.Sizes:
        sizes = synthetic.Sizes(
            seekers=options["seekers"],
            employers=options["employers"],
            placements=options["placements"],
            offices=options["offices"],
            practitioners=options["practitioners"],
            roles=options["roles"],
            complete=True,
        )
        if not (
            1 <= sizes.placements <= sizes.seekers <= 1_000_000
            and 1 <= sizes.employers <= 100_000
            and 1 <= sizes.roles <= 100_000  # type: ignore[operator]
            and 1 <= sizes.offices <= sizes.practitioners <= 10_000
        ):
            raise CommandError(
                "Use 1 to 1,000,000 seekers, at most as many placements, 1 to 100,000 "
                "employers and roles, at least one practitioner per office."
            )
        return sizes

    @staticmethod
    def _since(started: float) -> str:
        return f"{time.perf_counter() - started:.0f} s"


def _repack_stale(mark: synthetic.Mark) -> int:
    """Re-pack the synthetic seekers' vectors not current for the framework version (after
    a publish), theirs only: other rows in the database are left as they are."""
    items = match_items()
    stale = list(
        Seeker.objects.filter(user__email__endswith=f"@{mark.domain}")
        .exclude(match_vector__version=items.version)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    layout = items.layout()
    for start in range(0, len(stale), 5000):
        chunk = stale[start : start + 5000]
        _store_if_stale(_vectors_for(seeker_ids=chunk, items=items, layout=layout), items.version)
    return len(stale)

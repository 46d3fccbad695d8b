"""Demo placements and follow-ups, so the program dashboard shows real numbers.

About forty people placed over the past fourteen months with the demo businesses of both
offices. Each placement's fit map at hire is computed by ``factors.fitmap`` on the
current framework's real items from made-up answers (some close matches, some not), and
its follow-ups are answered the way they tend to be: most still there, more leaving when
the fit was poor, the leaver naming the factors that were gaps at hire. A few recent ones
are left unanswered for the practitioners' lists.

Idempotent: people are found by email and a placement is only added to someone who has
none; follow-ups are only created where missing and never changed once there.
"""

from __future__ import annotations

import random
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Office, Role, User
from employers.models import JobRole, Organisation, PayPeriod, RoleStatus
from factors.delivery import DeliveryMethod
from factors.fitmap import FitStatus, RoleAnswers, SeekerAnswers, fit_map, fit_snapshot
from factors.matching import match_items
from factors.scales import Direction
from outcomes.models import (
    FOLLOW_UP_MONTHS,
    FollowUp,
    FollowUpFactor,
    FollowUpParty,
    FollowUpSource,
    StillThere,
    WhoDecided,
)
from outcomes.services import add_months
from practitioners.models import Placement
from seekers.models import ConsentKind, Seeker
from seekers.services import consent_give

PLACEMENTS = 40
EMAIL = "demo-placed-{n:02d}@example.org"
NAMES = [
    "Ava Campbell", "Blake MacNeil", "Camille LeBlanc", "Devon Stewart", "Elif Kaya",
    "Finn MacLeod", "Gabrielle Robichaud", "Hassan Omar", "Ines Martin", "Jesse Paul",
    "Kiera Doucette", "Logan Fraser", "Mireille Comeau", "Nasser Haddad", "Owen Boutilier",
    "Priya Nair", "Rémi Gaudet", "Sofia Rossi", "Tariq Aziz", "Una Murphy",
    "Victor Cormier", "Willow Simmons", "Yusuf Demir", "Zara Hughes", "Adrien Landry",
    "Bella Sampson", "Colin Chisholm", "Dana Whynot", "Evan Muise", "Fatima Noor",
    "Georgia Rankin", "Henri Aucoin", "Ivy Johnson", "Jonah Francis", "Keisha Downey",
    "Lucas Poirier", "Maeve Burke", "Nikhil Rao", "Olive Fougère", "Patrick Gillis",
]  # fmt: skip
TITLES = ["Line cook", "Retail associate", "Care aide", "Warehouse associate", "Receptionist"]
SOURCES = (
    [FollowUpSource.ONLINE_LINK] * 6
    + [FollowUpSource.PHONE] * 3
    + [
        FollowUpSource.IN_PERSON,
        FollowUpSource.EMAIL,
    ]
)


def _role(organisation: Organisation, rng: random.Random) -> JobRole:
    role = organisation.roles.order_by("pk").first()
    if role is not None:
        return role
    title = TITLES[organisation.pk % len(TITLES)]
    return JobRole.objects.create(
        organisation=organisation,
        title=title,
        hours_per_week=rng.choice([24, 30, 37, 40]),
        location=organisation.get_region_display(),
        region=organisation.region,
        pay_min=Decimal("16.50"),
        pay_max=Decimal("21.00"),
        status=RoleStatus.CLOSED,
    )


def _snapshot(items, rng: random.Random, closeness: float) -> dict[str, object]:
    """A real fit map from made-up answers: ``closeness`` near 1 gives a close match."""
    needs: dict = {}
    offers: dict = {}
    role_offers: dict = {}
    role_needs: dict = {}
    weak = set(rng.sample(list(items.factor_keys), k=rng.choice([0, 1, 1, 2])))
    for fit_item in items.items:
        near = closeness * (0.45 if fit_item.factor_key in weak else 1.0)
        if fit_item.direction == Direction.WORKER_NEEDS:
            importance = rng.choice([1, 2, 2, 3])
            needs[fit_item.identity] = (importance, importance == 3 and rng.random() < 0.15)
            role_offers[fit_item.identity] = 2 if rng.random() < near else rng.choice([0, 1])
        else:
            role_needs[fit_item.identity] = rng.choice([1, 2, 3])
            offers[fit_item.identity] = 3 if rng.random() < near else rng.choice([0, 1, 2])
    fit = fit_map(
        factor_keys=items.factor_keys,
        items=items.items,
        seeker=SeekerAnswers(needs=needs, offers=offers, version_numbers=frozenset({1})),
        role=RoleAnswers(offers=role_offers, needs=role_needs, version_numbers=frozenset({1})),
    )
    return fit_snapshot(fit)


def _seekers(offices: list[tuple[Office, User]]) -> list[Seeker]:
    """The placed people: no sign-in needed, so no usable password."""
    unusable = make_password(None)
    seekers = []
    for n, name in enumerate(NAMES[:PLACEMENTS], start=1):
        office, practitioner = offices[n % len(offices)]
        user = User.objects.filter(email=EMAIL.format(n=n)).first()
        if user is None:
            user = User.objects.create(
                email=EMAIL.format(n=n),
                full_name=name,
                role=Role.SEEKER,
                language="fr" if n % 4 == 0 else "en",
                password=unusable,
            )
        seeker, _ = Seeker.objects.get_or_create(
            user=user,
            defaults={
                "office": office,
                # one in five on the practitioner's own caseload (keeps the demo queue short);
                # the others were served by the office
                "practitioner": practitioner if n % 5 == 0 else None,
                "delivery_method": list(DeliveryMethod.values)[n % 3],
            },
        )
        if not seeker.consents.exists():  # placed through the service: they agreed to it
            consent_give(seeker=seeker, kind=ConsentKind.DATA_USE)
            consent_give(seeker=seeker, kind=ConsentKind.PRACTITIONER)
        seekers.append(seeker)
    return seekers


def _rng_for(text: str) -> random.Random:
    return random.Random(zlib.crc32(text.encode()))  # noqa: S311 - repeatable demo data


@transaction.atomic
def outcomes_demo(*, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(20261201)  # noqa: S311 - repeatable demo data, not security
    offices = []
    for office_name, email in (
        ("Nova Scotia Works — Halifax", "practitioner@example.org"),
        ("Nova Scotia Works — Sydney", "practitioner2@example.org"),
    ):
        office = Office.objects.filter(name=office_name).first()
        practitioner = User.objects.filter(email=email).first()
        if office is not None and practitioner is not None:
            offices.append((office, practitioner))
    if not offices:
        return {"placements": 0, "follow_ups": 0}
    items = match_items()
    by_office = {
        # businesses that already have roles; the live demo business is left untouched
        office.pk: list(
            Organisation.objects.filter(office=office, roles__isnull=False)
            .exclude(members__user__email="employer@example.org")
            .distinct()
            .order_by("pk")
        )
        for office, _p in offices
    }
    for n, seeker in enumerate(_seekers(offices), start=1):
        if seeker.placements.exists():
            continue
        organisations = by_office.get(seeker.office_id) or [
            o for orgs in by_office.values() for o in orgs
        ]
        if not organisations:
            continue
        organisation = organisations[n % len(organisations)]
        role = _role(organisation, rng)
        snapshot = _snapshot(items, rng, closeness=rng.choice([0.35, 0.55, 0.7, 0.8, 0.9, 0.95]))
        yearly = n % 7 == 0
        practitioner = seeker.practitioner or dict((office.pk, p) for office, p in offices).get(
            seeker.office_id
        )
        Placement.objects.create(
            seeker=seeker,
            organisation=organisation,
            role=role,
            started_on=today - timedelta(days=10 + int(421 * (n / PLACEMENTS) ** 0.7)),
            hours_per_week=Decimal(rng.choice([20, 24, 30, 35, 37.5, 40])),
            wage=Decimal(rng.randrange(42000, 62000, 500))
            if yearly
            else Decimal(f"{rng.uniform(15.6, 24):.2f}"),
            wage_period=PayPeriod.YEAR if yearly else PayPeriod.HOUR,
            fit_snapshot=snapshot,
            fit_score=snapshot["score"],
            delivery_method=seeker.delivery_method,
            recorded_by=practitioner,
        )
    placements = Placement.objects.filter(seeker__user__email__startswith="demo-placed-")
    created = sum(
        # Seeded by the person, not the row id: the same answers whatever ids the database
        # hands out (ids differ between a fresh database and a long-lived one).
        _follow_ups(placement, today=today, rng=_rng_for(placement.seeker.user.email))
        for placement in placements.select_related("seeker__user").order_by("seeker__user__email")
    )
    return {"placements": placements.count(), "follow_ups": created}


def _leaving(placement: Placement, rng: random.Random) -> tuple[int | None, list[str]]:
    """Whether (and after how many days) this person leaves, and which factors pushed."""
    factors = placement.fit_snapshot.get("factors", {})
    gaps = [k for k, f in factors.items() if f.get("status") == FitStatus.GAP]
    stretch = [k for k, f in factors.items() if f.get("status") == FitStatus.STRETCH]
    score = placement.fit_score or 50
    chance = 0.15 + 0.55 * (1 - score / 100) + 0.1 * len(gaps)
    if rng.random() >= min(chance, 0.85):
        return None, []
    pushed = sorted(gaps or stretch or [rng.choice(list(factors) or ["pay_benefits"])], key=_pull)
    return rng.randrange(20, 150), pushed[:2]


# In the source story people leave over culture and work arrangements more than over pay:
# the demo's leavers name those first, so its "what pushed apart" chart has groups large
# enough to show (groups under 5 people are hidden).
LEAVING_ORDER = ["culture", "work_arrangements", "values", "pay_benefits"]


def _pull(factor_key: str) -> int:
    return LEAVING_ORDER.index(factor_key) if factor_key in LEAVING_ORDER else len(LEAVING_ORDER)


def _follow_ups(placement: Placement, *, today: date, rng: random.Random) -> int:
    if placement.follow_ups.exists():
        return 0
    left_after, pushed = _leaving(placement, rng)
    left_on = placement.started_on + timedelta(days=left_after) if left_after else None
    who = rng.choice([WhoDecided.WORKER] * 3 + [WhoDecided.EMPLOYER, WhoDecided.BOTH])
    statuses = {k: f.get("status") for k, f in placement.fit_snapshot.get("factors", {}).items()}
    created = 0
    for month in FOLLOW_UP_MONTHS:
        due = add_months(placement.started_on, month)
        if due > today:
            break
        for party in FollowUpParty.values:
            follow_up = FollowUp.objects.create(
                placement=placement,
                party=party,
                month=month,
                due_on=due,
                created_at=_at(due, 6),
                reminder_sent_at=_at(due, 7),
            )
            created += 1
            recent = (today - due).days < 10
            answer_rate = 0.85 if party == FollowUpParty.WORKER else 0.75
            if (recent and rng.random() < 0.6) or rng.random() > answer_rate:
                continue  # not answered (yet): it waits in the practitioner's list
            _answer(follow_up, rng, left_on=left_on, who=who, pushed=pushed, statuses=statuses)
    return created


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _answer(follow_up: FollowUp, rng, *, left_on, who, pushed, statuses) -> None:
    placement = follow_up.placement
    source = rng.choice(SOURCES)
    gone = left_on is not None and left_on <= follow_up.due_on
    if not gone and rng.random() < 0.06:
        still = StillThere.UNKNOWN
    else:
        still = StillThere.LEFT if gone else StillThere.YES
    follow_up.still_there = still
    follow_up.source = source
    follow_up.answered_at = _at(follow_up.due_on + timedelta(days=rng.randrange(0, 9)), 14)
    follow_up.recorded_by = None if source == FollowUpSource.ONLINE_LINK else placement.recorded_by
    if still == StillThere.LEFT:
        follow_up.left_on = left_on
        follow_up.who_decided = who
    elif still == StillThere.YES:
        follow_up.hours_now = placement.hours_per_week
        raise_ = Decimal("1.02") if follow_up.month >= 6 and rng.random() < 0.4 else Decimal(1)
        follow_up.wage_now = (placement.wage * raise_).quantize(Decimal("0.01"))
        follow_up.wage_period_now = placement.wage_period
    follow_up.save()
    if still == StillThere.UNKNOWN:
        return
    level = {FitStatus.ALIGNED: (4, 5), FitStatus.STRETCH: (3, 4), FitStatus.GAP: (1, 3)}
    FollowUpFactor.objects.bulk_create(
        FollowUpFactor(
            follow_up=follow_up,
            factor_key=key,
            satisfaction=rng.randint(*level.get(status, (2, 4))),
            pushed_apart=still == StillThere.LEFT and key in pushed,
        )
        for key, status in statuses.items()
    )

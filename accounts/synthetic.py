"""Synthetic, clearly marked data at provincial scale, for benchmarks and the load test.

Shared by ``bench_dashboard`` (100,000 seekers behind the program dashboard) and
``seed_scale`` (the same, plus complete profiles, published roles, employers' and staff
accounts that can sign in). Every row is marked: users under ``@<mark.domain>`` (the
``.invalid`` top-level domain can never deliver mail), offices, businesses and roles
named ``<mark.name>...``, so ``clean`` removes exactly them.

Rows go in with ``bulk_create`` (where their ids are needed next) or PostgreSQL's
``COPY`` / ``INSERT ... SELECT`` (millions of answer rows): the ORM one object at a
time would take hours for 100,000 seekers.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Office, Role, User
from employers.models import JobRole, Member, MindsetAnswer, OfferAnswer, Organisation, RoleStatus
from employers.models import MindsetRound as EmployerRound
from factors.completion import organisations_completion_sync, seekers_completion_sync
from factors.matching import MatchItems, match_items
from factors.models import Item, MindsetPrompt
from factors.scales import FactorKey
from outcomes.models import FollowUp, FollowUpFactor
from outcomes.services import add_months
from practitioners.models import Placement
from seekers.models import (
    CONSENT_WORDING_VERSION,
    Answer,
    Consent,
    ConsentKind,
    EmployerConsent,
    MindsetResponse,
    MindsetRound,
    Seeker,
    SeekerVector,
)

UNUSABLE = "!"  # Django's marker for "no password": nobody can sign in as these rows
BATCH = 5000
STATUSES = ("aligned", "aligned", "stretch", "gap", "not_comparable")
DELIVERY = ("self_serve", "one_to_one", "one_to_one", "group")
Log = Callable[[str], None]


@dataclass(frozen=True)
class Mark:
    """How the synthetic rows of one command are told apart from everyone else's."""

    domain: str  # users: <role>-<n>@<domain>
    name: str  # offices, businesses and roles: "<name>..."

    def email(self, local: str) -> str:
        return f"{local}@{self.domain}"


@dataclass(frozen=True)
class Sizes:
    seekers: int
    employers: int
    placements: int
    offices: int = 4
    practitioners: int = 40
    # None: one draft role per business (all the dashboard needs). A number: that many
    # published roles, spread over the first businesses.
    roles: int | None = None
    # Complete profiles: every seeker answers every current item (answer rows and a packed
    # vector made from the same levels), agrees to the welcome page's consents; every
    # business answers its whole offer and has an employer account.
    complete: bool = False


@dataclass(frozen=True)
class Accounts:
    """Which synthetic accounts may sign in: the first ``n`` of each role get ``password``
    (an already hashed value); staff among them get a TOTP device with ``totp_secret``."""

    password_hash: str = UNUSABLE
    seekers: int = 0
    employers: int = 0
    practitioners: int = 0
    admins: int = 0
    totp_secret: str = ""


@dataclass
class Built:
    offices: list[Office] = field(default_factory=list)
    staff: list[User] = field(default_factory=list)
    people: list[Seeker] = field(default_factory=list)
    businesses: list[Organisation] = field(default_factory=list)
    roles: list[JobRole] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    follow_ups: int = 0


def _batched(rows: Iterable[Any], model: type[models.Model]) -> list[Any]:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def counts(mark: Mark) -> tuple[int, int, int]:
    """(seekers, businesses, placements) of this mark already in the database."""
    return (
        Seeker.objects.filter(user__email__endswith=f"@{mark.domain}").count(),
        Organisation.objects.filter(name__startswith=mark.name).count(),
        Placement.objects.filter(seeker__user__email__endswith=f"@{mark.domain}").count(),
    )


@transaction.atomic
def build(
    *,
    mark: Mark,
    sizes: Sizes,
    rng: random.Random,
    log: Log,
    accounts: Accounts | None = None,
) -> Built:
    """Build every synthetic row in one transaction; ``log`` gets a line per stage."""
    accounts = accounts or Accounts()
    built = Built()
    today = timezone.localdate()
    built.offices = _batched(
        (Office(name=f"{mark.name}office {n}") for n in range(sizes.offices)), Office
    )
    built.staff = _staff(mark=mark, sizes=sizes, offices=built.offices, accounts=accounts)
    users = _batched(
        (
            User(
                email=mark.email(f"seeker-{n}"),
                full_name=f"Synthetic seeker {n}",
                role=Role.SEEKER,
                password=accounts.password_hash if n < accounts.seekers else UNUSABLE,
            )
            for n in range(sizes.seekers)
        ),
        User,
    )

    def served_by(n: int) -> dict[str, Any]:
        practitioner = built.staff[n % len(built.staff)]
        return {"practitioner": practitioner, "office_id": practitioner.office_id}

    built.people = _batched(
        (
            Seeker(user=user, delivery_method=DELIVERY[n % 4], **served_by(n))
            for n, user in enumerate(users)
        ),
        Seeker,
    )
    built.businesses = _batched(
        (
            Organisation(
                name=f"{mark.name}business {n}",
                sector="retail",
                region="halifax",
                size="5-19",
                **served_by(n),
            )
            for n in range(sizes.employers)
        ),
        Organisation,
    )
    _spread_sign_ups(mark)
    log(f"  {sizes.seekers} seekers, {sizes.employers} employers, {len(built.staff)} practitioners")
    if sizes.complete:
        _employer_accounts(mark=mark, businesses=built.businesses, accounts=accounts)
        _complete_profiles(people=built.people, businesses=built.businesses, rng=rng, log=log)
    else:
        _sample_answers(people=built.people, businesses=built.businesses, rng=rng, log=log)
    _completion_dates(people=built.people, businesses=built.businesses)
    built.roles = _roles(mark=mark, sizes=sizes, businesses=built.businesses)
    log(f"  {len(built.roles)} roles")
    hired = rng.sample(range(sizes.seekers), sizes.placements)
    built.placements = _batched(
        (_placement(built.people[s], built.roles, rng, today, built.staff[0]) for s in hired),
        Placement,
    )
    log(f"  {len(built.placements)} placements")
    _batched(
        (
            EmployerConsent(
                seeker=built.people[s],
                organisation=rng.choice(built.businesses),
                granted_at=timezone.now(),
                expires_at=timezone.now() + datetime.timedelta(days=365),
                source="seeker",
            )
            for s in rng.sample(range(sizes.seekers), min(sizes.seekers, sizes.placements * 2))
        ),
        EmployerConsent,
    )
    built.follow_ups = _follow_ups(built.placements, rng, today)
    log(f"  {built.follow_ups} follow-ups")
    _mindsets(people=built.people, businesses=built.businesses, rng=rng)
    if accounts.admins:
        _admins(mark=mark, accounts=accounts, office=built.offices[0])
    return built


def _completion_dates(*, people: list[Seeker], businesses: list[Organisation]) -> None:
    """Bulk inserts bypass the answer services: record who finished, as they would."""
    for start in range(0, max(len(people), len(businesses)), BATCH):
        seekers_completion_sync(seekers=[p.pk for p in people[start : start + BATCH]])
        organisations_completion_sync(
            organisations=[b.pk for b in businesses[start : start + BATCH]]
        )


def _staff(*, mark: Mark, sizes: Sizes, offices: list[Office], accounts: Accounts) -> list[User]:
    staff = _batched(
        (
            User(
                email=mark.email(f"practitioner-{n}"),
                full_name=f"Synthetic practitioner {n}",
                role=Role.PRACTITIONER,
                office=offices[n % len(offices)],
                password=accounts.password_hash if n < accounts.practitioners else UNUSABLE,
            )
            for n in range(sizes.practitioners)
        ),
        User,
    )
    _totp(staff[: accounts.practitioners], accounts)
    return staff


def _admins(*, mark: Mark, accounts: Accounts, office: Office) -> None:
    admins = _batched(
        (
            User(
                email=mark.email(f"admin-{n}"),
                full_name=f"Synthetic administrator {n}",
                role=Role.ADMIN,
                office=office,
                is_staff=True,
                password=accounts.password_hash,
            )
            for n in range(accounts.admins)
        ),
        User,
    )
    _totp(admins, accounts)


def _totp(users: Sequence[User], accounts: Accounts) -> None:
    """Staff must sign in with a second factor: give each a TOTP device with the known
    synthetic secret, stored the way allauth stores any (its adapter encrypts it)."""
    if not accounts.totp_secret:
        return
    from allauth.mfa.totp.internal.auth import TOTP

    for user in users:
        TOTP.activate(user, accounts.totp_secret)


def _employer_accounts(*, mark: Mark, businesses: list[Organisation], accounts: Accounts) -> None:
    """One owner account per business."""
    users = _batched(
        (
            User(
                email=mark.email(f"employer-{n}"),
                full_name=f"Synthetic employer {n}",
                role=Role.EMPLOYER,
                password=accounts.password_hash if n < accounts.employers else UNUSABLE,
            )
            for n in range(len(businesses))
        ),
        User,
    )
    _batched(
        (
            Member(user=user, organisation=business, is_owner=True)
            for user, business in zip(users, businesses, strict=True)
        ),
        Member,
    )


def _roles(*, mark: Mark, sizes: Sizes, businesses: list[Organisation]) -> list[JobRole]:
    if sizes.roles is None:
        owners, status, published = businesses, RoleStatus.DRAFT, None
    else:
        owners = [businesses[n % len(businesses)] for n in range(sizes.roles)]
        status, published = RoleStatus.PUBLISHED, timezone.now()
    return _batched(
        (
            JobRole(
                organisation=business,
                title=f"{mark.name}role {n}",
                hours_per_week=30,
                location="Halifax",
                region="halifax",
                pay_min=Decimal("17"),
                pay_max=Decimal("21"),
                status=status,
                published_at=published,
            )
            for n, business in enumerate(owners)
        ),
        JobRole,
    )


def _spread_sign_ups(mark: Mark) -> None:
    """Sign-ups over the past two years (``created_at`` is set on insert)."""
    with connection.cursor() as cursor:
        for table, where, pattern in (
            (
                Seeker._meta.db_table,
                f"user_id IN (SELECT id FROM {User._meta.db_table} WHERE email LIKE %s)",  # noqa: S608
                f"%@{mark.domain}",
            ),
            (Organisation._meta.db_table, "name LIKE %s", f"{mark.name}%"),
        ):
            cursor.execute(
                f"UPDATE {table} SET created_at = now() - random() * interval '730 days' "  # noqa: S608
                f"WHERE {where}",
                [pattern],
            )


# --- answers ----------------------------------------------------------------------------


def _sample_answers(
    *, people: list[Seeker], businesses: list[Organisation], rng: random.Random, log: Log
) -> None:
    """The dashboard's mix: packed vectors only (no answer rows) for 70 % of seekers (most
    complete); offer answers for 60 % of businesses (most complete)."""
    items = match_items()
    width = items.layout().width
    complete = [bytes(rng.randint(0, 3) for _ in range(width)) + bytes(width) for _ in range(50)]
    partial = [
        bytes(255 if rng.random() < 0.3 else rng.randint(0, 3) for _ in range(width)) + bytes(width)
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
    log(f"  {rows} offer answers")


def complete_vectors(items: MatchItems, count: int, seed: int) -> np.ndarray:
    """(count, 2, width) int8: every item answered (levels 0-3, weighted as people answer),
    a deal-breaker on a quarter of the needs answered "essential" — ``factors.ranking``'s
    layout, so ``tobytes()`` of a row is a stored vector."""
    layout = items.layout()
    generator = np.random.default_rng(seed)
    levels = generator.choice(4, size=(count, layout.width), p=[0.1, 0.3, 0.4, 0.2])
    levels = levels.astype(np.int8)
    flags = (levels == 3) & layout.is_need[None, :] & (generator.random(levels.shape) < 0.25)
    return np.stack([levels, flags.astype(np.int8)], axis=1)


# Answer rows straight from the stored vectors, inside PostgreSQL: one statement instead of
# seven million objects through Python, and the rows agree with the vectors by construction
# (the small test re-packs a sample from the rows and compares).
_ANSWERS_FROM_VECTORS_SQL = (
    "INSERT INTO {answer} (seeker_id, item_id, level, dealbreaker, example, updated_at)"
    " SELECT v.seeker_id, it.item_id, get_byte(v.data, it.pos),"
    " get_byte(v.data, it.pos + %s) = 1, '', now()"
    " FROM {vector} v CROSS JOIN unnest(%s::bigint[], %s::int[]) AS it (item_id, pos)"
    " WHERE v.seeker_id = ANY(%s::bigint[])"
)


def _complete_profiles(
    *, people: list[Seeker], businesses: list[Organisation], rng: random.Random, log: Log
) -> None:
    items = match_items()
    layout = items.layout()
    item_ids = [i.item.pk for i in items.items if i.factor_key in items.factor_keys]
    matrix = complete_vectors(items, len(people), rng.randrange(2**32))
    now = timezone.now()
    ids = [p.pk for p in people]
    copy_rows(
        SeekerVector,
        ("seeker_id", "version_id", "data", "updated_at"),
        ((pk, items.version.pk, matrix[n].tobytes(), now) for n, pk in enumerate(ids)),
    )
    quote = connection.ops.quote_name
    sql = _ANSWERS_FROM_VECTORS_SQL.format(
        answer=quote(Answer._meta.db_table), vector=quote(SeekerVector._meta.db_table)
    )
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 20_000):
            chunk = ids[start : start + 20_000]
            cursor.execute(sql, [layout.width, item_ids, list(range(len(item_ids))), chunk])
    log(f"  {len(ids) * len(item_ids)} answers and {len(ids)} packed vectors")
    copy_rows(
        Consent,
        ("seeker_id", "kind", "wording_version", "granted_at"),
        (
            (pk, kind, CONSENT_WORDING_VERSION, now)
            for pk in ids
            for kind in (ConsentKind.DATA_USE, ConsentKind.PRACTITIONER)
        ),
    )
    active = [i.item for i in items.items]
    copy_rows(
        OfferAnswer,
        ("organisation_id", "item_id", "level", "example", "updated_at"),
        (
            (
                business.pk,
                item.pk,
                rng.randint(0, 2) if item.is_need else rng.randint(0, 3),
                "",
                now,
            )
            for business in businesses
            for item in active
        ),
    )
    log(f"  {len(businesses) * len(active)} offer answers")


def copy_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """PostgreSQL ``COPY ... FROM STDIN`` of ``rows`` (values in ``fields`` order, attnames)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f.removesuffix("_id")).column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


# --- placements and what follows ----------------------------------------------------------


def _placement(
    seeker: Seeker, roles: list[JobRole], rng: random.Random, today: datetime.date, by: User
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


def _follow_ups(placements: list[Placement], rng: random.Random, today: datetime.date) -> int:
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
                    follow_up = FollowUp(placement=placement, party=party, month=month, due_on=due)
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


def _mindsets(*, people: list[Seeker], businesses: list[Organisation], rng: random.Random) -> None:
    """An intake and a later check for 5 % of seekers and 10 % of businesses."""
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


# --- cleaning ---------------------------------------------------------------------------


def clean(mark: Mark) -> None:
    """Delete every row of this mark. The big tables go with plain DELETEs (the ORM's
    cascade would fetch each row first); whatever the load test or a person added to
    these accounts since (sessions' notes, pairs, reports...) goes with the ORM's cascade."""
    users = User.objects.filter(email__endswith=f"@{mark.domain}")
    people = Seeker.objects.filter(user__in=users).values("pk")
    businesses = Organisation.objects.filter(name__startswith=mark.name).values("pk")
    placements = Placement.objects.filter(seeker__in=people).values("pk")
    with transaction.atomic():
        FollowUpFactor.objects.filter(follow_up__placement__in=placements)._raw_delete("default")
        FollowUp.objects.filter(placement__in=placements)._raw_delete("default")
        Placement.objects.filter(pk__in=placements)._raw_delete("default")
        MindsetResponse.objects.filter(round__seeker__in=people)._raw_delete("default")
        MindsetRound.objects.filter(seeker__in=people)._raw_delete("default")
        EmployerConsent.objects.filter(seeker__in=people)._raw_delete("default")
        Consent.objects.filter(seeker__in=people)._raw_delete("default")
        SeekerVector.objects.filter(seeker__in=people)._raw_delete("default")
        Answer.objects.filter(seeker__in=people)._raw_delete("default")
        MindsetAnswer.objects.filter(round__organisation__in=businesses)._raw_delete("default")
        EmployerRound.objects.filter(organisation__in=businesses)._raw_delete("default")
        OfferAnswer.objects.filter(organisation__in=businesses)._raw_delete("default")
        Member.objects.filter(organisation__in=businesses)._raw_delete("default")
        Seeker.objects.filter(pk__in=people).delete()
        Organisation.objects.filter(pk__in=businesses).delete()
        users.delete()
        Office.objects.filter(name__startswith=mark.name).delete()

"""Reads for the pages where people see matches.

Every ranked page has a fixed number of queries whatever the number of seekers or roles:
the ranking itself (``factors.matching.rank_seekers_for_role``, or ``score_roles`` for one
seeker's roles), then each row's fit map by the reference rule (``factors.fitmap.fit_map``)
so every row explains itself: kept per pair (``matches.rows.row_fits``), else from the
page's answers read together (``seeker_answers_many`` / ``role_answers_many``, or the kept
role vectors).

Who appears where:
- a practitioner ranks seekers who agreed to share their answers with their practitioner,
  in their caseload or (on request) their office;
- an employer ranks every seeker who agreed to the service using their answers, under a
  random pseudonym; name and profile only while ``seekers.selectors.employer_may_see``;
- a seeker ranks published roles.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from employers.models import (
    JobRole,
    OfferAnswer,
    Organisation,
    RoleNeed,
    RoleOfferOverride,
    RoleStatus,
)
from employers.selectors import level_label
from factors.fitmap import FitMap, RoleAnswers, SeekerAnswers, fit_map
from factors.fitmap_view import FitMapView, fitmap_view
from factors.matching import (
    MatchItems,
    PoolVectors,
    RankedPage,
    match_items,
    pool_vectors,
    rank_pool_for_role,
    rank_seekers_for_role,
    role_side_generation,
)
from factors.ranking import VectorLayout, ranked_slice, score_roles
from factors.scales import Direction
from matches.models import WAITING_FOR_SEEKER, CandidateAlias, Pair, PairStatus
from matches.rows import RowFit, StatusChip, generation_or_none, row_fits, seeker_stamps
from seekers.models import (
    CONSENT_WORDING_VERSION,
    Answer,
    Consent,
    ConsentKind,
    EmployerConsent,
    Seeker,
)
from seekers.profile import level_text

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
Key = tuple[uuid.UUID, str]


# --- answers of many seekers / roles at once ---------------------------------------------


def seeker_answers_many(
    *, seeker_ids: Sequence[int], items: MatchItems
) -> dict[int, SeekerAnswers]:
    """Each seeker's latest answer per current item (as ``seeker_answers``), one query."""
    keys = items.keys()
    latest: dict[int, dict[Key, tuple[int, bool, int]]] = {pk: {} for pk in seeker_ids}
    rows = (
        Answer.objects.filter(seeker_id__in=seeker_ids)
        .order_by("seeker_id", "item__factor__version__number", "pk")
        .values_list(
            "seeker_id",
            "item__identity",
            "item__direction",
            "level",
            "dealbreaker",
            "item__factor__version__number",
        )
    )
    for seeker_id, identity, direction, level, dealbreaker, number in rows:
        if (identity, direction) in keys:
            latest[seeker_id][(identity, direction)] = (level, dealbreaker, number)
    result = {}
    for seeker_id, answers in latest.items():
        needs = {i: (lv, db) for (i, d), (lv, db, _n) in answers.items() if d == "worker_needs"}
        offers = {i: lv for (i, d), (lv, _db, _n) in answers.items() if d != "worker_needs"}
        numbers = frozenset(n for _lv, _db, n in answers.values())
        result[seeker_id] = SeekerAnswers(needs=needs, offers=offers, version_numbers=numbers)
    return result


_LEVELS = ("item__identity", "item__direction", "level", "item__factor__version__number")


def _latest_by(rows: Iterable[tuple[Any, ...]]) -> dict[Any, dict[Key, tuple[int, int]]]:
    """Rows (owner, identity, direction, level, number), oldest first: newest wins."""
    latest: dict[Any, dict[Key, tuple[int, int]]] = {}
    for owner, identity, direction, level, number in rows:
        latest.setdefault(owner, {})[(identity, direction)] = (level, number)
    return latest


class RoleRef(NamedTuple):
    """What reading a role's answers needs of it: enough to rank 2,000 roles without
    building a model instance for each."""

    pk: int
    organisation_id: int


def role_answers_many(
    *, roles: Sequence[JobRole | RoleRef], items: MatchItems
) -> dict[int, RoleAnswers]:
    """What each role offers and needs (as ``role_answers``), in three queries."""
    order = ("item__factor__version__number", "pk")
    role_ids = [r.pk for r in roles]
    general = _latest_by(
        OfferAnswer.objects.filter(organisation_id__in={r.organisation_id for r in roles})
        .order_by(*order)
        .values_list("organisation_id", *_LEVELS)
    )
    overrides = _latest_by(
        RoleOfferOverride.objects.filter(role_id__in=role_ids)
        .order_by(*order)
        .values_list("role_id", *_LEVELS)
    )
    own_needs = _latest_by(
        RoleNeed.objects.filter(role_id__in=role_ids)
        .order_by(*order)
        .values_list("role_id", *_LEVELS)
    )
    result = {}
    for role in roles:
        offers: dict[uuid.UUID, int] = {}
        needs: dict[uuid.UUID, int] = {}
        numbers: set[int] = set()
        organisation_levels = general.get(role.organisation_id, {})
        for fit_item in items.items:
            key = (fit_item.identity, fit_item.direction)
            is_need = fit_item.direction == Direction.WORKER_NEEDS
            own = (overrides if is_need else own_needs).get(role.pk, {})
            found = own.get(key) or organisation_levels.get(key)
            if found is None:
                continue
            (offers if is_need else needs)[fit_item.identity] = found[0]
            numbers.add(found[1])
        result[role.pk] = RoleAnswers(
            offers=offers, needs=needs, version_numbers=frozenset(numbers)
        )
    return result


def _fit(items: MatchItems, seeker: SeekerAnswers, role: RoleAnswers) -> FitMap:
    return fit_map(factor_keys=items.factor_keys, items=items.items, seeker=seeker, role=role)


# --- rows ---------------------------------------------------------------------------------


@dataclass
class MatchRow:
    """One ranked row: who or what, the fit map in words, and where the pair stands."""

    rank: int
    fit: RowFit
    seeker: Seeker | None = None
    role: JobRole | None = None
    pair: Pair | None = None
    alias: str = ""
    identified: bool = False  # employers: the seeker currently lets them see who it is

    @property
    def score(self) -> int | None:
        return self.fit.score

    @property
    def hard_pushes(self) -> int:
        return self.fit.hard_pushes

    @property
    def chips(self) -> tuple[StatusChip, ...]:
        return self.fit.chips


@dataclass
class MatchPage:
    rows: list[MatchRow]
    total: int
    page: int
    pages: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _page_number(raw: Any) -> int:
    try:
        return max(1, min(int(str(raw)), 1_000_000))
    except (TypeError, ValueError):
        return 1


# --- who a practitioner may match ---------------------------------------------------------


def roles_for_practitioner(*, user: Any) -> QuerySet[JobRole]:
    """Published roles anywhere, and every role of the businesses they may see."""
    visible = Organisation.objects.visible_to(user)
    return JobRole.objects.filter(
        Q(status=RoleStatus.PUBLISHED) | Q(organisation__in=visible)
    ).select_related("organisation")


def role_for_practitioner(*, user: Any, role_id: int) -> JobRole:
    role = roles_for_practitioner(user=user).filter(pk=role_id).first()
    if role is None:
        raise Http404("No such role.")
    return role


def _shares_with_practitioner() -> Exists:
    return Exists(
        Consent.objects.filter(
            seeker=OuterRef("pk"), kind=ConsentKind.PRACTITIONER, withdrawn_at__isnull=True
        )
    )


def seekers_for_practitioner(*, user: Any, scope: str) -> QuerySet[Seeker]:
    """Their caseload, or with ``scope == "office"`` everyone they may see; only seekers who
    share their answers with their practitioner, never anonymised ones."""
    seekers = Seeker.objects.visible_to(user).filter(erased_at__isnull=True)
    if scope != "office":
        seekers = seekers.filter(practitioner=user)
    return seekers.filter(_shares_with_practitioner())


def not_sharing_count(*, user: Any, scope: str) -> int:
    seekers = Seeker.objects.visible_to(user).filter(erased_at__isnull=True)
    if scope != "office":
        seekers = seekers.filter(practitioner=user)
    return seekers.exclude(_shares_with_practitioner()).count()


def _pairs_for(
    *, seeker_ids: Sequence[int], role_ids: Sequence[int]
) -> dict[tuple[int, int], Pair]:
    pairs = Pair.objects.filter(seeker_id__in=seeker_ids, role_id__in=role_ids)
    return {(p.seeker_id, p.role_id): p for p in pairs}


# An employer's candidates are every consenting seeker of the province: ranking them all
# (100,000) takes 0.2-0.4 s, and the load test showed the page at 0.7 s with twenty
# people on the service. The ranked page is kept per role, keyed by the framework version
# and the role side's counter (a change to the role re-ranks at once). It is fresh for a
# minute; after that it is still shown while a Celery task ranks again (one at a time per
# page), so no request waits for the province to be ranked when the minute is up; a page
# older than five minutes (no worker running) is ranked in the request again. Seekers' own
# new answers or consent move the order within that time. Who may be shown is never
# taken from the cache: the page's rows are checked against the live pool on every
# request, and their fit maps follow the live answers (``matches.rows``).
RANKED_SECONDS = 60
RANKED_KEPT_SECONDS = 300
RERANK_LOCK_SECONDS = 30  # one re-rank per page at a time; retried after this


@dataclass(frozen=True)
class _Kept:
    ranked: RankedPage
    at: float  # when it was ranked (time.time())


def _pools() -> dict[str, QuerySet[Seeker]]:
    """The pools a ranked page may be kept for, by name: the same for every viewer."""
    return {"candidates": candidate_seekers()}


def _ranked_key(*, keep_as: str, role: JobRole, page: int, items: MatchItems) -> str:
    return (
        f"matches:ranked:{keep_as}:{role.pk}:{items.version.pk}:{items.layout().width}:"
        f"{role_side_generation()}:{page}"
    )


def _ranked_page(
    *, role: JobRole, seekers: QuerySet[Seeker], page: int, items: MatchItems, keep_as: str
) -> RankedPage:
    key = _ranked_key(keep_as=keep_as, role=role, page=page, items=items)
    try:
        kept = cache.get(key)
    except Exception:  # an unreachable cache means "rank now"; the reason goes to the log
        logger.warning("ranked page: cache unavailable, ranked without it", exc_info=True)
        kept = None
    if isinstance(kept, _Kept):
        if time.time() - kept.at >= RANKED_SECONDS:
            _rerank_later(key=key, role=role, page=page, keep_as=keep_as)
        return kept.ranked
    return rank_and_keep(
        role=role, seekers=seekers, page=page, items=items, key=key, keep_as=keep_as
    )


# Reading the pool's 100,000 vectors from PostgreSQL is most of a ranking (0.2-0.3 s of
# 0.25-0.35 s); the pool is the same for every role, so its vectors are kept a minute,
# once for all roles: a role ranked for the first time reads the kept ones (about 80 ms
# instead of 0.3 s). Re-ranking a kept page (the task) always reads them afresh and keeps
# them, so no ranked order is older than its data by more than ``POOL_SECONDS``, as a
# kept page already may be (``RANKED_SECONDS``); who may be shown is checked live.
POOL_SECONDS = 60


def _pool_vectors(
    *, seekers: QuerySet[Seeker], items: MatchItems, keep_as: str, fresh: bool
) -> PoolVectors:
    key = f"matches:pool:{keep_as}:{items.version.pk}:{items.layout().width}"
    try:
        kept = None if fresh else cache.get(key)
    except Exception:
        logger.warning("pool vectors: cache unavailable, read without it", exc_info=True)
        kept = None
    if isinstance(kept, PoolVectors):
        return kept
    pool = pool_vectors(seekers_queryset=seekers, items=items)
    try:
        cache.set(key, pool, POOL_SECONDS)
    except Exception:
        logger.warning("pool vectors: cache unavailable, not kept", exc_info=True)
    return pool


def rank_and_keep(
    *,
    role: JobRole,
    seekers: QuerySet[Seeker],
    page: int,
    items: MatchItems,
    key: str,
    keep_as: str,
    fresh: bool = False,
) -> RankedPage:
    """Rank the pool for the role now and keep the page (``RANKED_KEPT_SECONDS``);
    ``fresh`` reads the pool's vectors from the database, not the kept ones."""
    ranked = rank_pool_for_role(
        role=role,
        pool=_pool_vectors(seekers=seekers, items=items, keep_as=keep_as, fresh=fresh),
        page=page,
        page_size=PAGE_SIZE,
        items=items,
    )
    try:
        cache.set(key, _Kept(ranked=ranked, at=time.time()), RANKED_KEPT_SECONDS)
        cache.delete(f"{key}:reranking")
    except Exception:
        logger.warning("ranked page: cache unavailable, not kept", exc_info=True)
    return ranked


def _rerank_later(*, key: str, role: JobRole, page: int, keep_as: str) -> None:
    """Ask a worker to rank the page again, unless one already is; with the broker down,
    rank it in this request (the others still get the kept page meanwhile)."""
    from matches.tasks import rerank_page, rerank_page_dispatch

    try:
        first = cache.add(f"{key}:reranking", 1, RERANK_LOCK_SECONDS)
    except Exception:
        logger.warning("ranked page: cache unavailable, not re-ranked", exc_info=True)
        return
    if first and not rerank_page_dispatch(role_id=role.pk, keep_as=keep_as, page=page):
        rerank_page(role_id=role.pk, keep_as=keep_as, page=page)


def rerank_kept_page(*, role_id: int, keep_as: str, page: int) -> bool:
    """The Celery task's work: rank a kept page again (False: the role is gone)."""
    role = JobRole.objects.filter(pk=role_id).first()
    if role is None:
        return False
    items = match_items()
    rank_and_keep(
        role=role,
        seekers=_pools()[keep_as],
        page=page,
        items=items,
        key=_ranked_key(keep_as=keep_as, role=role, page=page, items=items),
        keep_as=keep_as,
        fresh=True,
    )
    return True


def seekers_ranked_for_role(
    *,
    role: JobRole,
    seekers: QuerySet[Seeker],
    page: Any,
    reader: str = "practitioner",
    keep_as: str | None = None,
) -> MatchPage:
    """A page of seekers ranked for the role, each with the fit map (fixed query count).

    ``keep_as`` names the pool (the same queryset for everyone, like an employer's
    candidates) when the ranked order may be kept a minute (``_ranked_page``); the rows
    shown are still only those the queryset holds now."""
    items = match_items()
    if keep_as is None:
        ranked = rank_seekers_for_role(
            role=role,
            seekers_queryset=seekers,
            page=_page_number(page),
            page_size=PAGE_SIZE,
            items=items,
        )
        ids = [row.seeker_id for row in ranked.rows]
    else:
        if keep_as not in _pools():
            raise ValueError(f"No pool named {keep_as!r} to keep a ranked page for.")
        ranked = _ranked_page(
            role=role, seekers=seekers, page=_page_number(page), items=items, keep_as=keep_as
        )
        kept_ids = [row.seeker_id for row in ranked.rows]
        live = set(seekers.filter(pk__in=kept_ids).values_list("pk", flat=True))
        ids = [seeker_id for seeker_id in kept_ids if seeker_id in live]
    generation = generation_or_none()
    stamps = seeker_stamps(seeker_ids=ids)

    def compute(positions: list[int]) -> list[FitMap]:
        role_side = role_answers_many(roles=[role], items=items)[role.pk]
        wanted = [ids[position] for position in positions]
        answers = seeker_answers_many(seeker_ids=wanted, items=items)
        return [_fit(items, answers[seeker_id], role_side) for seeker_id in wanted]

    fits = row_fits(
        items=items,
        reader=reader,
        pairs=[(role.pk, seeker_id, stamps[seeker_id]) for seeker_id in ids],
        compute=compute,
        generation=generation,
    )
    people = Seeker.objects.select_related("user").in_bulk(ids)
    pairs = _pairs_for(seeker_ids=ids, role_ids=[role.pk])
    rows = [
        MatchRow(
            rank=(ranked.page - 1) * ranked.page_size + position + 1,
            fit=fit,
            seeker=people[seeker_id],
            role=role,
            pair=pairs.get((seeker_id, role.pk)),
        )
        for position, (seeker_id, fit) in enumerate(zip(ids, fits, strict=True))
    ]
    return MatchPage(rows=rows, total=ranked.total, page=ranked.page, pages=ranked.pages)


def roles_ranked_for_seeker(
    *, seeker: Seeker, roles: QuerySet[JobRole], page: Any, reader: str
) -> MatchPage:
    """Roles ranked for one seeker: a fixed number of queries whatever the number of roles.

    Every role is scored at once with ``factors.ranking.score_roles`` on the roles' packed
    vectors (kept in the cache, see ``_role_sides``); only the page's roles get the full
    fit map of the reference path, for the reasons shown, on the role answers those
    vectors hold. With 2,000 published roles a fit map per role took seconds
    (docs/performance.md)."""
    items = match_items()
    layout = items.layout()
    # Plain (id, organisation) pairs: model instances for the 2,000 roles cost more than
    # scoring them.
    role_list = [
        RoleRef(pk, organisation_id)
        for pk, organisation_id in roles.order_by("pk").values_list("pk", "organisation_id")
    ]
    generation = generation_or_none()
    stamp = seeker_stamps(seeker_ids=[seeker.pk])[seeker.pk]  # before the answers
    seeker_side = seeker_answers_many(seeker_ids=[seeker.pk], items=items)[seeker.pk]
    vector = np.frombuffer(
        layout.seeker_vector(needs=seeker_side.needs, offers=seeker_side.offers), dtype=np.int8
    ).reshape(2, layout.width)
    sides = _role_sides(roles=role_list, items=items, generation=generation)
    scored = score_roles(layout=layout, seeker=vector, roles=sides.matrix)
    pages = max(1, -(-len(role_list) // PAGE_SIZE))
    number = min(_page_number(page), pages)
    start = (number - 1) * PAGE_SIZE
    chosen = ranked_slice(scored.scores, scored.hard_pushes, start, start + PAGE_SIZE)
    chosen_ids = [role_list[index].pk for index in chosen]
    by_id = JobRole.objects.select_related("organisation").in_bulk(chosen_ids)
    pairs = _pairs_for(seeker_ids=[seeker.pk], role_ids=chosen_ids)
    fits = row_fits(
        items=items,
        reader=reader,
        pairs=[(role_id, seeker.pk, stamp) for role_id in chosen_ids],
        compute=lambda positions: [
            _fit(items, seeker_side, sides.answers(chosen[position], layout))
            for position in positions
        ],
        generation=generation,
    )
    rows = [
        MatchRow(
            rank=start + position + 1,
            fit=fit,
            seeker=seeker,
            role=by_id[role_id],
            pair=pairs.get((seeker.pk, role_id)),
        )
        for position, (role_id, fit) in enumerate(zip(chosen_ids, fits, strict=True))
    ]
    return MatchPage(rows=rows, total=len(role_list), page=number, pages=pages)


# The counter is what keeps them current; the expiry is a safety net (a bump lost while
# the cache was unreachable).
ROLE_VECTORS_SECONDS = 600
Packed = tuple[bytes, frozenset[int]]  # a role's packed vector, its answers' version numbers


@dataclass(frozen=True)
class _RoleSides:
    """Every role's packed vector (one row each, in the roles' order) and the version
    numbers of its answers: all the fit map needs of a role (``answers``)."""

    matrix: np.ndarray  # (roles, width) int8
    numbers: list[frozenset[int]]

    def answers(self, index: int, layout: VectorLayout) -> RoleAnswers:
        """The role's ``RoleAnswers`` as ``role_answers_many`` reads them: the vector holds
        every current item's level (-1 where none), so nothing is lost (tested)."""
        offers: dict[uuid.UUID, int] = {}
        needs: dict[uuid.UUID, int] = {}
        levels = self.matrix[index].tolist()
        for identity, is_need, level in zip(
            layout.identities, layout.is_need.tolist(), levels, strict=True
        ):
            if level >= 0:
                (offers if is_need else needs)[identity] = level
        return RoleAnswers(offers=offers, needs=needs, version_numbers=self.numbers[index])


def _role_sides(*, roles: list[RoleRef], items: MatchItems, generation: int | None) -> _RoleSides:
    """Every role's side: from the cache, or packed here when the cache (Redis) is
    unreachable, so the page still works, only slower."""
    try:
        if generation is None:
            raise ConnectionError("the role side's counter could not be read")
        known = _cached_role_sides(roles=roles, items=items, generation=generation)
    except Exception:  # any cache failure means "no cache"; the reason goes to the log
        logger.warning("role vectors: cache unavailable, packed without it", exc_info=True)
        known = _pack_roles(roles=roles, items=items)
    layout = items.layout()
    blob = b"".join(known[role.pk][0] for role in roles)
    return _RoleSides(
        matrix=np.frombuffer(blob, dtype=np.int8).reshape(len(roles), layout.width),
        numbers=[known[role.pk][1] for role in roles],
    )


def _pack_roles(*, roles: Sequence[RoleRef], items: MatchItems) -> dict[int, Packed]:
    layout = items.layout()
    sides = role_answers_many(roles=roles, items=items)
    return {
        role.pk: (
            layout.role_vector(offers=sides[role.pk].offers, needs=sides[role.pk].needs)
            .astype(np.int8)
            .tobytes(),
            sides[role.pk].version_numbers,
        )
        for role in roles
    }


def _cached_role_sides(
    *, roles: list[RoleRef], items: MatchItems, generation: int
) -> dict[int, Packed]:
    """Packed role vectors (and their version numbers), from the cache where current.

    Reading every published role's answers (2,000 roles, 146,000 rows) on each page took
    longer than the page may. The cache key holds the framework version and the counter
    ``factors.matching.role_side_generation``, which every change to a role's side bumps
    (the receivers in ``factors.apps``); entries also expire after ten minutes."""
    layout = items.layout()
    key = f"matches:role-sides:{items.version.pk}:{layout.width}:{generation}"
    known: dict[int, Packed] = cache.get(key) or {}
    missing = [role for role in roles if role.pk not in known]
    if len(missing) > REBUILD_ALONE:
        known = _wait_for_builder(key, known, roles)
        missing = [role for role in roles if role.pk not in known]
    if missing:
        known = known | _pack_roles(roles=missing, items=items)
        cache.set(key, known, ROLE_VECTORS_SECONDS)
        cache.delete(f"{key}:building")
    return known


REBUILD_ALONE = 100  # more roles to pack than this: one request packs, the others wait


def _wait_for_builder(
    key: str, known: dict[int, Packed], roles: list[RoleRef]
) -> dict[int, Packed]:
    """When many roles must be packed (cold cache, or a role changed), let one request do
    it while the others wait for its result, up to four seconds: every request packing all
    2,000 roles at once on two cores made each take several seconds (load test p95)."""
    if cache.add(f"{key}:building", 1, 10):
        return known  # this request builds them
    for _attempt in range(40):
        time.sleep(0.1)
        known = cache.get(key) or known
        if all(role.pk in known for role in roles):
            break
    return known


def published_roles() -> QuerySet[JobRole]:
    return JobRole.objects.filter(status=RoleStatus.PUBLISHED)


def practitioner_pairs(*, user: Any) -> QuerySet[Pair]:
    pairs = Pair.objects.visible_to(user).select_related(
        "seeker__user", "role__organisation", "practitioner"
    )
    if user.role == Role.PRACTITIONER:
        pairs = pairs.filter(Q(practitioner=user) | Q(seeker__practitioner=user))
    return pairs.order_by("-updated_at", "-pk")


# --- employers ----------------------------------------------------------------------------


def candidate_seekers() -> QuerySet[Seeker]:
    """Everyone an employer may see anonymously: seekers who agreed to the service using
    their answers (current wording), not anonymised."""
    agreed = Consent.objects.filter(
        seeker=OuterRef("pk"),
        kind=ConsentKind.DATA_USE,
        wording_version=CONSENT_WORDING_VERSION,
        withdrawn_at__isnull=True,
    )
    return Seeker.objects.filter(Exists(agreed), erased_at__isnull=True)


def identified_ids(*, organisation: Organisation, seeker_ids: Iterable[int]) -> set[int]:
    """Which of these seekers currently let the organisation see them (one query); the same
    rule as ``seekers.selectors.employer_may_see``."""
    return set(
        EmployerConsent.objects.filter(
            organisation=organisation,
            seeker_id__in=list(seeker_ids),
            withdrawn_at__isnull=True,
            expires_at__gt=timezone.now(),
            seeker__erased_at__isnull=True,
        ).values_list("seeker_id", flat=True)
    )


def candidate_by_alias(*, organisation: Organisation, label: str) -> Seeker:
    """The seeker behind one of the organisation's pseudonyms, if still a candidate."""
    alias = CandidateAlias.objects.filter(organisation=organisation, label=label).first()
    if alias is None:
        raise Http404("No such candidate.")
    seeker = candidate_seekers().select_related("user").filter(pk=alias.seeker_id).first()
    if seeker is None:
        raise Http404("No such candidate.")
    return seeker


def employer_visible_pair(pair: Pair | None, *, identified: bool) -> Pair | None:
    """An employer learns only of invitations and answers to them, never of a seeker's
    own interest or a practitioner's shortlist (those send nothing); an acceptance only
    while the consent it gave is still active."""
    if pair is None or pair.invited_at is None:
        return None
    if pair.status == PairStatus.ACCEPTED and not identified:
        return None
    return pair


# --- seekers ------------------------------------------------------------------------------


def waiting_for_seeker(*, seeker: Seeker) -> list[Pair]:
    """Introductions and invitations the seeker has not answered yet."""
    return list(
        seeker.pairs.filter(status__in=WAITING_FOR_SEEKER, role__status=RoleStatus.PUBLISHED)
        .select_related("role__organisation", "practitioner")
        .order_by("-updated_at", "-pk")
    )


def published_role_or_404(*, role_id: int) -> JobRole:
    role = published_roles().select_related("organisation").filter(pk=role_id).first()
    if role is None:
        raise Http404("No such role.")
    return role


# --- the three-way conversation -----------------------------------------------------------


@dataclass(frozen=True)
class ConversationLine:
    text: str
    seeker_side: str
    employer_side: str
    direction: str
    dealbreaker: bool


@dataclass(frozen=True)
class ConversationFactor:
    name: str
    status_label: str
    status: str
    lines: list[ConversationLine]


@dataclass(frozen=True)
class Conversation:
    factors: list[ConversationFactor]
    seeker_shares: bool
    view: FitMapView | None


def conversation(*, pair: Pair, seeker_shares: bool) -> Conversation:
    """Both sides' answers per factor, side by side. The seeker's side only while they share
    their answers with their practitioner; the role's side is the business's own offer."""
    items = match_items()
    role_side = role_answers_many(roles=[pair.role], items=items)[pair.role.pk]
    seeker_side = (
        seeker_answers_many(seeker_ids=[pair.seeker_id], items=items)[pair.seeker_id]
        if seeker_shares
        else SeekerAnswers(needs={}, offers={})
    )
    fitmap = _fit(items, seeker_side, role_side) if seeker_shares else None
    view = fitmap_view(fitmap=fitmap, reader="practitioner") if fitmap else None
    statuses = {row.key: row for row in view.factors} if view else {}
    by_factor: dict[str, list[ConversationLine]] = {key: [] for key in items.factor_keys}
    names: dict[str, str] = {}
    for fit_item in items.items:
        item: Any = fit_item.item
        names[fit_item.factor_key] = str(item.factor.name)
        is_need = fit_item.direction == Direction.WORKER_NEEDS
        employer_level = (role_side.offers if is_need else role_side.needs).get(fit_item.identity)
        dealbreaker = False
        if not seeker_shares:
            seeker_text = "—"
        elif is_need and fit_item.identity in seeker_side.needs:
            level, dealbreaker = seeker_side.needs[fit_item.identity]
            seeker_text = level_text(fit_item.direction, level)
        elif not is_need and fit_item.identity in seeker_side.offers:
            seeker_text = level_text(fit_item.direction, seeker_side.offers[fit_item.identity])
        else:
            seeker_text = level_label(item, None)
        by_factor[fit_item.factor_key].append(
            ConversationLine(
                text=str(item.employer_text),
                seeker_side=seeker_text,
                employer_side=level_label(item, employer_level),
                direction=fit_item.direction,
                dealbreaker=dealbreaker,
            )
        )
    factors = []
    for key in items.factor_keys:
        row = statuses.get(key)
        factors.append(
            ConversationFactor(
                name=names.get(key, key),
                status=row.status if row else "",
                status_label=row.status_label if row else "",
                lines=by_factor[key],
            )
        )
    return Conversation(factors=factors, seeker_shares=seeker_shares, view=view)

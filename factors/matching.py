"""Reads for matching: the fit map of one seeker and one role, and ranking many seekers.

``fit_for`` is the reference path (``factors.fitmap``, one pair at a time, with the items
named for the reasons). ``rank_seekers_for_role`` is the fast path: each seeker's answers
are kept packed in ``seekers.SeekerVector`` (refreshed in the same transaction as every
answer write), read in one query and scored together with ``factors.ranking``; the number
of queries does not grow with the number of seekers. Tests prove both paths agree.

Answers are matched to the current version's items by identity *and* direction: if an item
were ever turned round (a need became an offer), an old answer was given on another scale
and must not be read on the new one (``employers.selectors`` follows the same rule).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet, Value

from employers.models import JobRole, OfferAnswer, RoleNeed, RoleOfferOverride
from factors.completion import seekers_completion_sync
from factors.fitmap import FitItem, FitMap, FitStatus, RoleAnswers, SeekerAnswers, fit_map
from factors.models import FrameworkVersion, Item, VersionStatus
from factors.ranking import STATUS_CODES, VectorLayout, ranked_slice, score_codes
from factors.selectors import current_version, current_version_or_404
from seekers.models import Answer, Seeker, SeekerVector

logger = logging.getLogger(__name__)
Key = tuple[uuid.UUID, str]


@dataclass(frozen=True)
class MatchItems:
    """The current version's factor keys (in order) and active items, as the fit map wants."""

    version: FrameworkVersion
    factor_keys: tuple[str, ...]
    items: tuple[FitItem, ...]

    def layout(self) -> VectorLayout:
        return self._layout

    @cached_property
    def _layout(self) -> VectorLayout:
        return VectorLayout.build(factor_keys=self.factor_keys, items=self.items)

    def keys(self) -> set[Key]:
        return {(i.identity, i.direction) for i in self.items}


# A published version's factors and items never change (their models raise
# ``FrameworkLocked``), so each process keeps them once read: every ranked page and fit map
# needs them, and reading them costs two queries. Keyed by database, id and publication
# time (a test database reuses ids after a rollback); drafts are always read afresh.
_PUBLISHED_ITEMS: dict[tuple[str, int, object], MatchItems] = {}
_PUBLISHED_ITEMS_KEPT = 8


def match_items(*, version: FrameworkVersion | None = None) -> MatchItems:
    """Factor keys and active items of ``version`` (default: current): two queries, none
    for a published version already read by this process."""
    version = version or current_version_or_404()
    key = (version._state.db or "default", version.pk, version.published_at)
    published = version.status == VersionStatus.PUBLISHED
    if published and key in _PUBLISHED_ITEMS:
        return _PUBLISHED_ITEMS[key]
    factor_keys = tuple(version.factors.order_by("order", "pk").values_list("key", flat=True))
    items = (
        Item.objects.filter(factor__version=version, retired=False)
        .select_related("factor")
        .order_by("factor__order", "order", "pk")
    )
    fit_items = tuple(FitItem(i.identity, i.factor.key, i.direction, i) for i in items)
    found = MatchItems(version=version, factor_keys=factor_keys, items=fit_items)
    if published:
        if len(_PUBLISHED_ITEMS) >= _PUBLISHED_ITEMS_KEPT:
            _PUBLISHED_ITEMS.clear()
        _PUBLISHED_ITEMS[key] = found
    return found


def forget_published_items() -> None:
    """Drop what ``match_items`` and ``has_older_versions`` keep (tests, whose rollbacks
    reuse ids)."""
    from factors.selectors import forget_versions

    _PUBLISHED_ITEMS.clear()
    forget_versions()


# --- seekers ------------------------------------------------------------------------------


def _seeker_answers_from_rows(
    rows: Iterable[tuple[uuid.UUID, str, int, bool, int]], keys: set[Key]
) -> SeekerAnswers:
    """Rows (identity, direction, level, deal-breaker, version number), oldest version first:
    the newest answer per item wins; only items of ``keys`` count."""
    latest: dict[Key, tuple[int, bool, int]] = {}
    for identity, direction, level, dealbreaker, number in rows:
        if (identity, direction) in keys:
            latest[(identity, direction)] = (level, dealbreaker, number)
    needs: dict[uuid.UUID, tuple[int, bool]] = {}
    offers: dict[uuid.UUID, int] = {}
    for (identity, direction), (level, dealbreaker, _number) in latest.items():
        if direction == "worker_needs":
            needs[identity] = (level, dealbreaker)
        else:
            offers[identity] = level
    numbers = frozenset(number for _level, _flag, number in latest.values())
    return SeekerAnswers(needs=needs, offers=offers, version_numbers=numbers)


_ANSWER_FIELDS = (
    "item__identity",
    "item__direction",
    "level",
    "dealbreaker",
    "item__factor__version__number",
)


def seeker_answers(*, seeker: Seeker, items: MatchItems | None = None) -> SeekerAnswers:
    """The seeker's latest answer per current item, across versions, in one query."""
    items = items or match_items()
    rows = (
        Answer.objects.filter(seeker=seeker)
        .order_by("item__factor__version__number", "pk")
        .values_list(*_ANSWER_FIELDS)
    )
    return _seeker_answers_from_rows(rows, items.keys())


# --- roles --------------------------------------------------------------------------------


def _latest(rows: Iterable[tuple[uuid.UUID, str, int, int]]) -> dict[Key, tuple[int, int]]:
    latest: dict[Key, tuple[int, int]] = {}
    for identity, direction, level, number in rows:
        latest[(identity, direction)] = (level, number)
    return latest


_LEVEL_FIELDS = ("item__identity", "item__direction", "level", "item__factor__version__number")


def role_answers(*, role: JobRole, items: MatchItems | None = None) -> RoleAnswers:
    """What the role offers and needs per current item, in one query.

    The organisation's answers with the role's own in their place where set — the rule of
    ``employers.selectors.role_effective_offer`` and ``role_needs`` (tests compare them),
    plus the version numbers the answers were given against.
    """
    items = items or match_items()
    general, overrides, own_needs = _role_rows(role)
    offers: dict[uuid.UUID, int] = {}
    needs: dict[uuid.UUID, int] = {}
    numbers: set[int] = set()
    for fit_item in items.items:
        key = (fit_item.identity, fit_item.direction)
        is_need = fit_item.direction == "worker_needs"
        found = (overrides if is_need else own_needs).get(key) or general.get(key)
        if found is None:
            continue
        (offers if is_need else needs)[fit_item.identity] = found[0]
        numbers.add(found[1])
    return RoleAnswers(offers=offers, needs=needs, version_numbers=frozenset(numbers))


_GENERAL, _OVERRIDE, _OWN_NEED = 0, 1, 2


def _role_rows(role: JobRole) -> tuple[dict[Key, tuple[int, int]], ...]:
    """The organisation's answers, the role's overrides and the role's own needs, each the
    latest per item, read together (one round trip instead of three)."""

    def rows(queryset: QuerySet[Any], source: int) -> QuerySet[Any]:
        return queryset.annotate(source=Value(source)).values_list("source", *_LEVEL_FIELDS, "pk")

    union = rows(OfferAnswer.objects.filter(organisation_id=role.organisation_id), _GENERAL).union(
        rows(RoleOfferOverride.objects.filter(role=role), _OVERRIDE),
        rows(RoleNeed.objects.filter(role=role), _OWN_NEED),
        all=True,
    )
    # Oldest version first within each source, so the newest answer per item wins.
    ordered = sorted(union, key=lambda row: (row[0], row[4], row[5]))
    return tuple(
        _latest(row[1:5] for row in ordered if row[0] == source)
        for source in (_GENERAL, _OVERRIDE, _OWN_NEED)
    )


def fit_for(*, seeker: Seeker, role: JobRole, items: MatchItems | None = None) -> FitMap:
    """The fit map of one seeker and one role (the reference path), in about six queries."""
    items = items or match_items()
    return fit_map(
        factor_keys=items.factor_keys,
        items=items.items,
        seeker=seeker_answers(seeker=seeker, items=items),
        role=role_answers(role=role, items=items),
    )


# --- packed vectors -----------------------------------------------------------------------


def _vectors_for(
    *, seeker_ids: Sequence[int], items: MatchItems, layout: VectorLayout
) -> dict[int, bytes]:
    """Packed vectors for the given seekers from their answers, in one query."""
    rows = (
        Answer.objects.filter(seeker_id__in=seeker_ids)
        .order_by("seeker_id", "item__factor__version__number", "pk")
        .values_list("seeker_id", *_ANSWER_FIELDS)
    )
    keys = items.keys()
    grouped: dict[int, list[tuple[uuid.UUID, str, int, bool, int]]] = {s: [] for s in seeker_ids}
    for seeker_id, *row in rows.iterator(chunk_size=5000):
        grouped[seeker_id].append(tuple(row))  # type: ignore[arg-type]
    vectors = {}
    for seeker_id, seeker_rows in grouped.items():
        answers = _seeker_answers_from_rows(seeker_rows, keys)
        vectors[seeker_id] = layout.seeker_vector(needs=answers.needs, offers=answers.offers)
    return vectors


def _store(vectors: dict[int, bytes], version: FrameworkVersion) -> None:
    SeekerVector.objects.bulk_create(
        [SeekerVector(seeker_id=s, version=version, data=data) for s, data in vectors.items()],
        update_conflicts=True,
        unique_fields=["seeker"],
        update_fields=["version", "data", "updated_at"],
        batch_size=2000,
    )
    # The dashboard reads "finished the activities" from a date kept with the vector.
    seekers_completion_sync(seekers=list(vectors), version=version)


_STORE_IF_STALE_SQL = (
    "INSERT INTO {table} (seeker_id, version_id, data, updated_at)"
    " SELECT u.seeker_id, %s, u.data, now() FROM unnest(%s::bigint[], %s::bytea[])"
    " AS u (seeker_id, data)"
    " ON CONFLICT (seeker_id) DO UPDATE SET version_id = EXCLUDED.version_id,"
    " data = EXCLUDED.data, updated_at = EXCLUDED.updated_at"
    " WHERE {table}.version_id <> EXCLUDED.version_id"
    " OR octet_length({table}.data) <> octet_length(EXCLUDED.data)"
)


def _store_if_stale(vectors: dict[int, bytes], version: FrameworkVersion) -> None:
    """Store re-packed vectors, except over one already current for ``version``.

    Used outside the answer-write transaction (ranking's repair, the rebuild after a
    publish): a vector written meanwhile by an answer write is newer than what was read
    here and must win. PostgreSQL re-checks the condition on the row as last committed."""
    if not vectors:
        return
    connection = connections[SeekerVector.objects.db]
    if connection.vendor != "postgresql":
        current = set(
            SeekerVector.objects.filter(seeker_id__in=vectors, version=version).values_list(
                "seeker_id", flat=True
            )
        )
        _store({s: d for s, d in vectors.items() if s not in current}, version)
        return
    table = connection.ops.quote_name(SeekerVector._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            _STORE_IF_STALE_SQL.format(table=table),
            (version.pk, list(vectors), list(vectors.values())),
        )
    seekers_completion_sync(seekers=list(vectors), version=version)


def refresh_seeker_vector(*, seeker: Seeker) -> None:
    """Re-pack one seeker's answers; called by every answer write, in its transaction."""
    version = current_version()
    if version is None:
        return
    items = match_items(version=version)
    _store(_vectors_for(seeker_ids=[seeker.pk], items=items, layout=items.layout()), version)


@transaction.atomic
def rebuild_match_vectors(*, batch: int = 5000) -> int:
    """Re-pack every seeker's answers for the current version (the management command)."""
    version = current_version()
    if version is None:
        return 0
    items = match_items(version=version)
    layout = items.layout()
    ids = list(Seeker.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        _store(_vectors_for(seeker_ids=chunk, items=items, layout=layout), version)
    return len(ids)


def refresh_stale_match_vectors(*, batch: int = 2000) -> int:
    """Re-pack the vectors not yet current (after a publish), a batch per transaction.

    Runs as a Celery task enqueued when a version is published, so publishing does not
    re-pack everyone inside its own transaction; until it is done, ranking re-packs any
    stale vector it meets. Never overwrites a vector an answer write made current
    meanwhile (``_store_if_stale``). Returns how many vectors were re-packed."""
    version = current_version()
    if version is None:
        return 0
    items = match_items(version=version)
    layout = items.layout()
    stale = list(
        Seeker.objects.exclude(match_vector__version=version)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(stale), batch):
        chunk = stale[start : start + batch]
        with transaction.atomic():
            _store_if_stale(_vectors_for(seeker_ids=chunk, items=items, layout=layout), version)
    return len(stale)


# --- roles' side, cached -----------------------------------------------------------------

ROLE_SIDE_KEY = "matching:role-side-generation"


def role_side_generation() -> int:
    """A counter bumped whenever any role's offer or needs may have changed: cached role
    vectors (``matches.selectors._role_sides``) are keyed by it."""
    value = cache.get(ROLE_SIDE_KEY)
    if value is None:
        cache.add(ROLE_SIDE_KEY, _fresh_generation(), None)
        value = cache.get(ROLE_SIDE_KEY, 0)
    return int(value)


def _fresh_generation() -> int:
    """A start for the counter no earlier counter reached: the time in milliseconds. Were
    it 1 after the counter alone was evicted, vectors cached under an old 1 would be read
    as current."""
    return time.time_ns() // 1_000_000


def _bump() -> None:
    try:
        try:
            cache.incr(ROLE_SIDE_KEY)
        except ValueError:  # not there (evicted, or a fresh cache)
            cache.set(ROLE_SIDE_KEY, _fresh_generation(), None)
    except Exception:  # an unreachable cache must not fail the write that called this
        logger.warning("role side counter: cache unavailable", exc_info=True)


def role_side_changed(**_kwargs: Any) -> None:
    """Receiver for every write to roles and their answers (``factors.apps``), and called
    by the writes that send no signal (bulk copies, queryset updates). Bumped now, so the
    same request sees the change, and again at commit, so a page that read the old rows
    meanwhile does not keep them under the new counter."""
    _bump()
    transaction.on_commit(_bump)


# --- ranking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedSeeker:
    seeker_id: int
    score: int | None  # 0..100, None when there is not enough information
    statuses: dict[str, FitStatus]  # factor key -> status
    hard_pushes: int


@dataclass(frozen=True)
class RankedPage:
    rows: list[RankedSeeker]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class _StoredVectors:
    ids: np.ndarray  # int64 seeker ids whose stored vector is current, ascending
    matrix: np.ndarray  # their vectors, (n, 2, width) int8, in the same order
    stale: list[int]  # seekers with no vector, or one of another version or length


_CURRENT = "v.version_id = %s AND octet_length(v.data) = %s"
# One row whatever the number of seekers: every current vector prefixed with its seeker's
# id (8 bytes, big-endian), concatenated into one bytea; the other seekers as a list.
_VECTORS_SQL = (
    "SELECT string_agg(int8send(s.pk) || v.data, ''::bytea) FILTER (WHERE {current}),"
    " array_agg(s.pk) FILTER (WHERE v.seeker_id IS NULL OR NOT ({current}))"
    " FROM ({seekers}) AS s (pk) LEFT JOIN {table} v ON v.seeker_id = s.pk"
)


# Turns hash and merge joins off for the vector read, returning what they were. The
# settings are transaction-local, but when the read runs inside a caller's transaction
# (its savepoint released, not rolled back) they would outlive it: restored right after.
_INDEX_LOOKUPS_SQL = (
    "SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin'),"
    " set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)"
)
_RESTORE_JOINS_SQL = (
    "SELECT set_config('enable_hashjoin', %s, true), set_config('enable_mergejoin', %s, true)"
)


def _stored_vectors(
    *, seekers_queryset: QuerySet[Seeker], version: FrameworkVersion, width: int
) -> _StoredVectors:
    """Every current vector of the queryset's seekers, in one query returning one row.

    PostgreSQL concatenates the (id, vector) records into one byte string, received in
    binary (no hex text to decode) and read by numpy in place, so the client builds no
    Python object per seeker. Seekers whose vector is missing, of another version or of
    the wrong length come back in a list (usually empty), to be re-packed. Other
    databases get the same result row by row.
    """
    seekers = seekers_queryset.order_by().values("pk")
    connection = connections[seekers.db]
    if connection.vendor != "postgresql":
        return _stored_vectors_by_row(seekers, version=version, width=width)
    try:
        inner_sql, inner_params = seekers.query.sql_with_params()
    except EmptyResultSet:
        return _StoredVectors(ids=_NO_IDS, matrix=np.empty((0, 2, width), np.int8), stale=[])
    # Only the model's quoted table name and the ORM's own SQL for the seekers go into the
    # text; every value is bound by the driver (``compose_sql``, as Django's cursor does).
    table = connection.ops.quote_name(SeekerVector._meta.db_table)
    sql = connection.ops.compose_sql(
        _VECTORS_SQL.format(seekers=inner_sql, table=table, current=_CURRENT),
        (*(version.pk, 2 * width) * 2, *inner_params),
    )
    with transaction.atomic(using=seekers.db), _binary_cursor(connection) as cursor:
        # Look each seeker's vector up by its index. Left to itself PostgreSQL hashes the
        # seekers asked for and scans the whole vector table, a cost that grows with the
        # province (10,000 of 100,000 seekers: 70-120 ms) instead of with the seekers
        # asked for (25-40 ms).
        cursor.execute(_INDEX_LOOKUPS_SQL)
        hashjoin, mergejoin, _off, _also_off = cursor.fetchone()
        cursor.execute(sql)
        blob, stale = cursor.fetchone()
        # (On an error the savepoint's rollback undoes the settings by itself.)
        cursor.execute(_RESTORE_JOINS_SQL, (hashjoin, mergejoin))
    record = np.dtype([("id", ">i8"), ("vector", np.int8, (2, width))])
    records = np.frombuffer(blob or b"", dtype=record)
    # The aggregate has no ORDER BY (sorting the vectors in the database costs more than
    # here); seekers are ranked in id order for ties, so sort by id.
    by_id = np.argsort(records["id"], kind="stable")
    return _StoredVectors(
        ids=records["id"][by_id].astype(np.int64),
        matrix=records["vector"][by_id],
        stale=sorted(stale or []),
    )


_NO_IDS = np.empty(0, dtype=np.int64)


@contextmanager
def _binary_cursor(connection: BaseDatabaseWrapper) -> Iterator[Any]:
    """A cursor on Django's own connection (same transaction, counted and logged like any
    query) that receives results in PostgreSQL's binary format. Django's default cursor
    binds parameters client-side, which psycopg only allows with text results."""
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    cursor = (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    try:
        yield cursor
    finally:
        raw.close()


def _stored_vectors_by_row(
    seekers: QuerySet[Seeker], *, version: FrameworkVersion, width: int
) -> _StoredVectors:
    rows = Seeker.objects.filter(pk__in=seekers).order_by("pk")
    ids, blobs, stale = [], [], []
    for pk, data, version_id in rows.values_list(
        "pk", "match_vector__data", "match_vector__version_id"
    ):
        if version_id == version.pk and data is not None and len(data) == 2 * width:
            ids.append(pk)
            blobs.append(bytes(data))
        else:
            stale.append(pk)
    matrix = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(-1, 2, width)
    return _StoredVectors(ids=np.array(ids, dtype=np.int64), matrix=matrix, stale=stale)


def rank_seekers_for_role(
    *,
    role: JobRole,
    seekers_queryset: QuerySet[Seeker],
    page: int = 1,
    page_size: int = 25,
    items: MatchItems | None = None,
) -> RankedPage:
    """The given seekers ranked for the role, best first, one page of them.

    Queries: two for the items, three for the role, one for every seeker's vector (one
    row of concatenated bytes, see ``_stored_vectors``), plus two only when some vectors
    are missing or stale (they are re-packed and stored) — the same for ten seekers or a
    hundred thousand. Every seeker is scored; only the page's rows are fully sorted.
    """
    items = items or match_items()
    pool = pool_vectors(seekers_queryset=seekers_queryset, items=items)
    return rank_pool_for_role(role=role, pool=pool, page=page, page_size=page_size, items=items)


@dataclass(frozen=True)
class PoolVectors:
    """Every seeker of a pool with their current vector, in id order (the tie-break)."""

    ids: np.ndarray  # int64, ascending
    matrix: np.ndarray  # (n, 2, width) int8, in the same order


def pool_vectors(*, seekers_queryset: QuerySet[Seeker], items: MatchItems) -> PoolVectors:
    """The queryset's seekers' current vectors: one query for the stored ones, and the
    missing or stale ones re-packed and stored (the next read finds them)."""
    layout = items.layout()
    stored = _stored_vectors(
        seekers_queryset=seekers_queryset, version=items.version, width=layout.width
    )
    ids, matrix = stored.ids, stored.matrix
    if stored.stale:
        fresh = _vectors_for(seeker_ids=stored.stale, items=items, layout=layout)
        _store_if_stale(fresh, items.version)
        ids = np.concatenate([ids, np.array(stored.stale, dtype=np.int64)])
        matrix = np.concatenate([matrix, layout.unpack([fresh[pk] for pk in stored.stale])])
        by_id = np.argsort(ids, kind="stable")
        ids, matrix = ids[by_id], matrix[by_id]
    return PoolVectors(ids=ids, matrix=matrix)


def rank_pool_for_role(
    *, role: JobRole, pool: PoolVectors, page: int, page_size: int, items: MatchItems
) -> RankedPage:
    """``rank_seekers_for_role`` on vectors already read (``pool_vectors``)."""
    layout = items.layout()
    page_size = max(1, page_size)
    role_side = role_answers(role=role, items=items)
    ids, matrix = pool.ids, pool.matrix
    total = len(ids)
    if not total:
        return RankedPage(rows=[], total=0, page=1, page_size=page_size)
    scored = score_codes(
        layout=layout,
        seekers=matrix,
        role=layout.role_vector(offers=role_side.offers, needs=role_side.needs),
    )
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    chosen = ranked_slice(
        scored.scores, scored.hard_pushes, (page - 1) * page_size, page * page_size
    )
    ranked = [
        RankedSeeker(
            seeker_id=int(ids[index]),
            score=int(scored.scores[index]) if scored.scores[index] >= 0 else None,
            statuses=dict(
                zip(layout.factor_keys, STATUS_CODES[scored.status_codes[index]], strict=True)
            ),
            hard_pushes=int(scored.hard_pushes[index]),
        )
        for index in chosen
    ]
    return RankedPage(rows=ranked, total=total, page=page, page_size=page_size)

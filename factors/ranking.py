"""Fast ranking: the fit map's numbers for many seekers against one role at once.

Each seeker's answers for the current framework version are packed into a fixed-layout
vector (one small integer per item, -1 where unanswered). Scoring a role against a
matrix of such vectors is a handful of numpy operations, with exactly the integer
arithmetic of ``factors.fitmap`` so the two give identical scores and statuses
(tests compare them on random data).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

import numpy as np

from factors.fitmap import ALIGNED_AT, MIN_COMPARABLE_FACTORS, STRETCH_AT, FitItem, FitStatus
from factors.scales import Direction

MISSING = -1
# Seeker vector layout per item: needs items use two slots (importance, deal-breaker),
# offers items one (strength); kept as int8.


@dataclass(frozen=True)
class VectorLayout:
    """Where each item of a framework version sits in the packed vectors."""

    factor_keys: tuple[str, ...]
    identities: tuple[UUID, ...]
    is_need: np.ndarray  # bool per item
    factor_index: np.ndarray  # int per item
    membership: np.ndarray  # items x factors, 0/1

    @classmethod
    def build(cls, *, factor_keys: Sequence[str], items: Sequence[FitItem]) -> VectorLayout:
        keys = tuple(factor_keys)
        index = {key: position for position, key in enumerate(keys)}
        ordered = [i for i in items if i.factor_key in index]
        factor_index = np.array([index[i.factor_key] for i in ordered], dtype=np.int64)
        membership = np.zeros((len(ordered), len(keys)), dtype=np.int64)
        membership[np.arange(len(ordered)), factor_index] = 1
        return cls(
            factor_keys=keys,
            identities=tuple(i.identity for i in ordered),
            is_need=np.array([i.direction == Direction.WORKER_NEEDS for i in ordered], dtype=bool),
            factor_index=factor_index,
            membership=membership,
        )

    @property
    def width(self) -> int:
        return len(self.identities)

    def seeker_vector(
        self, *, needs: Mapping[UUID, tuple[int, bool]], offers: Mapping[UUID, int]
    ) -> bytes:
        """Two int8 rows per item: level (-1 missing) and deal-breaker flag."""
        levels = np.full(self.width, MISSING, dtype=np.int8)
        flags = np.zeros(self.width, dtype=np.int8)
        for position, identity in enumerate(self.identities):
            if self.is_need[position]:
                if identity in needs:
                    levels[position], flags[position] = needs[identity][0], int(needs[identity][1])
            elif identity in offers:
                levels[position] = offers[identity]
        return levels.tobytes() + flags.tobytes()

    def role_vector(self, *, offers: Mapping[UUID, int], needs: Mapping[UUID, int]) -> np.ndarray:
        vector = np.full(self.width, MISSING, dtype=np.int64)
        for position, identity in enumerate(self.identities):
            source = offers if self.is_need[position] else needs
            if identity in source:
                vector[position] = source[identity]
        return vector

    def unpack(self, packed: Sequence[bytes] | bytes, count: int | None = None) -> np.ndarray:
        """Seeker vectors (concatenated bytes or a list) -> (n, 2, width) int8 array.

        No copy: a view on the bytes (read-only), which is all ``score_many`` needs."""
        blob = packed if isinstance(packed, bytes) else b"".join(packed)
        raw = np.frombuffer(blob, dtype=np.int8)
        return raw.reshape(-1, 2, self.width)


@dataclass(frozen=True)
class RankResult:
    scores: np.ndarray  # int per seeker; -1 where there is not enough information
    statuses: np.ndarray  # (n, factors) array of FitStatus values (str)
    hard_pushes: np.ndarray  # int per seeker: number of deal-breakers and unmet musts


STATUS_CODES = np.array(
    [FitStatus.NOT_COMPARABLE, FitStatus.GAP, FitStatus.STRETCH, FitStatus.ALIGNED], dtype=object
)


# --- scoring --------------------------------------------------------------------------
# The role is fixed while many seekers are scored, so every item's contribution depends
# only on the seeker's (level, deal-breaker) pair: ten possible states. For each item a
# small table gives, per state, the four numbers the rule sums per factor (missing
# answers, hard pushes, weight, met), packed into one integer as fixed-width bit fields,
# each wide enough for the largest per-factor sum (so fields never carry into each
# other): 7 bits and an int32 for today's framework, int64 for a much larger one.
# Scoring is then one table look-up per seeker and item and one segmented sum per factor
# (``np.add.reduceat`` over the items grouped by factor): integer arithmetic throughout,
# no BLAS (whose threads stall on a busy machine), exact by construction.

_STATES = 10  # (level -1..3) x (deal-breaker 0/1): state = (level + 1) * 2 + flag
_FIELDS = 4  # missing, hard, weight, met
_MAX_PER_ITEM = 6  # the largest weight or met of one item (2 x 3, 3 x 2)
_CHUNK = 8192  # seekers per block: keeps the temporaries in the CPU cache


def _state_tables(layout: VectorLayout, role: np.ndarray) -> np.ndarray:
    """(width, 10, 4) int64: per item and seeker state, (missing, hard, weight, met).

    Exactly the rule of ``factors.fitmap`` (tests compare the two), worked out once per
    item instead of once per seeker and item."""
    levels = np.repeat(np.arange(-1, 4), 2)[None, :]
    flags = np.tile(np.arange(2), 5)[None, :]
    lv = np.maximum(levels, 0)
    rv = np.where(role == MISSING, 0, role).astype(np.int64)[:, None]
    need = layout.is_need[:, None]
    missing = np.broadcast_to(levels == MISSING, (layout.width, _STATES))
    weight = np.where(need, 2 * lv, 2 * rv)
    met = np.where(need, lv * rv, rv * np.minimum(lv, 2))
    dealbreaker = need & (flags == 1) & (rv == 0)
    must_unmet = need & (lv == 3) & (rv == 0) & ~dealbreaker
    employer_must = ~need & (rv == 3) & (lv == 0)
    hard = dealbreaker | must_unmet | employer_must
    return np.stack([missing, hard, weight, met], axis=-1).astype(np.int64)


def _factor_sums(layout: VectorLayout, seekers: np.ndarray, tables: np.ndarray) -> np.ndarray:
    """(n, factors, 4) int64: per seeker and factor, the sums of (missing, hard, weight, met)."""
    width, n, factors = layout.width, seekers.shape[0], len(layout.factor_keys)
    counts = np.bincount(layout.factor_index, minlength=factors)
    bits = int(counts.max() * _MAX_PER_ITEM).bit_length()
    if bits * _FIELDS > 62:
        raise ValueError("Too many items in one factor for the packed sums.")
    dtype = np.int32 if bits * _FIELDS <= 31 else np.int64
    # Items grouped by factor (usually already so), and where each factor's run starts.
    order = np.argsort(layout.factor_index, kind="stable")
    grouped = bool((order == np.arange(width)).all())
    present = np.flatnonzero(counts)
    starts = (np.cumsum(counts) - counts)[present]
    shifts = np.arange(_FIELDS, dtype=np.int64) * bits
    packed = (tables[order] << shifts).sum(axis=-1).ravel().astype(dtype)  # (width * 10,)
    offsets = (np.arange(width, dtype=np.intp) * _STATES)[None, :]
    mask = (1 << bits) - 1
    sums = np.zeros((n, factors, _FIELDS), dtype=np.int64)
    for start in range(0, n, _CHUNK):
        block = seekers[start : start + _CHUNK]
        levels, flags = block[:, 0, :], block[:, 1, :]
        if not grouped:
            levels, flags = levels[:, order], flags[:, order]
        state = levels.astype(np.intp)
        state += 1
        state *= 2
        state += flags
        state += offsets
        summed = np.add.reduceat(packed.take(state), starts, axis=1)  # (block, present)
        rows = slice(start, start + _CHUNK)
        for field in range(_FIELDS):
            sums[rows, present, field] = (summed >> (field * bits)) & mask
    return sums


@dataclass(frozen=True)
class ScoredCodes:
    scores: np.ndarray  # int64 per seeker, -1 where there is not enough information
    status_codes: np.ndarray  # (n, factors) int8 indices into STATUS_CODES
    hard_pushes: np.ndarray  # int64 per seeker


def score_codes(*, layout: VectorLayout, seekers: np.ndarray, role: np.ndarray) -> ScoredCodes:
    """The numbers of ``score_many``, with statuses as small integer codes."""
    role = np.asarray(role, dtype=np.int64)
    n, factors = seekers.shape[0], len(layout.factor_keys)
    if n == 0 or layout.width == 0:
        sums = np.zeros((n, factors, _FIELDS), dtype=np.int64)
    else:
        sums = _factor_sums(layout, seekers, _state_tables(layout, role))
    seeker_missing, hard_f, weight_f, met_f = (sums[..., f] for f in range(_FIELDS))
    role_missing = ((role == MISSING).astype(np.int64) @ layout.membership)[None, :]
    return _scored(layout, seeker_missing, role_missing, hard_f, weight_f, met_f)


def _role_state_tables(layout: VectorLayout, seeker: np.ndarray) -> np.ndarray:
    """(width, 10, 4) int64: per item and *role* level, (role missing, hard, weight, met)
    for this one seeker. The states are those of ``_state_tables`` (level + 1) * 2 + flag,
    with the role's level in place of the seeker's and the flag always 0, so
    ``_factor_sums`` sums them per factor: the same per-item rule, seen from the seeker."""
    level = seeker[0].astype(np.int64)[:, None]
    flag = seeker[1].astype(np.int64)[:, None]
    lv = np.maximum(level, 0)
    role_level = np.repeat(np.arange(-1, 4), 2)[None, :]
    rv = np.maximum(role_level, 0)
    need = layout.is_need[:, None]
    missing = np.broadcast_to(role_level == MISSING, (layout.width, _STATES))
    weight = np.where(need, 2 * lv, 2 * rv)
    met = np.where(need, lv * rv, rv * np.minimum(lv, 2))
    dealbreaker = need & (flag == 1) & (rv == 0)
    must_unmet = need & (lv == 3) & (rv == 0) & ~dealbreaker
    employer_must = ~need & (rv == 3) & (lv == 0)
    hard = dealbreaker | must_unmet | employer_must
    return np.stack([missing, hard, weight, met], axis=-1).astype(np.int64)


def score_roles(*, layout: VectorLayout, seeker: np.ndarray, roles: np.ndarray) -> ScoredCodes:
    """One seeker (a ``(2, width)`` vector) against many roles (``(n, width)``, one role
    vector per row): the numbers ``score_codes`` gives for each role (tests compare them).

    The seeker is fixed, so each item's contribution depends only on the role's level:
    one table look-up per role and item and one segmented sum per factor, as
    ``score_codes`` does for many seekers (about 1 ms for 2,000 roles, where per-item
    arrays and matrix products took 6 ms)."""
    roles = np.asarray(roles).reshape(-1, layout.width)
    n, factors = roles.shape[0], len(layout.factor_keys)
    level = seeker[0].astype(np.int64)
    seeker_missing = ((level == MISSING).astype(np.int64) @ layout.membership)[None, :]
    if n == 0 or layout.width == 0:
        sums = np.zeros((n, factors, _FIELDS), dtype=np.int64)
    else:
        as_states = np.zeros((n, 2, layout.width), dtype=np.int8)  # flag 0: (level + 1) * 2
        as_states[:, 0, :] = roles
        sums = _factor_sums(layout, as_states, _role_state_tables(layout, seeker))
    role_missing, hard_f, weight_f, met_f = (sums[..., f] for f in range(_FIELDS))
    return _scored(layout, seeker_missing, role_missing, hard_f, weight_f, met_f)


def _scored(
    layout: VectorLayout,
    seeker_missing: np.ndarray,
    role_missing: np.ndarray,
    hard_f: np.ndarray,
    weight_f: np.ndarray,
    met_f: np.ndarray,
) -> ScoredCodes:
    """Scores, statuses and hard pushes from the per-factor sums (rows: seekers or roles)."""
    items_per_factor = layout.membership.sum(axis=0)
    comparable = (seeker_missing == 0) & (role_missing == 0) & (items_per_factor > 0)[None, :]

    safe = np.where(weight_f == 0, 1, weight_f)
    fit = np.where(weight_f == 0, 1000, (2000 * met_f + weight_f) // (2 * safe))
    status = np.where(
        hard_f > 0, 1, np.where(fit >= ALIGNED_AT, 3, np.where(fit >= STRETCH_AT, 2, 1))
    )
    status = np.where(comparable, status, 0).astype(np.int8)

    count = comparable.sum(axis=1)
    total = np.where(comparable, fit, 0).sum(axis=1)
    safe_count = np.where(count == 0, 1, count)
    scores = np.where(count >= MIN_COMPARABLE_FACTORS, (total + 5 * count) // (10 * safe_count), -1)
    hard_count = np.where(comparable, hard_f, 0).sum(axis=1)
    return ScoredCodes(scores=scores, status_codes=status, hard_pushes=hard_count)


def score_many(*, layout: VectorLayout, seekers: np.ndarray, role: np.ndarray) -> RankResult:
    """Score every seeker (``seekers`` from ``layout.unpack``) against one role vector."""
    scored = score_codes(layout=layout, seekers=seekers, role=role)
    return RankResult(
        scores=scored.scores,
        statuses=STATUS_CODES[scored.status_codes],
        hard_pushes=scored.hard_pushes,
    )


def _rank_keys(scores: np.ndarray, hard_pushes: np.ndarray) -> np.ndarray:
    """One int64 per seeker whose ascending order is the ranking, ties by position (so the
    order equals a stable sort): scored first, then fewer hard pushes, then higher score."""
    n = len(scores)
    unscored = (scores < 0).astype(np.int64)
    hard = np.minimum(hard_pushes, 2**20 - 1).astype(np.int64)
    key = (unscored << 28) | (hard << 7) | (100 - np.clip(scores, -1, 100))
    return key * max(n, 1) + np.arange(n, dtype=np.int64)


def rank_order(result: RankResult) -> np.ndarray:
    """Indices best first: scored before unscored, then fewer deal-breakers, higher score."""
    return np.argsort(_rank_keys(result.scores, result.hard_pushes))


def ranked_slice(scores: np.ndarray, hard_pushes: np.ndarray, start: int, stop: int) -> np.ndarray:
    """``rank_order(...)[start:stop]`` without sorting everyone: a partial partition
    (O(n)) and a sort of only the rows of that page."""
    keys = _rank_keys(scores, hard_pushes)
    n = len(keys)
    stop = min(stop, n)
    if start >= stop:
        return np.empty(0, dtype=np.intp)
    head = np.argpartition(keys, stop - 1)[:stop] if stop < n else np.arange(n)
    head = head[np.argsort(keys[head])]
    return head[start:stop]

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
        """Seeker vectors (concatenated bytes or a list) -> (n, 2, width) int64 array."""
        blob = packed if isinstance(packed, bytes) else b"".join(packed)
        raw = np.frombuffer(blob, dtype=np.int8)
        return raw.reshape(-1, 2, self.width).astype(np.int64)


@dataclass(frozen=True)
class RankResult:
    scores: np.ndarray  # int per seeker; -1 where there is not enough information
    statuses: np.ndarray  # (n, factors) array of FitStatus values (str)
    hard_pushes: np.ndarray  # int per seeker: number of deal-breakers and unmet musts


STATUS_CODES = np.array(
    [FitStatus.NOT_COMPARABLE, FitStatus.GAP, FitStatus.STRETCH, FitStatus.ALIGNED], dtype=object
)


def _summed(values: np.ndarray, membership: np.ndarray) -> np.ndarray:
    """Per-factor sums of small integers through a float matrix product (BLAS, many times
    faster than numpy's integer one); every value stays far below 2**53, so it is exact."""
    return np.rint(values.astype(np.float64) @ membership).astype(np.int64)


def score_many(*, layout: VectorLayout, seekers: np.ndarray, role: np.ndarray) -> RankResult:
    """Score every seeker (``seekers`` from ``layout.unpack``) against one role vector."""
    levels, flags = seekers[:, 0, :], seekers[:, 1, :]
    need = layout.is_need
    membership = layout.membership.astype(np.float64)

    seeker_missing = _summed(levels == MISSING, membership)
    role_missing = _summed(role == MISSING, membership)
    items_per_factor = layout.membership.sum(axis=0)
    comparable = (seeker_missing == 0) & (role_missing == 0)[None, :] & (items_per_factor > 0)

    lv = np.where(levels == MISSING, 0, levels)
    rv = np.where(role == MISSING, 0, role)
    # Worker-needs items: weight 2*importance, met importance*offer.
    # Worker-offers items: weight 2*need, met need*min(strength, 2).
    weight = np.where(need, 2 * lv, 2 * rv[None, :])
    met = np.where(need, lv * rv[None, :], rv[None, :] * np.minimum(lv, 2))
    weight_f = _summed(weight, membership)
    met_f = _summed(met, membership)
    safe = np.where(weight_f == 0, 1, weight_f)
    fit = np.where(weight_f == 0, 1000, (2000 * met_f + weight_f) // (2 * safe))

    dealbreaker = need & (flags == 1) & (rv[None, :] == 0)
    must_unmet = need & (lv == 3) & (rv[None, :] == 0) & ~dealbreaker
    employer_must = ~need & (rv[None, :] == 3) & (lv == 0)
    hard = (dealbreaker | must_unmet | employer_must).astype(np.int64)
    hard_f = _summed(hard, membership)

    status = np.where(
        hard_f > 0, 1, np.where(fit >= ALIGNED_AT, 3, np.where(fit >= STRETCH_AT, 2, 1))
    )
    status = np.where(comparable, status, 0)

    count = comparable.sum(axis=1)
    total = np.where(comparable, fit, 0).sum(axis=1)
    safe_count = np.where(count == 0, 1, count)
    scores = np.where(count >= MIN_COMPARABLE_FACTORS, (total + 5 * count) // (10 * safe_count), -1)
    hard_count = np.where(comparable, hard_f, 0).sum(axis=1)
    return RankResult(scores=scores, statuses=STATUS_CODES[status], hard_pushes=hard_count)


def rank_order(result: RankResult) -> np.ndarray:
    """Indices best first: scored before unscored, then fewer deal-breakers, higher score."""
    scored = result.scores >= 0
    return np.lexsort((-result.scores, result.hard_pushes, ~scored))

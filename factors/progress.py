"""Progress through the six activities, for either side, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from factors.models import Factor, FrameworkVersion


@dataclass(frozen=True)
class FactorProgress:
    factor: Factor
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def progress_by_factor(
    *, version: FrameworkVersion, answers: QuerySet[Any]
) -> list[FactorProgress]:
    """``answers`` are one owner's answer rows (``Answer`` or ``OfferAnswer``, already
    narrowed to the seeker or organisation).

    The answered count is a correlated subquery per factor on the owner's own rows, so
    PostgreSQL reads them through the owner's index: joining factors to every answer of
    every owner and filtering afterwards took seconds with 100,000 seekers' 7 million
    answers (docs/performance.md)."""
    answered = (
        answers.filter(item__factor=OuterRef("pk"), item__retired=False)
        .order_by()
        .values("item__factor")
        .annotate(count=Count("item", distinct=True))
        .values("count")
    )
    factors: QuerySet[Factor] = version.factors.order_by("order").annotate(
        total=Count("items", filter=Q(items__retired=False)),
        answered=Coalesce(Subquery(answered), 0),
    )
    return [FactorProgress(f, f.answered, f.total) for f in factors]  # type: ignore[attr-defined]

"""Progress through the six activities, for either side, in one query."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

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
    *, version: FrameworkVersion, answer_relation: str, owner_filter: Q
) -> list[FactorProgress]:
    """``answer_relation`` is the item's reverse name for the side's answers
    (``seeker_answers`` or ``employer_answers``); ``owner_filter`` narrows it to one owner."""
    factors: QuerySet[Factor] = version.factors.order_by("order").annotate(
        total=Count("items", filter=Q(items__retired=False), distinct=True),
        answered=Count(
            f"items__{answer_relation}",
            filter=Q(items__retired=False) & owner_filter,
            distinct=True,
        ),
    )
    return [FactorProgress(f, f.answered, f.total) for f in factors]  # type: ignore[attr-defined]

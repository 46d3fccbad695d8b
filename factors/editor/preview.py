"""What a seeker or an employer would see of one factor's activity, for the admin's preview.

The answer scale depends on the side and the item's direction, exactly as the activities
read it: a worker rates how much they need (Importance) or can offer (Strength) an item; an
employer whether it offers it (OfferLevel) or how much it needs it (NeedLevel).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from factors.models import Factor, Item, MindsetPrompt
from factors.scales import (
    Agreement,
    Direction,
    Importance,
    NeedLevel,
    OfferLevel,
    Side,
    Strength,
)

PREVIEW_LANGUAGES = ("en", "fr")


def _scale(side: str, direction: str) -> Any:
    if side == Side.WORKER:
        return Importance if direction == Direction.WORKER_NEEDS else Strength
    return OfferLevel if direction == Direction.WORKER_NEEDS else NeedLevel


@dataclass(frozen=True)
class PreviewQuestion:
    """One question as shown: the row (its text is read in the preview's language later)."""

    row: Item | MindsetPrompt
    side: str
    scale: Any
    prefix: str

    @property
    def text(self) -> str:
        if isinstance(self.row, MindsetPrompt):
            return str(self.row.text)
        return str(self.row.worker_text if self.side == Side.WORKER else self.row.employer_text)

    @property
    def choices(self) -> list[tuple[int, Any]]:
        return list(self.scale.choices)


@dataclass(frozen=True)
class Preview:
    factor: Factor
    side: str
    language: str
    items: list[PreviewQuestion]
    prompts: list[PreviewQuestion]

    @property
    def reflection(self) -> str:
        factor = self.factor
        return str(
            factor.worker_reflection if self.side == Side.WORKER else factor.employer_reflection
        )


def preview_side(value: str | None) -> str:
    """``employer`` or ``worker`` (the default); anything else reads as worker."""
    return Side.EMPLOYER if value == Side.EMPLOYER else Side.WORKER


def preview_language(value: str | None, default: str) -> str:
    return value if value in PREVIEW_LANGUAGES else default


def preview_build(*, factor: Factor, side: str, language: str) -> Preview:
    """Active items and this side's active prompts, in the order people meet them.

    ``factor`` must come with its items and mindsets prefetched in page order.
    """
    items = [
        PreviewQuestion(item, side, _scale(side, item.direction), f"item-{item.pk}")
        for item in factor.items.all()
        if not item.retired
    ]
    prompts = [
        PreviewQuestion(prompt, side, Agreement, f"prompt-{prompt.pk}")
        for prompt in factor.mindsets.all()
        if not prompt.retired and prompt.side == side
    ]
    return Preview(factor, side, language, items, prompts)

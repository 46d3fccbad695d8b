"""Fixtures for the seeker journey: consent given, answers filled in, a newer framework version."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from factors.models import FrameworkVersion, Item
from factors.selectors import current_version
from seekers import services
from seekers.models import Answer, ConsentKind, Seeker


@pytest.fixture
def version(db) -> FrameworkVersion:
    found = current_version()
    assert found is not None
    return found


@pytest.fixture
def consented(cast):
    """Both cast seekers have agreed to the data use (seeker also shares with practitioner)."""
    services.welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    services.consent_give(seeker=cast.seeker2, kind=ConsentKind.DATA_USE)
    return cast


def fill_answers(
    seeker: Seeker,
    version: FrameworkVersion,
    *,
    level: Callable[[Item], int] = lambda item: 2,
    factors: set[str] | None = None,
    dealbreaker: Callable[[Item], bool] = lambda item: False,
    example: Callable[[Item], str] = lambda item: "",
) -> list[Answer]:
    """Answer every current item (of the given factors) in one go."""
    items = Item.objects.filter(factor__version=version, retired=False).select_related("factor")
    if factors is not None:
        items = items.filter(factor__key__in=factors)
    rows = [
        Answer(
            seeker=seeker,
            item=item,
            level=level(item),
            dealbreaker=item.is_need and dealbreaker(item),
            example="" if item.is_need else example(item),
        )
        for item in items
    ]
    return Answer.objects.bulk_create(rows)


@pytest.fixture
def answer_all() -> Callable[..., list[Answer]]:
    return fill_answers


def publish_next_version(*, change: Callable[[FrameworkVersion], None] | None = None):
    """Start a draft (a copy with the same identities), optionally edit it, publish it."""
    from factors.services import draft_start, version_publish

    draft = draft_start(by=None)
    if change is not None:
        change(draft)
    return version_publish(version=draft, by=None, note="Test version")


@pytest.fixture
def next_version() -> Callable[..., FrameworkVersion]:
    return publish_next_version

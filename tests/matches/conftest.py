"""Fixtures for matching pages: answered seekers who agreed to share, a published role."""

from __future__ import annotations

import pytest

from employers.models import JobRole, RoleStatus
from factors.models import Item
from factors.selectors import current_version
from seekers import services
from seekers.models import Answer, ConsentKind, Reflection, Seeker
from tests.employers.conftest import answer_everything, make_role
from tests.factories import SeekerFactory

REFLECTION = "I rebuilt the walk-in cooler at Dockside Diner in 2019"


def current_items() -> list[Item]:
    return list(
        Item.objects.filter(factor__version=current_version(), retired=False).select_related(
            "factor"
        )
    )


def answer_all(seeker: Seeker, *, level: int = 2, dealbreaker_every: int = 0) -> None:
    """Answer every current item; optionally mark some needs as deal-breakers."""
    rows = []
    for index, item in enumerate(current_items()):
        rows.append(
            Answer(
                seeker=seeker,
                item=item,
                level=level if (index + seeker.pk) % 3 else min(3, level + 1),
                dealbreaker=bool(
                    dealbreaker_every and item.is_need and index % dealbreaker_every == 0
                ),
                example="Served 200 covers a night at Dockside Diner" if not item.is_need else "",
            )
        )
    Answer.objects.bulk_create(rows)


def agree(seeker: Seeker, *, share_with_practitioner: bool = True) -> None:
    services.consent_give(seeker=seeker, kind=ConsentKind.DATA_USE)
    if share_with_practitioner:
        services.consent_give(seeker=seeker, kind=ConsentKind.PRACTITIONER)


def published_role(organisation, **fields) -> JobRole:
    role = make_role(organisation, **fields)
    role.status = RoleStatus.PUBLISHED
    role.save(update_fields=["status"])
    return role


@pytest.fixture
def matching(cast):
    """Both seekers answered everything and agreed; the first seeker wrote a reflection;
    both businesses answered everything and each has a published role."""
    for seeker in (cast.seeker, cast.seeker2):
        answer_all(seeker)
        agree(seeker)
    factor = current_version().factors.get(key="values")
    Reflection.objects.create(seeker=cast.seeker, factor=factor, text=REFLECTION)
    answer_everything(cast.organisation)
    answer_everything(cast.organisation2)
    cast.role = published_role(cast.organisation)
    cast.role2 = published_role(cast.organisation2, title="Guide")
    return cast


def more_seekers(count: int, *, practitioner, office) -> list[Seeker]:
    seekers = []
    for _ in range(count):
        seeker = SeekerFactory(practitioner=practitioner, office=office)
        answer_all(seeker)
        agree(seeker)
        seekers.append(seeker)
    return seekers

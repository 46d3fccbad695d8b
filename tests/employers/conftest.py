"""Fixtures for the employer journey: items by code, answering helpers, a role."""

from __future__ import annotations

from decimal import Decimal

import pytest

from employers.models import JobRole, OfferAnswer, Organisation
from factors.models import Item
from factors.scales import FactorKey
from factors.selectors import current_version


@pytest.fixture
def items(db) -> dict[str, Item]:
    """The current version's items by code."""
    version = current_version()
    return {
        item.code: item
        for item in Item.objects.filter(factor__version=version).select_related("factor")
    }


def answer_factor(
    organisation: Organisation, factor_key: str, *, offer: int = 2, need: int = 2
) -> None:
    """Answer every current item of one factor: ``offer`` for offers, ``need`` for needs."""
    version = current_version()
    for item in Item.objects.filter(factor__version=version, factor__key=factor_key):
        OfferAnswer.objects.update_or_create(
            organisation=organisation,
            item=item,
            defaults={"level": offer if item.is_need else need},
        )


def answer_everything(organisation: Organisation, *, offer: int = 2, need: int = 2) -> None:
    for key in FactorKey.values:
        answer_factor(organisation, key, offer=offer, need=need)


def make_role(organisation: Organisation, **overrides) -> JobRole:
    fields = {
        "title": "Line cook",
        "duties": "Cook breakfast and lunch for the café.",
        "hours_per_week": 32,
        "location": "Water Street",
        "region": "halifax",
        "pay_min": Decimal("17.50"),
        "pay_max": Decimal("21.00"),
    }
    fields.update(overrides)
    return JobRole.objects.create(organisation=organisation, **fields)


ROLE_POST = {
    "title": "Line cook",
    "duties": "Cook breakfast and lunch.",
    "hours_per_week": "32",
    "location": "Water Street",
    "region": "halifax",
    "pay_min": "17.50",
    "pay_max": "21.00",
    "pay_period": "hour",
}

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from employers.models import JobRole
from practitioners.models import Placement


def make_placement(cast, *, started_on: date, seeker=None, organisation=None) -> Placement:
    organisation = organisation or cast.organisation
    role = JobRole.objects.create(
        organisation=organisation,
        title="Line cook",
        hours_per_week=30,
        location="Halifax",
        region="halifax",
        pay_min=Decimal("17.00"),
        pay_max=Decimal("19.00"),
    )
    return Placement.objects.create(
        seeker=seeker or cast.seeker,
        organisation=organisation,
        role=role,
        started_on=started_on,
        hours_per_week=Decimal("30"),
        wage=Decimal("18.00"),
        wage_period="hour",
        fit_snapshot={"score": 72, "factors": {}},
        fit_score=72,
        delivery_method="one_to_one",
        recorded_by=cast.practitioner,
    )


@pytest.fixture
def placement(cast):
    return make_placement(cast, started_on=date(2026, 1, 31))

"""Hand-made placements and follow-ups for the dashboard tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from employers.models import JobRole
from outcomes.models import FollowUp, FollowUpFactor
from practitioners.models import Placement
from tests.factories import SeekerFactory

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture
def role(cast):
    return JobRole.objects.create(
        organisation=cast.organisation,
        title="Line cook",
        hours_per_week=30,
        location="Halifax",
        region="halifax",
        pay_min=Decimal("17.00"),
        pay_max=Decimal("19.00"),
    )


def place(
    cast,
    role,
    *,
    started_on: datetime.date,
    score: int | None = 80,
    statuses: dict[str, str] | None = None,
    delivery: str = "one_to_one",
    answers: list[tuple] = (),
    seeker=None,
) -> Placement:
    """A placement, and its answered follow-ups: (party, month, still_there, left_on[, pushed])."""
    seeker = seeker or SeekerFactory(
        practitioner=cast.practitioner, office=cast.practitioner.office
    )
    placement = Placement.objects.create(
        seeker=seeker,
        organisation=role.organisation,
        role=role,
        started_on=started_on,
        hours_per_week=Decimal("30"),
        wage=Decimal("18.00"),
        wage_period="hour",
        fit_snapshot={
            "score": score,
            "factors": {key: {"status": status} for key, status in (statuses or {}).items()},
        },
        fit_score=score,
        delivery_method=delivery,
        recorded_by=cast.practitioner,
    )
    for party, month, still_there, left_on, *rest in answers:
        follow_up = FollowUp.objects.create(
            placement=placement,
            party=party,
            month=month,
            due_on=started_on + datetime.timedelta(days=30 * month),
            answered_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
            source="phone",
            still_there=still_there,
            left_on=left_on,
            who_decided="worker" if still_there == "left" else "",
        )
        for key in rest[0] if rest else ():
            FollowUpFactor.objects.create(follow_up=follow_up, factor_key=key, pushed_apart=True)
    return placement

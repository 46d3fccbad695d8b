"""Retention definitions on hand-made data, with a fixed today (docs/outcomes.md)."""

from __future__ import annotations

import datetime

import pytest

from outcomes.dashboard.filters import DashboardFilter
from outcomes.dashboard.queries import retention
from tests.dashboard.conftest import TODAY, place

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 15)  # 10 months before TODAY: counts at 3 and 6 months, not 12


def _all(f=None):
    return retention(f=f or DashboardFilter(), today=TODAY)["all"][""]


def test_still_there_and_left_by_the_n_month_date(cast, role):
    place(cast, role, started_on=JAN, answers=[("worker", 6, "yes", None)])
    # left on 1 May: after the 3-month date (15 April), before the 6-month date (15 July)
    place(cast, role, started_on=JAN, answers=[("employer", 6, "left", datetime.date(2026, 5, 1))])
    place(cast, role, started_on=JAN)  # nobody answered yet
    row = _all()
    assert row.placements == 3
    assert (row.eligible[3], row.retained[3], row.left[3], row.unknown(3)) == (3, 2, 0, 1)
    assert (row.eligible[6], row.retained[6], row.left[6], row.unknown(6)) == (3, 1, 1, 1)
    assert (row.eligible[12], row.retained[12], row.left[12]) == (0, 0, 0)


def test_a_placement_counts_only_once_n_months_have_passed(cast, role):
    """No survivorship bias: a recent placement that is still there is not a 6-month success."""
    recent = TODAY - datetime.timedelta(days=100)  # about 3.3 months ago
    place(cast, role, started_on=recent, answers=[("worker", 3, "yes", None)])
    row = _all()
    assert (row.eligible[3], row.retained[3]) == (1, 1)
    assert (row.eligible[6], row.retained[6]) == (0, 0)
    # exactly N months ago counts; one day less does not
    place(cast, role, started_on=datetime.date(2026, 5, 26), answers=[("worker", 6, "yes", None)])
    place(cast, role, started_on=datetime.date(2026, 5, 27), answers=[("worker", 6, "yes", None)])
    row = _all()
    assert (row.eligible[6], row.retained[6]) == (1, 1)


def test_left_wins_over_a_contradicting_still_there(cast, role):
    left_on = datetime.date(2026, 3, 1)  # before the 3-month date
    place(
        cast,
        role,
        started_on=JAN,
        answers=[("worker", 6, "yes", None), ("employer", 3, "left", left_on)],
    )
    row = _all()
    assert (row.retained[3], row.left[3], row.retained[6], row.left[6]) == (0, 1, 0, 1)


def test_left_without_a_date_counts_from_the_follow_up_that_said_so(cast, role):
    place(
        cast,
        role,
        started_on=JAN,
        answers=[("worker", 1, "yes", None), ("worker", 6, "left", None)],
    )
    row = _all()
    # the 6-month answer says "left" with no date: left by 6 months, unknown at 3 months
    assert (row.retained[3], row.left[3]) == (0, 0)
    assert (row.retained[6], row.left[6]) == (0, 1)


def test_one_month_answer_says_nothing_about_three_months(cast, role):
    place(cast, role, started_on=JAN, answers=[("worker", 1, "yes", None)])
    row = _all()
    assert (row.eligible[3], row.retained[3], row.left[3]) == (1, 0, 0)


def test_unknown_answers_are_not_outcomes(cast, role):
    place(cast, role, started_on=JAN, answers=[("worker", 6, "unknown", None)])
    assert (_all().retained[6], _all().left[6]) == (0, 0)


def test_groups_by_fit_band_factor_status_and_delivery(cast, role):
    place(
        cast,
        role,
        started_on=JAN,
        score=90,
        statuses={"values": "aligned"},
        delivery="group",
        answers=[("worker", 6, "yes", None)],
    )
    place(
        cast,
        role,
        started_on=JAN,
        score=60,
        statuses={"values": "stretch"},
        answers=[("worker", 3, "left", datetime.date(2026, 2, 1))],
    )
    place(
        cast,
        role,
        started_on=JAN,
        score=None,
        statuses={"values": "not_comparable"},
        delivery="self_serve",
    )
    groups = retention(f=DashboardFilter(), today=TODAY)
    assert groups["band"]["high"].retained[6] == 1
    assert groups["band"]["middle"].left[3] == 1
    assert groups["band"]["none"].placements == 1
    assert "low" not in groups["band"]
    assert groups["factor:values"]["aligned"].retained[6] == 1
    assert groups["factor:values"]["stretch"].left[6] == 1
    assert groups["factor:values"]["not_comparable"].placements == 1
    assert groups["factor:culture"]["missing"].placements == 3
    assert groups["delivery"]["group"].retained[3] == 1
    assert groups["delivery"]["one_to_one"].left[3] == 1
    assert groups["delivery"]["self_serve"].placements == 1


def test_filters_office_practitioner_and_period(cast, role):
    place(cast, role, started_on=JAN, answers=[("worker", 6, "yes", None)])
    from tests.factories import SeekerFactory

    other = SeekerFactory(practitioner=cast.practitioner2, office=cast.practitioner2.office)
    place(cast, role, started_on=datetime.date(2025, 6, 1), seeker=other)
    assert _all().placements == 2
    assert _all(DashboardFilter(office_id=cast.practitioner.office_id)).placements == 1
    assert _all(DashboardFilter(practitioner_id=cast.practitioner2.pk)).placements == 1
    period = DashboardFilter(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31))
    assert _all(period).placements == 1
    assert _all(DashboardFilter(end=datetime.date(2025, 12, 31))).eligible[12] == 1

"""Follow-ups in a real browser: a worker answers through the emailed link without signing
in (JavaScript off), an employer's 3-month form at 320 px, and a practitioner records one
from a call. axe checks every page on the way."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from outcomes.models import FollowUp, FollowUpParty, FollowUpSource
from outcomes.services import follow_up_token
from tests.factories import PASSWORD
from tests.outcomes.conftest import make_placement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def follow_ups(cast):
    placement = make_placement(cast, started_on=date.today() - timedelta(days=100))
    due = date.today() - timedelta(days=5)
    return {
        (party, month): FollowUp.objects.create(
            placement=placement, party=party, month=month, due_on=due
        )
        for party in FollowUpParty.values
        for month in (1, 3)
    }


def _patient_goto(visitor, path: str) -> None:
    """The first page a fresh browser opens can be slow on a busy machine."""
    visitor.page.goto(visitor.url(path), timeout=90_000)
    visitor.check_accessibility()


@pytest.mark.parametrize("visitor", [False], indirect=True)
def test_a_worker_answers_through_the_link_without_javascript(cast, follow_ups, visitor):
    follow_up = follow_ups[(FollowUpParty.WORKER, 1)]
    token = follow_up_token(follow_up=follow_up, user=cast.seeker.user)
    _patient_goto(visitor, f"/follow-up/{token}/")
    page = visitor.page
    page.get_by_role("button", name="Send my answers").click()  # nothing chosen: errors
    page.wait_for_load_state()
    visitor.check_accessibility()
    assert "Please fix the following" in page.content()
    page.locator("#id_still_there_0").check()
    page.get_by_label("Hours a week now").fill("32")
    page.locator("fieldset#id_sat_values").get_by_label("4").check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    assert "Your answers were saved" in page.content()
    follow_up.refresh_from_db()
    assert follow_up.still_there == "yes" and follow_up.source == FollowUpSource.ONLINE_LINK
    visitor.goto(f"/follow-up/{token}/")  # used once: refused, politely
    assert "already been answered" in page.content()


def test_the_three_month_form_fits_a_phone(cast, follow_ups, phone_visitor):
    follow_up = follow_ups[(FollowUpParty.EMPLOYER, 3)]
    token = follow_up_token(follow_up=follow_up, user=cast.employer)
    _patient_goto(phone_visitor, f"/follow-up/{token}/")
    page = phone_visitor.page
    assert "Beliefs about work, again" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


def test_a_practitioner_records_a_follow_up_from_a_call(cast, follow_ups, visitor):
    page = visitor.page
    page.goto(visitor.url("/accounts/login/"), timeout=90_000)
    visitor.sign_in(cast.practitioner.email, PASSWORD)
    visitor.goto("/caseload/follow-ups/")
    assert "4 follow-ups due" in page.content()
    page.get_by_role("link", name=re.compile(r"^Record\W+Harbour Café, 1 month")).click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    page.get_by_label("Phone call").check()
    page.get_by_label("Left", exact=True).check()
    page.get_by_label("If they left: who decided?").select_option("worker")
    page.locator("fieldset#id_pushed_apart").get_by_label("Pay & benefits").check()
    page.get_by_role("button", name="Record the follow-up").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    assert "Follow-up recorded." in page.content() and "3 follow-ups due" in page.content()
    answered = FollowUp.objects.get(pk=follow_ups[(FollowUpParty.EMPLOYER, 1)].pk)
    assert answered.source == FollowUpSource.PHONE and answered.recorded_by == cast.practitioner

"""An admin reads the program dashboard and the audit log in a browser: filters, CSV
links, a phone 320 px wide — with no axe violations."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from employers.models import JobRole
from outcomes.models import FollowUp
from practitioners.models import Placement
from tests.factories import PASSWORD, SeekerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _placements(cast, count=6):
    role = JobRole.objects.create(
        organisation=cast.organisation,
        title="Line cook",
        hours_per_week=30,
        location="Halifax",
        region="halifax",
        pay_min=Decimal("17.00"),
        pay_max=Decimal("19.00"),
    )
    started = datetime.date.today() - datetime.timedelta(days=250)
    for n in range(count):
        seeker = SeekerFactory(practitioner=cast.practitioner, office=cast.practitioner.office)
        placement = Placement.objects.create(
            seeker=seeker,
            organisation=cast.organisation,
            role=role,
            started_on=started,
            hours_per_week=Decimal("30"),
            wage=Decimal("18.00"),
            wage_period="hour",
            fit_snapshot={"score": 80, "factors": {"values": {"status": "aligned"}}},
            fit_score=80 if n % 2 else 55,
            delivery_method="one_to_one",
            recorded_by=cast.practitioner,
        )
        FollowUp.objects.create(
            placement=placement,
            party="worker",
            month=6,
            due_on=started + datetime.timedelta(days=182),
            answered_at=datetime.datetime.now(datetime.UTC),
            source="phone",
            still_there="yes",
        )


def _sign_in(visitor, user):
    """The first page of a fresh live server can be slow on a busy machine (longer than the
    harness's default timeout): open one with more patience, then sign in as usual."""
    visitor.page.goto(visitor.url("/accounts/login/"), timeout=90_000)
    visitor.sign_in(user.email, PASSWORD)


def test_admin_reads_and_filters_the_dashboard(cast, visitor):
    _placements(cast)
    _sign_in(visitor, cast.admin)
    visitor.goto("/outcomes/")
    main = visitor.page.locator("main")
    assert "From sign-up to still in the job" in main.inner_text()
    assert visitor.page.locator("svg[role=img]").count() >= 7
    visitor.page.get_by_label("Office").select_option(label=cast.practitioner.office.name)
    visitor.page.get_by_role("button", name="Show", exact=True).click()
    visitor.page.wait_for_load_state()
    assert f"office={cast.practitioner.office_id}" in visitor.page.url
    visitor.check_accessibility()
    link = visitor.page.get_by_role(
        "link", name="Download “Still there, by overall fit at hire” as CSV"
    )
    assert f"office={cast.practitioner.office_id}" in link.get_attribute("href")


def test_admin_reads_the_audit_log(cast, visitor):
    client = cast.client_for(cast.practitioner)
    client.get(f"/caseload/seekers/{cast.seeker.pk}/")
    _sign_in(visitor, cast.admin)
    visitor.goto("/staff/audit/")
    assert "record.view" in visitor.page.locator("main").inner_text()
    visitor.page.get_by_label("What").select_option("seeker")
    visitor.page.get_by_role("button", name="Show events").click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()
    assert "p1@example.org" in visitor.page.locator("main").inner_text()


@pytest.mark.parametrize("path", ["/outcomes/", "/staff/audit/"])
def test_dashboard_and_audit_log_on_a_phone(cast, phone_visitor, path):
    _placements(cast)
    _sign_in(phone_visitor, cast.admin)
    phone_visitor.goto(path)
    width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320

"""The employer journey in a real browser, on the demo data, signed in as
employer@example.org (Harbourview Café): mindset check, the six offer activities, the
profile and the beyond-pay suggestions, adopting one, a role with an override, and a
posting whose checker reacts to what is typed. axe checks every page on the way.
Then the activities without JavaScript, and the pages at 320 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_seed
from employers.models import JobPosting, JobRole, OfferAnswer, Organisation, RoleOfferOverride
from factors.models import Item
from factors.scales import FactorKey
from factors.selectors import current_version

pytestmark = pytest.mark.django_db(transaction=True)
EMPLOYER = "employer@example.org"


@pytest.fixture
def demo(transactional_db):
    demo_seed(extra_seekers=0)


def sign_in(visitor) -> None:
    """The first page a fresh browser opens can take over 15 s on a busy machine (the
    harness's default timeout): open one with more patience, then sign in as usual."""
    visitor.page.goto(visitor.url("/accounts/login/"), timeout=90_000)
    visitor.sign_in(EMPLOYER, DEMO_PASSWORD)


def answer_activity(visitor, key: str, *, pay: bool) -> None:
    """Offer about a third of what a factor covers (all of it for pay); need "Important"."""
    visitor.goto(f"/business/activities/{key}/")
    page = visitor.page
    fieldsets = page.locator("fieldset.offer-item")
    autosave_seen = False
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        is_offer = fieldset.locator("input[type=radio]").count() == 3
        value = "2" if (pay or index % 3 == 0 or not is_offer) else "0"
        radio = fieldset.locator(f"input[type=radio][value='{value}']")
        if radio.is_checked():
            continue  # answered in the demo already
        radio.check()
        if visitor.javascript and not autosave_seen:
            # htmx saves the item at once and says so in its status line.
            expect(fieldset.locator(".autosave-status")).to_contain_text("Saved at")
            autosave_seen = True
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    visitor.check_accessibility()


def test_employer_journey(demo, visitor):
    page = visitor.page
    sign_in(visitor)
    expect(page.locator("h1")).to_have_text("Harbourview Café")

    # Mindset check at intake.
    page.get_by_role("link", name="Start the mindset check").click()
    visitor.check_accessibility()
    for fieldset in page.locator("fieldset.offer-item").all():
        fieldset.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Your answers are saved with today's date.")).to_be_visible()
    visitor.check_accessibility()

    # The six offer activities, autosaving as they go.
    for key in FactorKey.values:
        answer_activity(visitor, key, pay=key == FactorKey.PAY_BENEFITS)
    assert page.url.endswith("/business/offer/")

    # The profile: the chart, strengths and thin spots; the offer leans on pay.
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.get_by_role("heading", name="Thin spots")).to_be_visible()
    expect(page.get_by_role("heading", name="Your offer leans on pay")).to_be_visible()

    # The builder's suggestions; adopt the first one.
    page.get_by_role("link", name="See ideas beyond pay").click()
    visitor.check_accessibility()
    first = page.locator(".suggestions > li").first
    idea = first.locator("h3").inner_text()
    first.get_by_role("button", name=re.compile("^We offer this")).click()
    expect(page.get_by_text(f"Added to your offer: {idea}")).to_be_visible()
    visitor.check_accessibility()
    assert OfferAnswer.objects.filter(
        organisation__name="Harbourview Café", item__employer_text_en=idea, level=2
    ).exists()

    # A role, with an override: this role cannot be done from home.
    page.get_by_role("navigation", name="Your business").get_by_role("link", name="Roles").click()
    visitor.check_accessibility()
    page.get_by_role("link", name="Add a role").click()
    visitor.check_accessibility()
    page.get_by_label("Job title").fill("Barista")
    page.get_by_label("Hours a week").fill("24")
    page.get_by_label("Where the work is").fill("Lower Water Street")
    page.get_by_label("Lowest pay").fill("16.50")
    page.get_by_label("Highest pay").fill("18")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.locator("h1")).to_have_text("Barista")
    visitor.check_accessibility()
    page.get_by_role("link", name="Change what this role offers and needs").click()
    visitor.check_accessibility()
    page.locator("summary", has_text="Work arrangements").click()
    page.get_by_label("We allow remote or hybrid work").select_option(label="Not offered")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Where this role differs")).to_be_visible()
    visitor.check_accessibility()
    role = JobRole.objects.get(title="Barista")
    assert RoleOfferOverride.objects.filter(role=role, level=0).count() == 1

    # The posting: a generated draft that covers every factor, then edited.
    page.get_by_role("link", name="Write the job posting").click()
    visitor.check_accessibility()
    text = page.get_by_label("Your job posting")
    expect(text).to_have_value(re.compile("^Barista at Harbourview Café"))
    expect(page.locator("#posting-check")).to_contain_text(
        "Your text says something about all six factors."
    )
    expect(page.get_by_role("button", name="Copy the text")).to_be_visible()  # JS on
    text.fill("Join our competitive kitchen crew. We pay $18 an hour and train you.")
    checker = page.locator("#posting-check")
    expect(checker.locator(".coded-words--masculine")).to_contain_text("competitive")
    expect(checker.locator(".check-missing")).to_contain_text("Culture")
    expect(page.locator("#check-summary")).to_contain_text("1 masculine-coded word.")
    visitor.check_accessibility()
    text.fill("Join our kitchen crew. We pay $18 an hour, train you and respect you.")
    expect(checker.locator(".coded-words--masculine")).to_have_count(0)
    expect(checker.locator(".check-missing")).not_to_contain_text("Culture")
    page.get_by_role("button", name="Save the posting").click()
    expect(page.get_by_text("Your posting is saved.")).to_be_visible()
    visitor.check_accessibility()
    assert JobPosting.objects.get(role=role).text.startswith("Join our kitchen crew.")

    # The role page is honest about candidates.
    visitor.goto(f"/business/roles/{role.pk}/")
    expect(
        page.get_by_text("Candidates will appear here once matching is available")
    ).to_be_visible()


@pytest.mark.parametrize("visitor", [False], indirect=True, ids=["no-javascript"])
def test_activities_and_checker_work_without_javascript(demo, visitor):
    page = visitor.page
    sign_in(visitor)
    for key in FactorKey.values:
        answer_activity(visitor, key, pay=key == FactorKey.PAY_BENEFITS)
    assert page.url.endswith("/business/offer/")
    every_item = Item.objects.filter(factor__version=current_version(), retired=False).count()
    assert OfferAnswer.objects.filter(organisation__name="Harbourview Café").count() == every_item
    expect(page.get_by_role("heading", name="Your offer leans on pay")).to_be_visible()

    role = JobRole.objects.create(
        organisation=Organisation.objects.get(name="Harbourview Café"),
        title="Dishwasher",
        hours_per_week=20,
        location="Halifax",
        region="halifax",
        pay_min="16",
        pay_max="16",
    )
    visitor.goto(f"/business/roles/{role.pk}/posting/")
    expect(page.get_by_role("button", name="Copy the text")).to_be_hidden()  # needs JS
    page.get_by_label("Your job posting").fill("A dominant leader for our kitchen.")
    page.get_by_role("button", name="Check my text without saving").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    expect(page.locator(".coded-words--masculine")).to_contain_text("dominant")
    expect(page.get_by_label("Your job posting")).to_have_value(
        "A dominant leader for our kitchen."
    )
    assert not JobPosting.objects.filter(role=role).exists()


def test_employer_pages_fit_a_320px_phone(demo, phone_visitor):
    sign_in(phone_visitor)
    # The demo's published roles belong to other businesses: make one here to look at.
    role = JobRole.objects.create(
        organisation=Organisation.objects.get(name="Harbourview Café"),
        title="Server",
        hours_per_week=30,
        location="Halifax",
        region="halifax",
        pay_min="15.70",
        pay_max="17",
    )
    for path in (
        "/business/",
        "/business/activities/work_arrangements/",
        "/business/offer/",
        "/business/offer/builder/",
        "/business/roles/",
        f"/business/roles/{role.pk}/",
        f"/business/roles/{role.pk}/offer/",
        f"/business/roles/{role.pk}/posting/",
        "/business/mindset/",
        "/business/colleagues/",
    ):
        phone_visitor.goto(path)
        width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, path

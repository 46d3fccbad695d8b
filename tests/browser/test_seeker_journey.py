"""The job seeker's journey in a real browser: with JavaScript (answers save as you go), without
it (plain form posts), and on a 320px phone. axe checks every page the journey visits."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from factors.models import Item
from factors.scales import FactorKey
from seekers import services
from seekers.models import Answer, ConsentKind, ProfileSnapshot, Reflection
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NEEDS_CHOICE = "Important"
OFFERS_CHOICE = "Well"


def _heading(visitor) -> str:
    return visitor.page.locator("h1").inner_text()


def _click(visitor, name: str | re.Pattern[str]) -> None:
    visitor.page.get_by_role("button", name=name).click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()


def _answer_activity_live(visitor, key: str) -> None:
    """Choose an answer in every fieldset and wait for each "Saved": no submit button pressed."""
    page = visitor.page
    visitor.goto(f"/me/activities/{key}/")
    for fieldset in page.locator("fieldset.scale").all():
        is_offer = fieldset.locator("textarea").count() > 0
        fieldset.get_by_label(OFFERS_CHOICE if is_offer else NEEDS_CHOICE, exact=True).check()
        expect(fieldset.locator(".save-status")).to_contain_text("Saved")
    first_offer = page.locator("fieldset.scale:has(textarea)").first
    if first_offer.count():
        first_offer.locator("textarea").fill("Ran the till at the farmers' market")
        first_offer.locator("textarea").blur()
        expect(first_offer.locator(".save-status")).to_contain_text("Saved")
    page.locator("#id_reflection").fill(f"A good day at work, about {key}.")
    page.locator("#id_reflection").blur()
    expect(page.locator("#status-reflection")).to_contain_text("Saved")
    visitor.check_accessibility()


def test_whole_journey_with_javascript(cast, visitor, tmp_path):
    seeker = cast.seeker
    page = visitor.page
    visitor.sign_in(seeker.user.email, PASSWORD)

    # Welcome and consent.
    assert "Welcome" in _heading(visitor)
    expect(page.get_by_role("heading", name="What we keep")).to_be_visible()
    page.get_by_label(re.compile("I agree that")).check()
    page.get_by_label(re.compile("Share my answers and profile")).check()
    _click(visitor, "Save my choices and start")

    # Mindset check: sending it empty lists what is missing, then the real answers.
    assert _heading(visitor) == "Mindset check"
    _click(visitor, "Save my answers")
    expect(page.get_by_role("alert")).to_contain_text("Choose how much you agree.")
    for fieldset in page.locator("fieldset.scale").all():
        fieldset.get_by_label("Agree", exact=True).check()
    page.locator("fieldset.scale").first.get_by_role("textbox").fill("Rent is due on the first.")
    _click(visitor, "Save my answers")
    expect(page.get_by_text("Your mindset check is saved.")).to_be_visible()

    # The six activities, saved as the seeker goes.
    visitor.goto("/me/activities/values/")
    expect(page.get_by_text("Your answers save as soon as you choose them.")).to_be_visible()
    expect(page.get_by_text("Press “Save” at the end of the page")).to_be_hidden()
    for key in FactorKey.values:
        _answer_activity_live(visitor, key)
    asked = Item.objects.filter(factor__version__status="published", retired=False).count()
    assert Answer.objects.filter(seeker=seeker).count() == asked
    assert Reflection.objects.filter(seeker=seeker).count() == 6
    visitor.goto("/me/")
    expect(page.get_by_text("You have finished 6 of the six activities.")).to_be_visible()

    # The profile: chart, text table, talking points.
    visitor.goto("/me/profile/")
    expect(page.locator("svg[role=img]")).to_be_visible()
    expect(page.locator(".tw-chart__table tbody tr")).to_have_count(6)
    points = page.locator("ol.talking-points > li").count()
    assert 3 <= points <= 5
    expect(page.locator("ol.talking-points")).to_contain_text("Ran the till at the farmers")

    # Change an answer and see it on the profile.
    visitor.goto("/me/activities/pay_benefits/")
    sick_days = page.locator("fieldset.scale", has_text="Paid sick days")
    sick_days.get_by_label("Must have", exact=True).check()
    expect(sick_days.locator(".save-status")).to_contain_text("Saved")
    sick_days.get_by_label("Not having this would push me away").check()
    expect(sick_days.locator(".save-status")).to_contain_text("Saved")
    visitor.goto("/me/profile/")
    must = page.locator("section", has=page.get_by_role("heading", name="My must-haves"))
    expect(must).to_contain_text("Paid sick days")
    away = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Deal-breakers"))
    )
    expect(away).to_contain_text("Not having: Paid sick days")

    # Retake: history keeps the profile; a later change shows on the profile.
    _click(visitor, "Save this profile and start again")
    expect(page.get_by_text(re.compile("is saved in your history"))).to_be_visible()
    assert ProfileSnapshot.objects.filter(seeker=seeker).count() == 1
    visitor.goto("/me/profile/history/")
    page.get_by_role("link", name=re.compile("^Profile of")).click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    expect(page.locator("main")).to_contain_text("Paid sick days")
    visitor.goto("/me/activities/pay_benefits/")
    sick_days = page.locator("fieldset.scale", has_text="Paid sick days")
    sick_days.get_by_label("Not having this would push me away").uncheck()
    expect(sick_days.locator(".save-status")).to_contain_text("Saved")
    visitor.goto("/me/profile/")
    expect(page.get_by_role("heading", name=re.compile("What changed since"))).to_be_visible()
    expect(page.get_by_text("No longer a deal-breaker: “Paid sick days”.")).to_be_visible()

    # A second mindset check: the profile compares with the first.
    visitor.goto("/me/mindset/")
    for fieldset in page.locator("fieldset.scale").all():
        fieldset.get_by_label("Disagree", exact=True).check()
    _click(visitor, "Save my answers")
    visitor.goto("/me/profile/")
    expect(page.get_by_role("columnheader", name="First time")).to_be_visible()

    # My data: the download holds everything.
    visitor.goto("/me/data/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download as JSON")).click()
    target = Path(tmp_path) / "data.json"
    download.value.save_as(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["account"]["email"] == seeker.user.email
    assert len(data["answers"]) == asked and len(data["mindset_checks"]) == 2
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download as CSV")).click()
    assert download.value.suggested_filename.endswith(".csv")


def test_an_invalid_autosave_says_why(cast, visitor):
    services.consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    visitor.sign_in(cast.seeker.user.email, PASSWORD)
    visitor.goto("/me/activities/values/")
    fieldset = visitor.page.locator("fieldset.scale").first
    fieldset.get_by_label("Not having this would push me away").check()
    expect(fieldset.locator(".save-status")).to_contain_text("Choose how much it matters, too.")
    visitor.check_accessibility()
    fieldset.get_by_label("Not important", exact=True).check()
    expect(fieldset.locator(".save-status")).to_contain_text("cannot also be “Not important”")
    fieldset.get_by_label("Must have", exact=True).check()
    expect(fieldset.locator(".save-status")).to_contain_text("Saved")
    answer = Answer.objects.get(seeker=cast.seeker)
    assert answer.level == 3 and answer.dealbreaker
    # The full form post shows the same rule in its error summary, with JavaScript on too.
    fieldset.get_by_label("Not important", exact=True).check()
    _click(visitor, "Save and go back to my activities")
    expect(visitor.page.get_by_role("alert")).to_contain_text("cannot also be “Not important”")
    answer.refresh_from_db()
    assert answer.level == 3


@pytest.mark.parametrize("visitor", [False], indirect=True, ids=["no-javascript"])
def test_activities_without_javascript(cast, visitor):
    seeker = cast.seeker2
    services.consent_give(seeker=seeker, kind=ConsentKind.DATA_USE)
    page = visitor.page
    visitor.sign_in(seeker.user.email, PASSWORD)
    visitor.goto("/me/activities/values/")
    expect(page.get_by_text("Press “Save” at the end of the page")).to_be_visible()
    expect(page.get_by_text("Your answers save as soon as you choose them.")).to_be_hidden()

    # A mistake first: the error summary lists it, links to it, and nothing is saved.
    first = page.locator("fieldset.scale").first
    first.get_by_label("Not important", exact=True).check()
    first.get_by_label("Not having this would push me away").check()
    page.locator("fieldset.scale").nth(1).get_by_label("Must have", exact=True).check()
    _click(visitor, "Save and go to the next activity")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem. Nothing was saved.")
    assert not Answer.objects.filter(seeker=seeker).exists()
    link = summary.get_by_role("link").first
    assert link.get_attribute("href").startswith("#id_item-")
    # What was chosen is still chosen after the error.
    expect(
        page.locator("fieldset.scale").nth(1).get_by_label("Must have", exact=True)
    ).to_be_checked()
    first.get_by_label("Not having this would push me away").uncheck()

    # Then every activity, one after the other, with the plain form.
    for index, key in enumerate(FactorKey.values):
        assert page.url.endswith(f"/me/activities/{key}/"), page.url
        for fieldset in page.locator("fieldset.scale").all():
            is_offer = fieldset.locator("textarea").count() > 0
            fieldset.get_by_label(OFFERS_CHOICE if is_offer else NEEDS_CHOICE, exact=True).check()
        page.locator("#id_reflection").fill("Written without JavaScript.")
        _click(visitor, "Save and go to the next activity")
        saved = Answer.objects.filter(seeker=seeker).values("item__factor__key").distinct()
        assert saved.count() == index + 1
    assert page.url.endswith("/me/profile/")
    expect(page.locator("ol.talking-points > li")).to_have_count(5)
    assert Reflection.objects.filter(seeker=seeker, text="Written without JavaScript.").count() == 6


def test_phone_width_320px(cast, phone_visitor):
    seeker = cast.seeker
    services.consent_give(seeker=seeker, kind=ConsentKind.DATA_USE)
    services.consent_grant_employer(seeker=seeker, organisation=cast.organisation, source="seeker")
    items = Item.objects.filter(factor__version__status="published", factor__key="values")
    Answer.objects.bulk_create(Answer(seeker=seeker, item=i, level=3) for i in items)
    phone_visitor.sign_in(seeker.user.email, PASSWORD)
    for path in [
        "/me/",
        "/me/activities/skills_competencies/",
        "/me/profile/",
        "/me/mindset/",
        "/me/data/",
        "/me/welcome/",
    ]:
        phone_visitor.goto(path)
        width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, path


def test_seeker_asks_for_erasure_and_practitioner_confirms(cast, visitor):
    seeker = cast.seeker
    services.consent_give(seeker=seeker, kind=ConsentKind.DATA_USE)
    page = visitor.page
    visitor.sign_in(seeker.user.email, PASSWORD)
    visitor.goto("/me/data/")
    _click(visitor, "Ask to erase my data")
    expect(page.get_by_role("alert")).to_contain_text("Tick the box to confirm.")
    page.get_by_label(re.compile("Yes, I understand")).check()
    _click(visitor, "Ask to erase my data")
    expect(
        page.get_by_text(re.compile("A practitioner will confirm it soon")).first
    ).to_be_visible()
    _click(visitor, "Sign out")

    visitor.sign_in(cast.practitioner.email, PASSWORD)
    page.get_by_role("link", name="Erasure requests").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    page.get_by_label(re.compile("I checked that")).check()
    _click(visitor, re.compile("^Erase "))
    expect(page.get_by_text("The person's records are anonymised.")).to_be_visible()
    expect(page.get_by_text("No requests are waiting.")).to_be_visible()
    seeker.user.refresh_from_db()
    assert not seeker.user.is_active

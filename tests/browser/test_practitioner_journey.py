"""The practitioner's journey on the demo data, in a real browser, with axe-core checking
every page visited: the queue with both client types, a seeker's record, a note and an
action-plan step, a referral that practitioner2 accepts (a second visitor, in French), and
a group session with attendance and the anonymised peers' view. Plus the queue at 320 px
and the note form with JavaScript off."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, demo_seed
from practitioners.models import Note, Referral, ReferralStatus, SessionAttendance, Step
from seekers.models import Seeker
from tests.browser.conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    demo_seed(extra_seekers=4)


def _submit(visitor: Visitor, name) -> None:
    visitor.page.get_by_role("button", name=name).click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()


def test_practitioner_journey(demo, visitor, browser, live_server):
    page = visitor.page
    # The first page a fresh browser opens can take over 15 s on a busy machine.
    page.goto(visitor.url("/accounts/login/"), timeout=90_000)
    visitor.sign_in("practitioner@example.org", DEMO_PASSWORD)

    # The queue holds both client types.
    visitor.goto("/caseload/")
    table = page.locator("table.queue-table")
    assert table.get_by_role("link", name="Casey Fraser").is_visible()
    assert table.get_by_role("link", name="Harbourview Café").is_visible()
    assert table.get_by_text("Job seeker").first.is_visible()
    assert table.get_by_text("Employer", exact=True).first.is_visible()
    assert "1 referral waiting for your answer" in page.content()
    visitor.goto("/caseload/?kind=employer&sort=due")
    assert "Casey Fraser" not in page.locator("main").inner_text()

    # Open a seeker and add a note.
    visitor.goto("/caseload/")
    page.get_by_role("link", name="Casey Fraser").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    assert page.locator("h1").inner_text() == "Casey Fraser"
    page.get_by_label("Phone").check()
    page.get_by_label("Length in minutes").fill("25")
    page.get_by_label(re.compile(r"Note\*")).fill(
        "Talked about the bakery opening on Quinpool Road."
    )
    _submit(visitor, "Save the note")
    assert "The note is saved." in page.content()
    assert page.get_by_text("Talked about the bakery opening").is_visible()

    # Add an action-plan step to the existing goal, then mark another step done (htmx).
    goal = page.locator(".goal", has_text="Find steady daytime work")
    goal.get_by_text("Add a step").click()
    goal.get_by_label("Step").fill("Visit the bakery with a printed résumé")
    goal.get_by_label("Who does it").select_option("client")
    goal.get_by_label("Due date").fill(timezone.localdate().isoformat())
    goal.get_by_role("button", name="Add the step").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    assert page.get_by_text("Visit the bakery with a printed résumé", exact=True).is_visible()
    toggle = page.get_by_role("button", name=re.compile(r"^Mark as done\W+Call two employers"))
    toggle.click()
    page.get_by_role(
        "button", name=re.compile(r"^Mark as not done\W+Call two employers")
    ).wait_for()
    visitor.check_accessibility()
    assert Step.objects.get(text__startswith="Call two employers").done_at is not None

    # Refer the seeker to practitioner2.
    page.get_by_role("link", name="Refer to a colleague").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    page.get_by_label("Refer to").select_option(
        label="Louise Thibodeau — Nova Scotia Works — Sydney"
    )
    page.get_by_label("Reason").fill("Casey is moving to Sydney and wants work in Cape Breton.")
    _submit(visitor, "Save")
    assert "Referral sent to Louise Thibodeau." in page.content()
    assert "Waiting for an answer" in page.content()

    # practitioner2 (French) accepts, in a second browser.
    context = browser.new_context(locale="fr-CA")
    second = Visitor(context.new_page(), live_server.url, "practitioner2")
    second.page.set_default_timeout(15_000)
    second.sign_in("practitioner2@example.org", DEMO_PASSWORD)
    assert second.page.locator("html").get_attribute("lang") == "fr"
    waiting = second.page.locator(".referrals-waiting")
    waiting.get_by_role("link", name="Casey Fraser").click()
    second.page.wait_for_load_state()
    second.check_accessibility()
    _submit(second, re.compile("^(Accept the referral|Accepter l\u2019orientation)$"))
    assert second.page.locator("h1").inner_text() == "Casey Fraser"
    casey = Seeker.objects.get(user__email="seeker@example.org")
    assert casey.practitioner.email == "practitioner2@example.org"
    assert Referral.objects.get(seeker=casey).status == ReferralStatus.ACCEPTED
    context.close()

    # Run a group session: schedule, invite, attendance, notes, the peers' view.
    visitor.goto("/caseload/sessions/")
    page.get_by_role("link", name="Schedule a session").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    page.get_by_label("Title").fill("What keeps staff beyond pay")
    page.get_by_label("Topic factor").select_option("pay_benefits")
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Start time").fill("09:00")
    page.get_by_label("Place").fill("Halifax office, room 1")
    page.get_by_label("Online link").fill("https://meet.example.org/beyond-pay")
    _submit(visitor, "Save the session")
    page.get_by_role("link", name="Invite businesses").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    for name in (
        "Harbourview Café",
        "Bluenose Care Home",
        "South Shore Seafoods",
        "Valley Electric Ltd.",
    ):
        page.get_by_label(name).check()
    _submit(visitor, "Invite them")
    attendance = page.locator(".attendance-form")
    for fieldset in attendance.locator("fieldset").all():
        fieldset.get_by_label("Attended").check()
    _submit(visitor, "Save attendance")
    assert "4 of 4 invited businesses attended." in page.content()
    page.get_by_role("textbox", name="Session notes").fill(
        "Compared transit passes and schedule swaps."
    )
    _submit(visitor, "Save the notes")
    page.get_by_role("link", name="What peers offer (anonymous)").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    assert "Counts from the 4 businesses that attended" in page.content()
    assert "Harbourview Café" not in page.locator("main").inner_text()
    assert (
        SessionAttendance.objects.filter(
            status="attended", session__title__startswith="What keeps"
        ).count()
        == 4
    )

    # Attendance shows on the employer's record as "session N of M".
    visitor.goto("/caseload/")
    page.get_by_role("link", name="Harbourview Café").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    assert "Session 2 of 2" in page.content()


def test_queue_fits_a_320px_phone(demo, phone_visitor):
    phone_visitor.sign_in("practitioner@example.org", DEMO_PASSWORD)
    phone_visitor.goto("/caseload/")
    width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


@pytest.mark.parametrize("visitor", [False], indirect=True, ids=["no-javascript"])
def test_note_form_works_without_javascript(demo, visitor):
    visitor.sign_in("practitioner@example.org", DEMO_PASSWORD)
    seeker = Seeker.objects.get(user__email="seeker@example.org")
    visitor.goto(f"/caseload/seekers/{seeker.pk}/")
    page = visitor.page
    # An empty note: a clear error summary linked to the field, nothing saved.
    page.get_by_label("Email", exact=True).check()
    _submit(visitor, "Save the note")
    summary = page.locator("#error-summary")
    assert summary.is_visible() and "Note" in summary.inner_text()
    before = Note.objects.count()
    page.get_by_label("Email", exact=True).check()
    page.get_by_label(re.compile(r"Note\*")).fill("Sent the bus schedule for route 9.")
    _submit(visitor, "Save")
    assert Note.objects.count() == before + 1
    assert "Sent the bus schedule for route 9." in page.content()

"""The practitioner's journey on the demo data, in a real browser, with axe-core checking
every page visited: the queue with both client types, a seeker's record, a note and an
action-plan step, a referral that practitioner2 accepts (a second visitor, in French), and
a group session with attendance and the anonymised peers' view; a placement with its
workplace bargain (written, agreed, revisited) and assisted sessions with a business and
a job seeker. Plus the queue and
a record at 320 px (with axe) and the note form with JavaScript off."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, demo_seed
from employers.models import JobRole, Organisation, RoleStatus
from practitioners.models import (
    Bargain,
    BargainRevisit,
    Note,
    Placement,
    Referral,
    ReferralStatus,
    SessionAttendance,
    Step,
)
from seekers import services as seeker_services
from seekers.models import Answer, Seeker
from tests.browser.conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    demo_seed(extra_seekers=4)


def _sign_in(visitor: Visitor, email: str = "practitioner@example.org") -> None:
    """The first page a fresh browser opens can take over 15 s on a busy machine (the
    harness's default timeout): open one with more patience, then sign in as usual."""
    visitor.page.goto(visitor.url("/accounts/login/"), timeout=90_000)
    visitor.sign_in(email, DEMO_PASSWORD)


def _submit(visitor: Visitor, name) -> None:
    visitor.page.get_by_role("button", name=name).click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()


def test_practitioner_journey(demo, visitor, browser, live_server):
    page = visitor.page
    _sign_in(visitor)

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


def test_placement_bargain_and_assisted_session(demo, visitor):
    page = visitor.page
    _sign_in(visitor)
    casey = Seeker.objects.get(user__email="seeker@example.org")
    cafe = Organisation.objects.get(members__user__email="employer@example.org")
    role = (
        JobRole.objects.filter(status=RoleStatus.PUBLISHED, organisation__office=casey.office)
        .order_by("organisation__name", "pk")
        .first()
    )

    # Record a placement from the seeker's record.
    visitor.goto(f"/caseload/seekers/{casey.pk}/")
    page.get_by_role("link", name="Record a placement").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    page.get_by_label("Role").select_option(str(role.pk))
    page.get_by_label("Start date").fill(timezone.localdate().isoformat())
    page.get_by_label("Hours a week").fill("30")
    page.get_by_label("Wage in dollars").fill("19.25")
    page.get_by_label("per hour").check()
    _submit(visitor, "Record the placement")
    placement = Placement.objects.get(seeker=casey)
    assert "The placement is recorded." in page.content()
    page.get_by_text("Show the fit at hire, factor by factor").click()
    visitor.check_accessibility()

    # Write the bargain: first draft, edit one term, agreement, revisit.
    page.get_by_role("link", name="Write the workplace bargain").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    page.get_by_label("English").check()
    _submit(visitor, "Write the first draft")
    values = page.get_by_role("textbox", name="Values")
    values.fill(values.input_value() + "\nA check-in every second Friday.")
    _submit(visitor, "Save the terms")
    assert "A check-in every second Friday." in page.content()
    page.get_by_role("link", name="Record agreement").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    today = timezone.localdate().isoformat()
    page.get_by_label("The worker agreed on").fill(today)
    page.get_by_label("The employer agreed on").fill(today)
    page.get_by_label("Name of the person who agreed for the employer").fill("Sam Owner")
    _submit(visitor, "Save")
    assert Bargain.objects.get(placement=placement).is_agreed
    page.get_by_role("link", name="Revisit the bargain").click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    for group in page.locator("fieldset").all():
        group.get_by_label("Kept").check()
    _submit(visitor, "Save the revisit")
    assert BargainRevisit.objects.filter(bargain__placement=placement).count() == 1
    assert "The revisit is recorded." in page.content()

    # The placement shows on the employer's record too.
    visitor.goto(f"/caseload/employers/{role.organisation_id}/")
    assert page.locator("#placements").get_by_text("Casey Fraser").first.is_visible()

    # An assisted session with the café: the offer activity, filled in together.
    visitor.goto(f"/caseload/employers/{cafe.pk}/")
    page.locator("#assisted ~ ul").get_by_role("link").first.click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    for group in page.locator("fieldset.offer-item").all():
        group.get_by_role("radio").last.check()
    _submit(visitor, "Save and go back to the record")
    assert "marked as given with your help" in page.content()
    cafe.refresh_from_db()
    assert cafe.delivery_method == "one_to_one"


def test_assisted_session_with_a_job_seeker(demo, visitor):
    """A practitioner fills in a seeker's activity with them: the answers are marked as
    given with their help, on the record too, and the seeker is served one-to-one."""
    page = visitor.page
    casey = Seeker.objects.get(user__email="seeker@example.org")
    seeker_services.sharing_set(seeker=casey, share=True)  # the seeker turns sharing on
    _sign_in(visitor)
    visitor.goto(f"/caseload/seekers/{casey.pk}/")
    page.locator("#assisted ~ ul").get_by_role("link").first.click()
    page.wait_for_load_state()
    visitor.check_accessibility()
    asked = page.locator("fieldset.scale").count()
    for group in page.locator("fieldset.scale").all():
        group.get_by_role("radio").last.check()
    page.locator("#id_reflection").fill("We talked it through at the office.")
    _submit(visitor, "Save and go back to the record")
    assert "marked as given with your help" in page.content()
    assert page.locator(".assisted-mark").first.is_visible()
    casey.refresh_from_db()
    assert casey.delivery_method == "one_to_one"
    helped = Answer.objects.filter(seeker=casey, assisted_by__email="practitioner@example.org")
    assert asked and helped.count() == asked


def test_queue_and_record_fit_a_320px_phone(demo, phone_visitor):
    _sign_in(phone_visitor)
    phone_visitor.goto("/caseload/")  # goto runs axe on every page
    width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    seeker = Seeker.objects.get(user__email="seeker@example.org")
    phone_visitor.goto(f"/caseload/seekers/{seeker.pk}/")
    assert phone_visitor.page.evaluate("document.documentElement.scrollWidth") <= 320
    placement = Placement.objects.filter(seeker__practitioner__email="practitioner@example.org")
    phone_visitor.goto(f"/caseload/placements/{placement.first().pk}/")
    assert phone_visitor.page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("visitor", [False], indirect=True, ids=["no-javascript"])
def test_note_form_works_without_javascript(demo, visitor):
    _sign_in(visitor)
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

"""Matching in a real browser on the demo data, axe-core checking every page: the
practitioner's ranked pages (a role's seekers, toggling to the office, a fit map opened,
shortlist and introduce, the three-way view), the seeker's "roles that attract me" (an
invitation accepted, interest shown), the employer's anonymous candidates (the consented
seeker by name, an invitation sent). Then the seeker's page without JavaScript, and both
the seeker's and the employer's pages on a 320 px phone."""

from __future__ import annotations

import re

import pytest

from accounts.demo import DEMO_PASSWORD, demo_seed
from employers.models import JobRole
from matches.models import Pair, PairStatus
from seekers.models import EmployerConsent, Seeker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db):
    demo_seed(extra_seekers=12)


def _sign_in(visitor, email: str) -> None:
    visitor.page.goto(visitor.url("/accounts/login/"), timeout=90_000)
    visitor.sign_in(email, DEMO_PASSWORD)


def _click(visitor, locator) -> None:
    locator.click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()


def _fits_the_screen(visitor) -> None:
    width = visitor.page.evaluate("document.scrollingElement.scrollWidth")
    wide = visitor.page.evaluate(
        "[...document.querySelectorAll('main *')]"
        ".filter(e => e.getBoundingClientRect().right > 321).slice(0, 5)"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert width <= 320, f"{visitor.page.url} is {width}px wide: {wide}"


def test_matching_journey(demo, visitor, browser, live_server):
    page = visitor.page
    kayak = JobRole.objects.get(title="Kayak guide")

    # Practitioner: the role's seekers ranked, one fit map opened, then the office.
    _sign_in(visitor, "practitioner@example.org")
    visitor.goto("/matches/")
    _click(visitor, page.get_by_role("link", name="Kayak guide — Cabot Trail Outfitters"))
    assert "Job seekers ranked for Kayak guide" in page.locator("h1").inner_text()
    first = page.locator("ol.matches-ranked > li").first
    first.locator("summary").click()
    assert first.locator("table.fitmap-table").is_visible()
    visitor.check_accessibility()  # with a fit map open
    page.get_by_label("My office").check()
    _click(visitor, page.get_by_role("button", name="Show"))
    assert "scope=office" in page.url

    # Shortlist someone not paired yet, open the pair, introduce it.
    visitor.goto(f"/matches/roles/{kayak.pk}/")
    _click(visitor, page.get_by_role("button", name=re.compile("^Shortlist")).first)
    assert "are on your shortlist" in page.content()
    shortlisted = Pair.objects.filter(status=PairStatus.SHORTLISTED).order_by("-created_at")[0]
    _click(
        visitor,
        page.locator(f"#seeker-{shortlisted.seeker_id}").get_by_role(
            "link", name=re.compile("^Open the pair")
        ),
    )
    assert "Side by side" in page.content()
    _click(visitor, page.get_by_role("button", name=re.compile("^(Introduce|Ask the job seeker)")))
    assert "nothing is shared until they agree" in page.content()
    introduced = Pair.objects.get(pk=shortlisted.pk)
    assert introduced.status == PairStatus.INTRODUCED

    # The roles ranked for one of the caseload's seekers.
    visitor.goto(f"/matches/seekers/{introduced.seeker_id}/")
    assert "Roles ranked for" in page.locator("h1").inner_text()
    page.locator("ol.matches-ranked summary").first.click()
    visitor.check_accessibility()

    # Seeker: the café's invitation is waiting; accept it on the consent step.
    seeker_context = browser.new_context(locale="en-CA", reduced_motion="reduce")
    from tests.browser.conftest import Visitor

    seeker = Visitor(seeker_context.new_page(), live_server.url, "seeker")
    seeker.page.set_default_timeout(15_000)
    _sign_in(seeker, "seeker@example.org")
    seeker.goto("/me/roles/")
    assert "Cabot Trail Outfitters would like to connect with you about Kayak guide." in (
        seeker.page.content()
    )
    _click(seeker, seeker.page.get_by_role("link", name=re.compile("^Accept and choose")).first)
    assert "Share my profile with Cabot Trail Outfitters?" in seeker.page.content()
    _click(
        seeker, seeker.page.get_by_role("button", name="Yes, share my profile with this employer")
    )
    casey = Seeker.objects.get(user__email="seeker@example.org")
    assert EmployerConsent.objects.filter(seeker=casey, organisation=kayak.organisation).exists()
    # "I'm interested" on another role sends nothing.
    consents = EmployerConsent.objects.count()
    _click(seeker, seeker.page.get_by_role("button", name=re.compile("^I'm interested")).first)
    assert "Nothing has been sent" in seeker.page.content()
    assert EmployerConsent.objects.count() == consents
    seeker_context.close()

    # Employer: anonymous candidates, Casey by name now, an invitation to someone else.
    employer_context = browser.new_context(locale="en-CA", reduced_motion="reduce")
    employer = Visitor(employer_context.new_page(), live_server.url, "employer")
    employer.page.set_default_timeout(15_000)
    _sign_in(employer, "employer2@example.org")
    employer.goto("/business/candidates/")
    _click(employer, employer.page.get_by_role("link", name="Candidates for Kayak guide"))
    content = employer.page.locator("main").inner_text()
    assert "Casey Fraser" in content and "Candidate " in content
    rows = employer.page.locator("ol.matches-ranked > li")
    anonymous = rows.filter(has=employer.page.locator("summary", has_text="Candidate ")).first
    anonymous.locator("summary").click()
    employer.check_accessibility()
    _click(employer, anonymous.get_by_role("link", name=re.compile("^Open")))
    assert employer.page.locator("h1").inner_text().startswith("Candidate ")
    button = employer.page.get_by_role("button", name=re.compile("^Invite to connect"))
    if button.count():
        _click(employer, button)
        assert "Invitation sent" in employer.page.content()
    employer_context.close()


@pytest.mark.parametrize("visitor", [False], indirect=True)
def test_seeker_roles_without_javascript(demo, visitor):
    _sign_in(visitor, "seeker2@example.org")
    visitor.goto("/me/roles/")
    page = visitor.page
    # seeker2 reads French.
    assert "Postes classés pour vous" in page.content()
    _click(visitor, page.get_by_role("button", name=re.compile("^Ça m\u2019intéresse")).first)
    assert "Rien n\u2019a été envoyé" in page.content()
    _click(visitor, page.get_by_role("button", name="Oui, partager mon profil avec cet employeur"))
    assert "peut maintenant voir votre nom et votre profil pendant douze mois" in page.content()


def test_matching_on_a_phone(demo, phone_visitor):
    kayak = JobRole.objects.get(title="Kayak guide")
    _sign_in(phone_visitor, "seeker@example.org")
    phone_visitor.goto("/me/roles/")
    phone_visitor.page.locator("ol.matches-ranked summary").first.click()
    phone_visitor.check_accessibility()
    _fits_the_screen(phone_visitor)
    phone_visitor.page.context.clear_cookies()
    _sign_in(phone_visitor, "employer2@example.org")
    phone_visitor.goto(f"/business/candidates/roles/{kayak.pk}/")
    phone_visitor.page.locator("ol.matches-ranked summary").first.click()
    phone_visitor.check_accessibility()
    _fits_the_screen(phone_visitor)
    phone_visitor.page.context.clear_cookies()
    _sign_in(phone_visitor, "practitioner@example.org")
    phone_visitor.goto(f"/matches/roles/{kayak.pk}/")
    _fits_the_screen(phone_visitor)

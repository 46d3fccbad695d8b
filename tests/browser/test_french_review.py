"""French review: the pages of each role, in French, saved as screenshots.

Each person's account language is French and the browser asks for fr-CA. Every page must
say ``<html lang="fr">``, show the navigation and the page chrome in French (no English
label left), read as French (no common English word left once the data people typed is
taken out), pass axe, and is saved to test-artifacts/french/ for a human reviewer.

The pages: the earlier apps' main pages, and every page added since: matching for each
role, placements and bargains, assisted sessions, follow-ups (the practitioner's list and
form, the worker's signed link, the consent renewal banner), the program dashboard and
the report pages. One browser context per role, a loop over its pages.
"""

from __future__ import annotations

import re

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from accounts.context_processors import NAVIGATION
from tests.browser.conftest import ARTIFACTS, CONTEXT_OPTIONS, Visitor
from tests.factories import PASSWORD
from tests.french import english_left, typed_data
from tests.test_every_url import World

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = ARTIFACTS / "french"
# English chrome from templates/base.html that must never show on a French page.
ENGLISH_CHROME = ["Skip to main content", "Sign out", "Thriving Workplaces"]


def _world(cast) -> World:
    """The objects the later pages show, owned by the first member of each role; the
    seeker's data-use consent is near its end so the renewal banner shows."""
    import datetime

    from django.utils import timezone

    from practitioners.models import Placement
    from practitioners.services.bargains import bargain_agreement_record, bargain_start
    from reports.models import Report
    from seekers.models import Consent
    from tests.seekers.conftest import fill_answers

    w = World(cast)
    fill_answers(w.consented, w.factor.version)
    # The bargain in the worker's language, as a practitioner would write it for them.
    bargain = bargain_start(placement=w.placement, by=cast.practitioner, language="fr")
    today = timezone.localdate()
    bargain_agreement_record(
        bargain=bargain,
        by=cast.practitioner,
        worker_agreed_on=today,
        employer_agreed_on=today,
        employer_agreed_by="M. Tremblay",
    )
    w.fresh_placement = Placement.objects.create(
        seeker=w.consented,
        organisation=cast.organisation,
        role=w.published_role,
        started_on=today - datetime.timedelta(days=5),
        hours_per_week=25,
        wage=18,
        wage_period="hour",
        delivery_method="self_serve",
        recorded_by=cast.practitioner,
    )
    w.pair  # noqa: B018 - built before the pages are read
    w.employer_consent  # noqa: B018
    w.follow_up_token  # noqa: B018
    Consent.objects.filter(seeker=w.consented).update(
        granted_at=timezone.now() - datetime.timedelta(days=350)
    )
    w.practitioner_report = Report.objects.create(
        owner=cast.practitioner,
        kind="match_summary",
        params={"seeker": w.consented.pk, "role": w.published_role.pk},
        params_key="fr-review-match",
        language="fr",
        title="Sommaire",
    )
    w.admin_report = Report.objects.create(
        owner=cast.admin,
        kind="program",
        params={},
        params_key="fr-review-program",
        language="fr",
        title="Rapport",
    )
    return w


def _pages(cast, w: World) -> dict[str, list[str]]:
    seeker_client = {"kind": "seekers", "pk": w.consented.pk}
    employer_client = {"kind": "employers", "pk": cast.organisation.pk}
    role = w.published_role.pk
    return {
        "seeker": [
            reverse("seekers:welcome"),
            reverse("seekers:home"),
            reverse("seekers:activity", args=["values"]),
            reverse("seekers:profile"),
            reverse("seekers:my_data"),
            reverse("reports:list"),
            reverse("reports:detail", args=[w.report.pk]),
            reverse("seeker_matches:roles"),
            reverse("seeker_matches:share", args=[role]),
            reverse("outcomes:answer", args=[w.follow_up_token]),
        ],
        "employer": [
            reverse("employers:home"),
            reverse("employers:offer_profile"),
            reverse("employers:role_list"),
            reverse("employers:role_create"),
            reverse("employers:colleagues"),
            reverse("employer_matches:home"),
            reverse("employer_matches:role_candidates", args=[role]),
            reverse("employer_matches:candidate_detail", args=[role, w.alias]),
        ],
        "practitioner": [
            reverse("practitioners:queue"),
            reverse(
                "practitioners:client_record", kwargs={"kind": "seekers", "pk": cast.seeker.pk}
            ),
            reverse("practitioners:session_list"),
            reverse("practitioners:invite"),
            reverse("seeker_staff:erasure_list"),
            reverse("matches:home"),
            reverse("matches:role_seekers", args=[role]),
            reverse("matches:seeker_roles", args=[w.consented.pk]),
            reverse("matches:pair_detail", args=[w.pair.pk]),
            reverse("practitioners:placement_create", kwargs=seeker_client) + f"?role={role}",
            reverse("practitioners:placement_detail", args=[w.placement.pk]),
            reverse("practitioners:bargain_edit", args=[w.fresh_placement.pk]),
            reverse("practitioners:bargain_edit", args=[w.placement.pk]),
            reverse("practitioners:bargain_agreement", args=[w.placement.pk]),
            reverse("practitioners:bargain_revisit", args=[w.placement.pk]),
            reverse(
                "practitioners:assisted_activity", kwargs={**seeker_client, "factor_key": "values"}
            ),
            reverse(
                "practitioners:assisted_activity",
                kwargs={**employer_client, "factor_key": "values"},
            ),
            reverse("outcomes:follow_up_list"),
            reverse("outcomes:follow_up_record", args=[w.follow_up.pk]),
            reverse("reports:list"),
            reverse("reports:detail", args=[w.practitioner_report.pk]),
        ],
        "admin": [
            reverse("factors:overview"),
            reverse("staff:staff_list"),
            reverse("staff:office_list"),
            reverse("practitioners:reassign"),
            reverse("dashboard:dashboard"),
            reverse("reports:detail", args=[w.admin_report.pk]),
        ],
    }


def _french_nav(role: str) -> tuple[set[str], set[str]]:
    english = {str(label) for label, _ in NAVIGATION.get(role, [])}
    with translation.override("fr"):
        french = {str(label) for label, _ in NAVIGATION.get(role, [])}
    return french, english - french


def _review(page, name: str, french_nav: set[str], english_only: set[str], data: list[str]):
    """The checks on the page now shown (after axe): French, with a screenshot."""
    problems = []
    path = "/" + page.url.split("//", 1)[-1].split("/", 1)[-1]
    # Named by URL pattern: tokens and report ids would make a new file name each run.
    slug = re.sub(r"[^a-z0-9]+", "-", resolve(path.split("?")[0]).view_name)
    page.screenshot(path=str(SHOTS / f"{name}-{slug}.png"), full_page=True)
    if page.locator("html").get_attribute("lang") != "fr":
        problems.append(f"{path}: html lang is not fr")
    if french_nav or english_only:
        nav = page.locator("header").inner_text()
        missing = {label for label in french_nav if label not in nav}
        leftover = {label for label in english_only if label in nav}
        if missing or leftover:
            problems.append(f"{path}: navigation not French {missing or leftover}")
    body = page.locator("body").inner_text()
    english = [text for text in ENGLISH_CHROME if text in body]
    if english:
        problems.append(f"{path}: English chrome left: {english}")
    left = english_left(body, data)
    if left:
        problems.append(f"{path}: English left: {left}")
    return problems


@pytest.mark.parametrize("who", ["seeker", "employer", "practitioner", "admin"])
def test_main_pages_in_french(cast, browser, live_server, who):
    users = {
        "seeker": cast.seeker.user,
        "employer": cast.employer,
        "practitioner": cast.practitioner,
        "admin": cast.admin,
    }
    user = users[who]
    user.language = "fr"
    user.save(update_fields=["language"])
    context = browser.new_context(**{**CONTEXT_OPTIONS, "locale": "fr-CA"})
    page = context.new_page()
    page.set_default_timeout(60_000)  # many full pages on a busy shared machine
    visitor = Visitor(page, live_server.url, f"fr-{who}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(visitor.url("/accounts/login/"), timeout=90_000)  # a fresh browser's first page
        visitor.sign_in(user.email, PASSWORD)
        french_nav, english_only = _french_nav(user.role)
        world = _world(cast)
        pages = _pages(cast, world)[who]
        data = typed_data()
        problems = []
        for number, path in enumerate(pages, start=1):
            response = page.goto(visitor.url(path))
            visitor.check_accessibility()
            if response is None or response.status >= 400:
                problems.append(f"{path}: status {response.status if response else None}")
            problems += _review(page, f"{who}-{number:02d}", french_nav, english_only, data)
        if who == "seeker":
            # Ask for a report from the list: the progress page it leads to, in French.
            page.goto(visitor.url(reverse("reports:list")))
            page.locator("form.report-request button[type=submit]").first.click()
            page.wait_for_load_state()
            visitor.check_accessibility()
            problems += _review(page, "seeker-asked", french_nav, english_only, data)
            problems += _link_signed_out(browser, live_server, world, data)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def _link_signed_out(browser, live_server, world: World, data: list[str]) -> list[str]:
    """The emailed follow-up link opened signed out in an English browser: the page is in
    the worker's language (French), read from their account."""
    context = browser.new_context(**CONTEXT_OPTIONS)  # en-CA
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        visitor = Visitor(page, live_server.url, "fr-link")
        page.goto(visitor.url(reverse("outcomes:answer", args=[world.follow_up_token])))
        visitor.check_accessibility()
        problems = _review(page, "worker-link-signed-out", set(), set(), data)
        page.goto(visitor.url(reverse("outcomes:answered")))
        visitor.check_accessibility()
        return problems
    finally:
        context.close()

"""French review: the main pages of each role, in French, saved as screenshots.

Each person's account language is French and the browser asks for fr-CA. Every page must
say ``<html lang="fr">``, show the navigation and the page chrome in French (no English
label left), pass axe, and is saved to test-artifacts/french/ for a human reviewer.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.context_processors import NAVIGATION
from tests.browser.conftest import ARTIFACTS, CONTEXT_OPTIONS, Visitor
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = ARTIFACTS / "french"
# English chrome from templates/base.html that must never show on a French page.
ENGLISH_CHROME = ["Skip to main content", "Sign out", "Thriving Workplaces"]


def _pages(cast) -> dict[str, list[str]]:
    return {
        "seeker": [
            reverse("seekers:welcome"),
            reverse("seekers:home"),
            reverse("seekers:activity", args=["values"]),
            reverse("seekers:profile"),
            reverse("seekers:my_data"),
            reverse("reports:list"),
        ],
        "employer": [
            reverse("employers:home"),
            reverse("employers:offer_profile"),
            reverse("employers:role_list"),
            reverse("employers:role_create"),
            reverse("employers:colleagues"),
        ],
        "practitioner": [
            reverse("practitioners:queue"),
            reverse(
                "practitioners:client_record", kwargs={"kind": "seekers", "pk": cast.seeker.pk}
            ),
            reverse("practitioners:session_list"),
            reverse("practitioners:invite"),
            reverse("seeker_staff:erasure_list"),
        ],
        "admin": [
            reverse("factors:overview"),
            reverse("staff:staff_list"),
            reverse("staff:office_list"),
            reverse("practitioners:reassign"),
        ],
    }


def _french_nav(role: str) -> tuple[set[str], set[str]]:
    english = {str(label) for label, _ in NAVIGATION.get(role, [])}
    with translation.override("fr"):
        french = {str(label) for label, _ in NAVIGATION.get(role, [])}
    return french, english - french


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
        problems = []
        for path in _pages(cast)[who]:
            visitor.goto(path)
            slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
            page.screenshot(path=str(SHOTS / f"{who}-{slug}.png"), full_page=True)
            if page.locator("html").get_attribute("lang") != "fr":
                problems.append(f"{path}: html lang is not fr")
            nav = page.locator("header").inner_text()
            missing = {label for label in french_nav if label not in nav}
            leftover = {label for label in english_only if label in nav}
            if missing or leftover:
                problems.append(f"{path}: navigation not French {missing or leftover}")
            body = page.locator("body").inner_text()
            english = [text for text in ENGLISH_CHROME if text in body]
            if english:
                problems.append(f"{path}: English chrome left: {english}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()

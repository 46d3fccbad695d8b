"""Each role signs in through the browser and lands in its own room, with no axe violations,
in English and French, with and without JavaScript, and at phone width."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_front_page_and_sign_in_pages(visitor):
    visitor.goto("/")
    visitor.goto("/accounts/signup/")
    visitor.goto("/accounts/password/reset/")
    visitor.goto("/framework/factors/values/")
    visitor.goto("/framework/factors/does-not-exist/")


@pytest.mark.parametrize(
    ("who", "heading"),
    [
        ("seeker", "Welcome"),
        ("employer", "Harbour Café"),
        ("practitioner", "My caseload"),
        ("admin", "My caseload"),
    ],
)
def test_each_role_lands_in_its_room(cast, visitor, who, heading):
    users = {
        "seeker": cast.seeker.user,
        "employer": cast.employer,
        "practitioner": cast.practitioner,
        "admin": cast.admin,
    }
    visitor.sign_in(users[who].email, PASSWORD)
    assert heading in visitor.page.locator("h1").inner_text()


def test_switch_to_french_and_back(cast, visitor):
    visitor.sign_in(cast.seeker.user.email, PASSWORD)
    visitor.page.get_by_role("button", name="Français").click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()
    assert visitor.page.locator("html").get_attribute("lang") == "fr"
    assert "Bienvenue" in visitor.page.locator("h1").inner_text()
    visitor.page.get_by_role("button", name="English").click()
    assert visitor.page.locator("html").get_attribute("lang") == "en"


@pytest.mark.parametrize("visitor", [False], indirect=True, ids=["no-javascript"])
def test_sign_in_works_without_javascript(cast, visitor):
    visitor.sign_in(cast.practitioner.email, PASSWORD)
    assert "My caseload" in visitor.page.locator("h1").inner_text()


def test_admin_framework_page(cast, visitor):
    visitor.sign_in(cast.admin.email, PASSWORD)
    visitor.goto("/framework/")
    visitor.page.get_by_role("button", name=re.compile("Start a draft")).click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()


def test_pages_fit_a_320px_phone(cast, phone_visitor):
    phone_visitor.sign_in(cast.seeker.user.email, PASSWORD)
    width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


def test_staff_two_factor_setup_pages(cast, visitor, settings):
    settings.REQUIRE_STAFF_MFA = True
    visitor.sign_in(cast.practitioner.email, PASSWORD)
    # Sent to set up two-factor sign-in; first the password again.
    assert "/accounts/reauthenticate/" in visitor.page.url
    visitor.page.get_by_label(re.compile(r"^\s*(Password|Mot de passe)")).fill(PASSWORD)
    visitor.page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    visitor.page.wait_for_load_state()
    assert "/accounts/2fa/totp/activate/" in visitor.page.url
    visitor.check_accessibility()

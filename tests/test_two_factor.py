"""Two-factor sign-in: staff must set it up where required; then sign-in asks for a code."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.REQUIRE_STAFF_MFA = True


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_staff_without_two_factor_are_sent_to_set_it_up(cast, client, mfa_required):
    client.post("/accounts/login/", {"login": cast.practitioner.email, "password": PASSWORD})
    response = client.get("/caseload/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # Adding a second factor asks for the password again (allauth's reauthentication).
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200 and b"Authenticator" in page.content


def test_seekers_and_employers_may_opt_in_but_are_not_forced(cast, mfa_required):
    assert cast.client_for(cast.seeker.user).get("/me/").status_code == 200
    assert cast.client_for(cast.employer).get("/business/").status_code == 200


def test_staff_with_totp_must_give_a_code_at_sign_in(cast, client, mfa_required):
    secret = generate_totp_secret()
    TOTP.activate(cast.admin, secret)
    response = client.post("/accounts/login/", {"login": cast.admin.email, "password": PASSWORD})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert client.get("/caseload/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert client.get("/caseload/").status_code == 302
    client.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
    assert client.get("/caseload/").status_code == 200


def test_not_required_on_the_embedded_demo_by_default(cast, settings):
    settings.REQUIRE_STAFF_MFA = False
    assert cast.client_for(cast.practitioner).get("/caseload/").status_code == 200

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


# --- The session remembers the device (accounts.middleware._has_totp) -------------------------


def _signed_in_with_totp(cast, user):
    TOTP.activate(user, generate_totp_secret())
    client = cast.client_for(user)
    assert client.get("/caseload/").status_code == 200  # checked once, then remembered
    return client


def _authenticator_queries(client, path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, sum("mfa_authenticator" in q["sql"] for q in queries.captured_queries)


def test_a_staff_session_does_not_ask_for_the_device_on_every_request(cast, mfa_required):
    client = _signed_in_with_totp(cast, cast.practitioner)
    assert _authenticator_queries(client, "/caseload/") == (200, 0)


def test_removing_the_device_is_seen_at_once_by_the_session_that_removed_it(cast, mfa_required):
    from allauth.mfa.models import Authenticator

    client = _signed_in_with_totp(cast, cast.practitioner)
    response = client.get("/accounts/2fa/totp/deactivate/")
    if response.status_code == 302 and "reauthenticate" in response["Location"]:
        client.post(response["Location"], {"password": PASSWORD})
    client.post("/accounts/2fa/totp/deactivate/")
    assert not Authenticator.objects.filter(user=cast.practitioner).exists()
    response = client.get("/caseload/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_another_session_checks_the_device_again_within_a_minute(cast, mfa_required, monkeypatch):
    from allauth.mfa.models import Authenticator

    from accounts.middleware import TOTP_RECHECK_EVERY

    client = _signed_in_with_totp(cast, cast.admin)
    Authenticator.objects.filter(user=cast.admin).delete()  # elsewhere: another browser
    assert client.get("/caseload/").status_code == 200  # remembered for under a minute
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + TOTP_RECHECK_EVERY + 1)
    response = client.get("/caseload/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_the_remembered_device_belongs_to_the_person_signed_in(cast, mfa_required):
    """A session's note names its person: someone else signed in on it is checked anew."""
    from accounts.middleware import STAFF_TOTP_SEEN

    client = _signed_in_with_totp(cast, cast.practitioner)
    client.force_login(cast.practitioner2)  # no device of their own
    session = client.session
    session[STAFF_TOTP_SEEN] = [cast.practitioner.pk, time.time()]
    session.save()
    assert client.get("/caseload/").status_code == 302

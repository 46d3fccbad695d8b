"""Brute force: sign-in locks on (email, address) together; public forms answer 429.

django-axes counts failed sign-ins per email *and* address, so an attacker hammering
someone's email from elsewhere never locks the real person out. Public forms
(sign-up, password reset, invitation links) are rate limited per address.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from accounts.models import Role, User
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
ATTACKER = "203.0.113.66"
REAL_PERSON = "198.51.100.7"


def _sign_in(client: Client, email: str, password: str):
    return client.post(LOGIN, {"login": email, "password": password})


@pytest.fixture
def fail_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def test_lockout_after_n_failures_is_a_clear_429_page_not_a_500(cast, fail_limit):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    email = cast.seeker.user.email
    for _ in range(fail_limit - 1):
        response = _sign_in(attacker, email, "wrong-guess")
        assert response.status_code == 200  # the usual "not correct" error
        assert "not correct" in response.content.decode()
    locked = _sign_in(attacker, email, "wrong-guess")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # Even the right password is refused from this address while the lock lasts.
    again = _sign_in(attacker, email, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in attacker.session


def test_real_person_from_another_address_is_not_locked_out(cast, fail_limit):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    email = cast.seeker.user.email
    for _ in range(12):  # past axes' limit and allauth's own per-email limit (5)
        _sign_in(attacker, email, "wrong-guess")
    refused = _sign_in(attacker, email, PASSWORD)  # axes' page or allauth's own message
    assert refused.status_code in {200, 429} and "_auth_user_id" not in attacker.session

    person = Client(REMOTE_ADDR=REAL_PERSON)
    response = _sign_in(person, email, PASSWORD)
    assert response.status_code == 302
    assert person.session["_auth_user_id"] == str(cast.seeker.user.pk)


def test_other_accounts_from_the_same_address_are_not_locked(cast, fail_limit):
    """The lock is on the pair: a shared office connection still works for colleagues."""
    office = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(fail_limit):
        _sign_in(office, cast.seeker.user.email, "wrong-guess")
    assert _sign_in(office, cast.seeker2.user.email, PASSWORD).status_code == 302


def test_email_case_does_not_dodge_the_lock(cast, fail_limit):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    email = cast.seeker.user.email
    for n in range(fail_limit):
        _sign_in(attacker, email.upper() if n % 2 else email, "wrong-guess")
    assert _sign_in(attacker, email.title(), PASSWORD).status_code == 429


def test_a_success_before_the_limit_resets_the_count(cast, fail_limit):
    person = Client(REMOTE_ADDR=REAL_PERSON)
    email = cast.seeker.user.email
    for _ in range(fail_limit - 1):
        _sign_in(person, email, "typo")
    assert _sign_in(person, email, PASSWORD).status_code == 302
    person.logout()
    for _ in range(fail_limit - 1):
        _sign_in(person, email, "typo")
    assert _sign_in(person, email, PASSWORD).status_code == 302


def test_lockout_page_in_french(cast, fail_limit):
    attacker = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="fr-CA")
    for _ in range(fail_limit):
        response = _sign_in(attacker, cast.seeker.user.email, "wrong-guess")
    translation.activate("en")
    assert response.status_code == 429
    body = response.content.decode()
    assert '<html lang="fr"' in body and "Trop de tentatives" in body


def _signup(client: Client, n: int):
    return client.post(
        "/accounts/signup/",
        {
            "email": f"newcomer{n}@example.org",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            "full_name": "Pat Newcomer",
            "role": Role.SEEKER,
        },
    )


def test_rate_limited_sign_up_answers_429_and_creates_nobody(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "3/m/ip"}
    for n in range(3):
        assert _signup(Client(REMOTE_ADDR=ATTACKER), n).status_code == 302
    response = _signup(Client(REMOTE_ADDR=ATTACKER), 99)
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert not User.objects.filter(email="newcomer99@example.org").exists()
    # Someone else signing up from their own connection is not affected.
    assert _signup(Client(REMOTE_ADDR=REAL_PERSON), 100).status_code == 302


def test_password_reset_is_rate_limited(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "2/m/ip"}
    client = Client(REMOTE_ADDR=ATTACKER)
    for n in range(2):
        response = client.post("/accounts/password/reset/", {"email": f"x{n}@example.org"})
        assert response.status_code == 302
    response = client.post("/accounts/password/reset/", {"email": "x9@example.org"})
    assert response.status_code == 429


def test_invitation_links_are_rate_limited_per_address(db, settings):
    settings.RATE_LIMIT_PUBLIC_FORM = "3/m"
    guesser = Client(REMOTE_ADDR=ATTACKER)
    for n in range(3):
        assert guesser.get(f"/invitation/guess-{n}/").status_code == 404
    response = guesser.post("/invitation/guess-9/", {"full_name": "x"})
    assert response.status_code == 429
    assert "too many times" in response.content.decode()
    assert Client(REMOTE_ADDR=REAL_PERSON).get("/invitation/guess-1/").status_code == 404


def test_forwarded_for_is_only_trusted_behind_our_own_proxy(rf, settings):
    from accounts.security import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9", REMOTE_ADDR="10.0.0.1")
    settings.PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.1"  # a header the caller chose is ignored
    settings.PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.9"  # the hop our proxy appended


def test_allauths_own_limit_is_also_per_address(cast, settings):
    """With axes out of the way, allauth's "5 failures per email" must not lock the real
    person out either: it is keyed by email and address (accounts.adapter)."""
    settings.AXES_FAILURE_LIMIT = 1000
    attacker = Client(REMOTE_ADDR=ATTACKER)
    email = cast.seeker.user.email
    for _ in range(8):
        response = _sign_in(attacker, email, "wrong-guess")
    assert "Too many failed login attempts" in response.content.decode()
    assert _sign_in(attacker, email, PASSWORD).status_code != 302  # still refused there
    assert _sign_in(Client(REMOTE_ADDR=REAL_PERSON), email, PASSWORD).status_code == 302


def test_language_switch_is_rate_limited_per_address(db, settings):
    settings.RATE_LIMIT_PUBLIC_FORM = "2/m"
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(2):
        assert client.post("/language/", {"language": "fr", "next": "/"}).status_code == 302
    assert client.post("/language/", {"language": "en", "next": "/"}).status_code == 429

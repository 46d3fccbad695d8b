"""Session limits and the security log of sign-ins."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _real_last_seen_interval(settings):
    settings.SESSION_LAST_SEEN_EVERY = 60


def _signed_in(client, user):
    assert (
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_staff_session_ends_after_30_idle_minutes(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _signed_in(client, cast.practitioner)
        assert client.get("/caseload/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/caseload/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get("/caseload/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/caseload/").status_code == 302  # really signed out


def test_seeker_session_survives_30_minutes_but_not_3_hours_idle(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _signed_in(client, cast.seeker.user)
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        assert client.get("/me/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=45 + 180), tick=False):
        assert client.get("/me/").status_code == 302


def test_absolute_limit_ends_even_an_active_session(cast, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _signed_in(client, cast.seeker.user)
    for hour in range(1, 12):
        with time_machine.travel(start + timedelta(hours=hour), tick=False):
            assert client.get("/me/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        assert client.get("/me/").status_code == 302


def test_sign_in_gets_a_new_session_key(cast, client):
    client.get("/accounts/login/")
    before = client.session.session_key
    _signed_in(client, cast.seeker.user)
    assert client.session.session_key != before


def test_disabled_account_is_signed_out_on_next_request(cast):
    client = cast.client_for(cast.seeker.user)
    assert client.get("/me/").status_code == 200
    cast.seeker.user.is_active = False
    cast.seeker.user.save()
    assert client.get("/me/").status_code == 302


def test_sign_in_log_has_no_personal_data(cast, client, caplog):
    with caplog.at_level(logging.INFO, logger="thriving.security"):
        client.post("/accounts/login/", {"login": cast.seeker.user.email, "password": "wrong"})
        _signed_in(client, cast.seeker.user)
    text = caplog.text
    assert "sign-in failed" in text and f"sign-in ok user={cast.seeker.user.pk}" in text
    assert cast.seeker.user.email not in text and "wrong" not in text

"""Consents last twelve months: warned a month before, ended at a year, renewed in one click."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from outcomes.consents import consents_expire
from outcomes.models import ConsentNotice
from outcomes.tasks import consents_expire as consents_task
from seekers.models import Consent, ConsentKind, EmployerConsent
from seekers.selectors import has_data_consent
from seekers.services import consent_grant_employer, welcome_accept

HALIFAX = ZoneInfo("America/Halifax")
GIVEN = datetime(2026, 1, 15, 10, 0, tzinfo=HALIFAX)
HOME = reverse("seekers:home")
RENEW = reverse("outcomes:consent_renew")


@pytest.fixture
def agreed(cast):
    with time_machine.travel(GIVEN, tick=False):
        welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    return cast.seeker


def test_nothing_happens_in_the_first_eleven_months(agreed):
    with time_machine.travel(GIVEN + timedelta(days=330), tick=False):
        assert consents_expire() == 0
    assert mail.outbox == [] and has_data_consent(seeker=agreed)


def test_a_month_before_the_person_is_warned_once_and_sees_the_banner(cast, agreed):
    with time_machine.travel(GIVEN + timedelta(days=340), tick=False):
        assert consents_expire() == 1
        assert consents_expire() == 0
        consents_task.delay()
        page = cast.client_for(cast.seeker.user).get(HOME).content.decode()
    assert len(mail.outbox) == 1 and "ends soon" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert "Please renew your consent" in page and "Renew for twelve months" in page
    assert has_data_consent(seeker=agreed)


def test_at_twelve_months_the_consents_end_and_the_person_is_asked_again(cast, agreed):
    with time_machine.travel(GIVEN + timedelta(days=366), tick=False):
        consents_expire()
        consents_expire()
        page = cast.client_for(cast.seeker.user).get(HOME)
    assert not has_data_consent(seeker=agreed)
    assert not Consent.objects.filter(seeker=agreed, withdrawn_at__isnull=True).exists()
    assert ConsentNotice.objects.filter(stage="ended").count() == 2
    assert [m.subject for m in mail.outbox] == [
        "Your consent has ended: renew it to keep using Thriving Workplaces"
    ]
    # the seeker's home now shows the welcome page, which asks for consent again
    assert page.status_code == 200 and 'name="share"' in page.content.decode()


def test_renewing_starts_twelve_new_months_and_keeps_the_history(cast, agreed):
    with time_machine.travel(GIVEN + timedelta(days=340), tick=False):
        client = cast.client_for(cast.seeker.user)
        response = client.post(RENEW, {"kind": ConsentKind.DATA_USE})
        assert response.status_code == 302 and response["Location"] == HOME
        assert "use of your answers ends on" not in client.get(HOME).content.decode()
    assert Consent.objects.filter(seeker=agreed, kind=ConsentKind.DATA_USE).count() == 2
    with time_machine.travel(GIVEN + timedelta(days=400), tick=False):
        consents_expire()
    assert has_data_consent(seeker=agreed)  # the renewed one runs until day 705


def test_sharing_with_an_employer_is_warned_then_renewed(cast, agreed):
    with time_machine.travel(GIVEN, tick=False):
        consent_grant_employer(seeker=agreed, organisation=cast.organisation, source="seeker")
    with time_machine.travel(GIVEN + timedelta(days=340), tick=False):
        client = cast.client_for(cast.seeker.user)
        consents_expire()
        assert any("Harbour Café" in m.body for m in mail.outbox)
        assert "Sharing your profile with Harbour Café ends on" in client.get(HOME).content.decode()
        ec = EmployerConsent.objects.get(seeker=agreed)
        assert client.post(RENEW, {"employer_consent": ec.pk}).status_code == 302
        ec.refresh_from_db()
        assert ec.expires_at > GIVEN + timedelta(days=700)
        assert "Harbour Café ends on" not in client.get(HOME).content.decode()


def test_an_ended_employer_sharing_is_told_once(cast, agreed):
    with time_machine.travel(GIVEN, tick=False):
        consent_grant_employer(seeker=agreed, organisation=cast.organisation, source="seeker")
    with time_machine.travel(GIVEN + timedelta(days=366), tick=False):
        consents_expire()
        consents_expire()
    ended = [m for m in mail.outbox if "ended on" in m.body and "Harbour" in m.body]
    assert len(ended) == 1


@pytest.mark.parametrize(
    "data",
    [{}, {"kind": "nonsense"}, {"employer_consent": "abc"}, {"employer_consent": "99999"}],
)
def test_renewing_rubbish_is_refused_politely(cast, agreed, data):
    response = cast.client_for(cast.seeker.user).post(RENEW, data, follow=True)
    assert response.status_code == 200
    assert Consent.objects.filter(seeker=agreed).count() == 2


def test_someone_elses_employer_consent_cannot_be_renewed(cast, agreed):
    welcome_accept(seeker=cast.seeker2, share_with_practitioner=False)
    other = consent_grant_employer(
        seeker=cast.seeker2, organisation=cast.organisation2, source="seeker"
    )
    before = other.expires_at
    cast.client_for(cast.seeker.user).post(RENEW, {"employer_consent": other.pk})
    other.refresh_from_db()
    assert other.expires_at == before


def test_only_seekers_may_renew_and_only_by_post(cast):
    assert cast.client_for(cast.employer).post(RENEW, {"kind": "data_use"}).status_code == 403
    assert cast.client_for(cast.practitioner).post(RENEW, {"kind": "data_use"}).status_code == 403
    assert cast.client_for(cast.seeker.user).get(RENEW).status_code == 405
    assert cast.client_for(None).post(RENEW).status_code == 302

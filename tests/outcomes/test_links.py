"""The emailed link: answered without signing in; expired, tampered or used links refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from factors.models import MindsetPrompt
from factors.scales import Side
from outcomes.models import FollowUp, FollowUpParty, FollowUpSource, StillThere
from outcomes.services import LINK_SALT, follow_up_token

HALIFAX = ZoneInfo("America/Halifax")
SENT = datetime(2026, 3, 1, 9, 0, tzinfo=HALIFAX)


@pytest.fixture
def follow_up(placement):
    return FollowUp.objects.create(
        placement=placement, party=FollowUpParty.WORKER, month=1, due_on=date(2026, 2, 28)
    )


def _url(follow_up, user):
    return reverse("outcomes:answer", args=[follow_up_token(follow_up=follow_up, user=user)])


STILL_THERE = {
    "still_there": "yes",
    "hours_now": "32",
    "wage_now": "18.50",
    "wage_period_now": "hour",
    "sat_values": "4",
    "sat_pay_benefits": "2",
    "comment": "Good team.",
}


def test_the_worker_answers_without_signing_in(cast, follow_up):
    with time_machine.travel(SENT, tick=False):
        url = _url(follow_up, cast.seeker.user)
    with time_machine.travel(SENT + timedelta(days=3)):
        client = Client()
        page = client.get(url)
        assert page.status_code == 200
        assert "How is the job going?" in page.content.decode()
        response = client.post(url, STILL_THERE)
    assert response.status_code == 302 and response["Location"] == reverse("outcomes:answered")
    follow_up.refresh_from_db()
    assert follow_up.still_there == StillThere.YES
    assert follow_up.source == FollowUpSource.ONLINE_LINK
    assert follow_up.recorded_by is None
    assert str(follow_up.hours_now) == "32.0"
    sat = {f.factor_key: f.satisfaction for f in follow_up.factors.all()}
    assert sat == {"values": 4, "pay_benefits": 2}


def test_the_page_speaks_the_persons_language(cast, follow_up):
    cast.seeker.user.language = "fr"
    cast.seeker.user.save()
    page = Client().get(_url(follow_up, cast.seeker.user))
    assert page.status_code == 200 and 'lang="fr"' in page.content.decode()


def test_an_expired_link_is_refused(cast, follow_up):
    with time_machine.travel(SENT, tick=False):
        url = _url(follow_up, cast.seeker.user)
    with time_machine.travel(SENT + timedelta(days=31)):
        page = Client().get(url)
        post = Client().post(url, STILL_THERE)
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert post.status_code == 410
    follow_up.refresh_from_db()
    assert follow_up.answered_at is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: t.split(":")[0],
        lambda t: "not-a-token",
        lambda t: "a" * 400,
        lambda t: "%00%ff",
    ],
)
def test_a_tampered_link_is_refused_never_a_500(cast, follow_up, mangle):
    token = follow_up_token(follow_up=follow_up, user=cast.seeker.user)
    response = Client().get("/follow-up/" + mangle(token) + "/")
    assert response.status_code == 404
    response = Client().post("/follow-up/" + mangle(token) + "/", STILL_THERE)
    assert response.status_code == 404
    assert FollowUp.objects.get(pk=follow_up.pk).answered_at is None


def test_a_link_for_another_follow_up_signed_elsewhere_is_refused(cast, follow_up):
    forged = signing.dumps({"f": follow_up.pk, "u": cast.seeker.user.pk}, salt="other")
    assert Client().get(reverse("outcomes:answer", args=[forged])).status_code == 404
    # correctly signed, but naming a person who is not this side of the placement
    wrong = signing.dumps({"f": follow_up.pk, "u": cast.seeker2.user.pk}, salt=LINK_SALT)
    assert Client().get(reverse("outcomes:answer", args=[wrong])).status_code == 404
    odd = signing.dumps({"f": "1", "u": None}, salt=LINK_SALT)
    assert Client().get(reverse("outcomes:answer", args=[odd])).status_code == 404


def test_an_answered_link_is_refused(cast, follow_up):
    url = _url(follow_up, cast.seeker.user)
    client = Client()
    assert client.post(url, STILL_THERE).status_code == 302
    again = client.get(url)
    assert again.status_code == 410 and "already been answered" in again.content.decode()
    assert client.post(url, {**STILL_THERE, "still_there": "left"}).status_code == 410
    follow_up.refresh_from_db()
    assert follow_up.still_there == "yes"


def test_the_employer_answers_that_the_worker_left(cast, placement):
    follow_up = FollowUp.objects.create(
        placement=placement, party=FollowUpParty.EMPLOYER, month=6, due_on=date(2026, 7, 31)
    )
    url = _url(follow_up, cast.employer)
    response = Client().post(
        url,
        {
            "still_there": "left",
            "left_on": "2026-05-15",
            "who_decided": "worker",
            "pushed_apart": ["work_arrangements", "pay_benefits"],
            "sat_work_arrangements": "1",
        },
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.still_there == "left" and follow_up.who_decided == "worker"
    pushed = set(follow_up.factors.filter(pushed_apart=True).values_list("factor_key", flat=True))
    assert pushed == {"work_arrangements", "pay_benefits"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required"),
        ({"still_there": "maybe"}, "Select a valid choice"),
        ({"still_there": "yes", "who_decided": "worker"}, "Only for someone who left"),
        ({"still_there": "yes", "pushed_apart": ["values"]}, "Only for someone who left"),
        ({"still_there": "left"}, "Say who decided"),
        ({"still_there": "left", "who_decided": "both", "left_on": "2099-01-01"}, "future"),
        ({"still_there": "left", "who_decided": "both", "left_on": "2020-01-01"}, "before the job"),
        ({"still_there": "yes", "hours_now": "500"}, "less than or equal to 80"),
        ({"still_there": "yes", "hours_now": "-1"}, "greater than or equal to 0"),
        ({"still_there": "yes", "wage_now": "abc"}, "Enter a number"),
        ({"still_there": "yes", "wage_now": "18"}, "by the hour or by the year"),
        ({"still_there": "yes", "sat_values": "9"}, "Select a valid choice"),
        ({"still_there": "yes", "pushed_apart": ["nonsense"]}, "Select a valid choice"),
        ({"still_there": "yes", "comment": "x" * 2001}, "at most 2000"),
    ],
)
def test_hostile_or_incomplete_answers_are_refused_with_a_clear_error(
    cast, follow_up, data, message
):
    response = Client().post(_url(follow_up, cast.seeker.user), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.answered_at is None and not follow_up.factors.exists()


def test_the_three_month_follow_up_asks_the_mindset_again(cast, placement):
    follow_up = FollowUp.objects.create(
        placement=placement, party=FollowUpParty.WORKER, month=3, due_on=date(2026, 4, 30)
    )
    prompts = list(MindsetPrompt.objects.filter(side=Side.WORKER, retired=False))
    assert prompts
    url = _url(follow_up, cast.seeker.user)
    page = Client().get(url).content.decode()
    assert prompts[0].text_en in page
    # some but not all: refused, nothing saved
    partial = Client().post(url, {"still_there": "yes", f"mind_{prompts[0].pk}": "2"})
    assert "Answer every statement" in partial.content.decode()
    data = {"still_there": "yes", **{f"mind_{p.pk}": "2" for p in prompts}}
    assert Client().post(url, data).status_code == 302
    follow_up.refresh_from_db()
    round_ = follow_up.seeker_mindset_round
    assert round_ is not None and round_.seeker_id == cast.seeker.pk
    assert round_.responses.count() == len(prompts)


def test_the_employer_three_month_mindset_round_is_linked(cast, placement):
    follow_up = FollowUp.objects.create(
        placement=placement, party=FollowUpParty.EMPLOYER, month=3, due_on=date(2026, 4, 30)
    )
    prompts = list(MindsetPrompt.objects.filter(side=Side.EMPLOYER, retired=False))
    data = {"still_there": "yes", **{f"mind_{p.pk}": "4" for p in prompts}}
    assert Client().post(_url(follow_up, cast.employer), data).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.employer_mindset_round.organisation_id == cast.organisation.pk
    assert follow_up.employer_mindset_round.answered_by == cast.employer

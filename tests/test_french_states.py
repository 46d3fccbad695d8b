"""The states of the later pages that a browser tour does not reach, read in French:
errors after a bad post, refused and answered follow-up links, an answered follow-up, a
report asked for wrongly, a revisit before any bargain. Each page says ``lang="fr"`` and
holds no English once the names people typed are taken out (tests/french.py)."""

from __future__ import annotations

import datetime
import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.french import english_left, typed_data
from tests.test_every_url import World

TAG = re.compile(r"<(script|style|title)\b.*?</\1>|<[^>]+>", re.DOTALL | re.IGNORECASE)


def _text(html: str) -> str:
    """The words a person reads: tags become line breaks, entities are decoded."""
    body = html.split("<body", 1)[-1]
    return html_lib.unescape(TAG.sub("\n", body))


def _french(*users) -> None:
    for user in users:
        user.language = "fr"
        user.save(update_fields=["language"])


@pytest.fixture
def world(cast):
    _french(cast.seeker.user, cast.employer, cast.practitioner, cast.admin)
    return World(cast)


def _answered(w: World):
    from outcomes.services import FollowUpAnswer, follow_up_answer

    follow_up_answer(
        follow_up=w.follow_up,
        answer=FollowUpAnswer(still_there="yes", comment="Ça va."),
        source="phone",
        recorded_by=w.cast.practitioner,
    )
    return w.follow_up


def _pages(cast, w: World):
    """(who, method, url, data, expected status)."""
    placement_new = reverse(
        "practitioners:placement_create", kwargs={"kind": "seekers", "pk": w.consented.pk}
    )
    token = w.follow_up_token
    fresh_follow_up_form = reverse("outcomes:follow_up_record", args=[w.follow_up.pk])
    return [
        (cast.practitioner, "post", placement_new, {"role": "x", "wage": "-1"}, 400),
        (
            cast.practitioner,
            "post",
            reverse("practitioners:bargain_edit", args=[w.placement.pk]),
            {"language": "xx"},
            400,
        ),
        (
            cast.practitioner,
            "get",
            reverse("practitioners:bargain_revisit", args=[w.placement.pk]),
            {},
            200,
        ),
        (cast.practitioner, "post", fresh_follow_up_form, {"still_there": "maybe"}, 200),
        (None, "post", reverse("outcomes:answer", args=[token]), {"hours_now": "900"}, 200),
        (cast.seeker.user, "post", reverse("reports:request"), {"kind": "nonsense"}, 400),
        (
            cast.admin,
            "get",
            reverse("dashboard:dashboard"),
            {"start": "2030-01-01", "end": "2020-01-01"},
            200,
        ),
        (None, "get", reverse("outcomes:answer", args=["not-a-token"]), {}, 404),
        (None, "get", reverse("outcomes:answered"), {}, 200),
    ]


def test_error_states_of_the_later_pages_are_french(cast, world):
    _ = world.bargained_placement  # the placement has a bargain, not agreed yet
    data = typed_data()
    problems = []
    for who, method, url, payload, status in _pages(cast, world):
        client = Client(HTTP_ACCEPT_LANGUAGE="fr-CA") if who is None else cast.client_for(who)
        response = getattr(client, method)(url, payload)
        html = response.content.decode()
        if response.status_code != status:
            problems.append(f"{method} {url}: status {response.status_code}, not {status}")
        if 'lang="fr"' not in html:
            problems.append(f"{method} {url}: not lang=fr")
        problems += [f"{method} {url}: {line}" for line in english_left(_text(html), data)]
    assert not problems, "\n".join(problems)


def test_an_answered_follow_up_and_its_used_link_are_french(cast, world):
    token = world.follow_up_token
    follow_up = _answered(world)
    data = typed_data()
    problems = []
    detail = cast.client_for(cast.practitioner).get(
        reverse("outcomes:follow_up_record", args=[follow_up.pk])
    )
    used = Client().get(reverse("outcomes:answer", args=[token]))  # the worker's language
    for response in (detail, used):
        html = response.content.decode()
        assert 'lang="fr"' in html
        problems += english_left(_text(html), data)
    assert used.status_code == 410
    assert not problems, "\n".join(problems)


def test_a_placement_recorded_in_french_says_so_in_french(cast, world):
    client = cast.client_for(cast.practitioner)
    url = reverse(
        "practitioners:placement_create", kwargs={"kind": "seekers", "pk": world.consented.pk}
    )
    response = client.post(
        url,
        {
            "role": world.published_role.pk,
            "started_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "hours_per_week": "30",
            "wage": "18",
            "wage_period": "hour",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'lang="fr"' in html
    assert not english_left(_text(html), typed_data())


def test_an_expired_link_says_so_in_the_workers_french(cast, world):
    import time_machine

    from outcomes.services import LINK_MAX_AGE_DAYS

    token = world.follow_up_token
    later = timezone.now() + datetime.timedelta(days=LINK_MAX_AGE_DAYS + 1)
    with time_machine.travel(later, tick=False):
        response = Client().get(reverse("outcomes:answer", args=[token]))
    html = response.content.decode()
    assert response.status_code == 410 and 'lang="fr"' in html
    assert not english_left(_text(html), typed_data())


@pytest.mark.parametrize(
    "kind", ["seeker_profile", "employer_offer", "match_summary", "bargain", "program"]
)
def test_every_kind_of_pdf_in_french_holds_no_english(cast, world, kind):
    from practitioners.services.bargains import bargain_start
    from reports.documents import report_pdf
    from reports.models import Report
    from tests.reports.conftest import pdf_text
    from tests.seekers.conftest import fill_answers

    fill_answers(world.consented, world.factor.version)
    bargain_start(placement=world.placement, by=cast.practitioner, language="fr")
    owner, params = {
        "seeker_profile": (cast.seeker.user, {"seeker": world.consented.pk}),
        "employer_offer": (cast.employer, {"organisation": cast.organisation.pk}),
        "match_summary": (
            cast.practitioner,
            {"seeker": world.consented.pk, "role": world.published_role.pk},
        ),
        "bargain": (cast.practitioner, {"placement": world.placement.pk}),
        "program": (cast.admin, {}),
    }[kind]
    report = Report(owner=owner, kind=kind, params=params, language="fr", title="Rapport")
    text = pdf_text(report_pdf(report=report))
    left = english_left(text, typed_data())
    assert not left, "\n".join(left)

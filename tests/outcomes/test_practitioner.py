"""A practitioner sees the follow-ups due for their caseload and records one from a call."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from outcomes.models import FollowUp, FollowUpParty, FollowUpSource
from tests.outcomes.conftest import make_placement

LIST = reverse("outcomes:follow_up_list")


@pytest.fixture
def due(placement):
    worker = FollowUp.objects.create(
        placement=placement, party=FollowUpParty.WORKER, month=1, due_on=date(2026, 2, 28)
    )
    employer = FollowUp.objects.create(
        placement=placement, party=FollowUpParty.EMPLOYER, month=1, due_on=date(2026, 2, 28)
    )
    return worker, employer


def test_the_practitioner_sees_their_caseloads_follow_ups(cast, due):
    page = cast.client_for(cast.practitioner).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 follow-ups due" in html
    assert cast.seeker.user.display_name in html and "Harbour Café" in html
    assert reverse("outcomes:follow_up_record", args=[due[0].pk]) in html


def test_another_offices_practitioner_sees_none_of_them(cast, due):
    for show in ("mine", "office"):
        html = cast.client_for(cast.practitioner2).get(LIST, {"show": show}).content.decode()
        assert "0 follow-ups due" in html and "Harbour Café" not in html


def test_admin_sees_them_under_office_view(cast, due):
    html = cast.client_for(cast.admin).get(LIST, {"show": "office"}).content.decode()
    assert "2 follow-ups due" in html


@pytest.mark.parametrize("who", ["seeker", "employer"])
def test_clients_may_not_open_the_list(cast, due, who):
    user = cast.seeker.user if who == "seeker" else cast.employer
    assert cast.client_for(user).get(LIST).status_code == 403
    url = reverse("outcomes:follow_up_record", args=[due[0].pk])
    assert cast.client_for(user).get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(cast, due):
    assert cast.client_for(None).get(LIST).status_code == 302


def test_wrong_method_and_bad_id(cast, due):
    client = cast.client_for(cast.practitioner)
    assert client.post(LIST).status_code == 405
    assert client.put(reverse("outcomes:follow_up_record", args=[due[0].pk])).status_code == 405
    assert client.get(reverse("outcomes:follow_up_record", args=[999999])).status_code == 404


def test_a_stranger_gets_404(cast, due):
    url = reverse("outcomes:follow_up_record", args=[due[0].pk])
    assert cast.client_for(cast.practitioner2).get(url).status_code == 404
    assert cast.client_for(cast.practitioner2).post(url, {"still_there": "yes"}).status_code == 404


def test_recording_from_a_phone_call_keeps_the_source(cast, due):
    url = reverse("outcomes:follow_up_record", args=[due[1].pk])
    client = cast.client_for(cast.practitioner)
    assert "How was the answer given?" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "source": "phone",
            "still_there": "left",
            "who_decided": "employer",
            "left_on": "2026-02-20",
            "pushed_apart": ["skills_competencies"],
            "sat_skills_competencies": "2",
        },
    )
    assert response.status_code == 302 and response["Location"] == LIST
    follow_up = FollowUp.objects.get(pk=due[1].pk)
    assert follow_up.source == FollowUpSource.PHONE
    assert follow_up.recorded_by == cast.practitioner
    assert follow_up.still_there == "left"
    # the list no longer shows it as due; the answered page shows what was said
    assert "1 follow-up due" in client.get(LIST).content.decode()
    detail = client.get(url).content.decode()
    assert "Phone call" in detail and "Skills &amp; competencies" in detail
    # a second post is not a second answer
    again = client.post(url, {"source": "email", "still_there": "yes"})
    assert again.status_code == 200
    assert FollowUp.objects.get(pk=due[1].pk).source == FollowUpSource.PHONE


def test_online_link_is_not_a_source_staff_can_choose(cast, due):
    url = reverse("outcomes:follow_up_record", args=[due[0].pk])
    response = cast.client_for(cast.practitioner).post(
        url, {"source": "online_link", "still_there": "yes"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert FollowUp.objects.get(pk=due[0].pk).answered_at is None


def test_an_office_colleague_may_read_but_not_record(cast, due):
    from tests.factories import PractitionerFactory

    colleague = PractitionerFactory(office=cast.practitioner.office)
    url = reverse("outcomes:follow_up_record", args=[due[0].pk])
    html = cast.client_for(colleague).get(LIST, {"show": "office"}).content.decode()
    assert "2 follow-ups due" in html
    assert cast.client_for(colleague).get(url).status_code == 403


def test_the_bargain_link_shows_only_when_the_page_exists(cast, placement):
    from outcomes.views import bargain_revisit_url

    three = FollowUp.objects.create(
        placement=placement, party=FollowUpParty.WORKER, month=3, due_on=date(2026, 4, 30)
    )
    one = FollowUp(placement=placement, party=FollowUpParty.WORKER, month=1)
    assert bargain_revisit_url(one) is None
    page = cast.client_for(cast.practitioner).get(
        reverse("outcomes:follow_up_record", args=[three.pk])
    )
    assert page.status_code == 200  # no 500 whether or not the revisit page exists


def test_the_list_costs_the_same_queries_for_few_and_many(cast, due):
    client = cast.client_for(cast.practitioner)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(6):
        p = make_placement(cast, started_on=date(2025, 6, 1))
        for party in FollowUpParty.values:
            FollowUp.objects.create(placement=p, party=party, month=6, due_on=date(2025, 12, 1))
    with CaptureQueriesContext(connection) as many:
        html = client.get(LIST).content.decode()
    assert "14 follow-ups due" in html
    assert len(many) == len(few)


def test_the_client_record_shows_follow_ups_and_beliefs_before_and_after(cast, placement):
    from factors.models import MindsetPrompt
    from factors.scales import Side
    from outcomes.services import FollowUpAnswer, follow_up_answer
    from practitioners.models import client_url
    from seekers.services import MindsetInput, mindset_record, welcome_accept

    welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    prompts = list(MindsetPrompt.objects.filter(side=Side.WORKER, retired=False))
    version = prompts[0].factor.version
    import uuid

    mindset_record(
        seeker=cast.seeker,
        version=version,
        token=uuid.uuid4(),
        responses=[MindsetInput(prompt=p, agreement=5) for p in prompts],
    )
    three = FollowUp.objects.create(
        placement=placement, party=FollowUpParty.WORKER, month=3, due_on=date(2026, 4, 30)
    )
    follow_up_answer(
        follow_up=three,
        answer=FollowUpAnswer(still_there="yes", mindset={p.pk: 2 for p in prompts}),
        source="phone",
        recorded_by=cast.practitioner,
    )
    html = cast.client_for(cast.practitioner).get(client_url(cast.seeker)).content.decode()
    assert "Placements and follow-ups" in html and "Still there (Phone call)" in html
    assert "Beliefs about work, before and after" in html
    assert prompts[0].text_en in html
    employer_record = cast.client_for(cast.practitioner).get(client_url(cast.organisation))
    assert "3 months · Worker" in employer_record.content.decode()

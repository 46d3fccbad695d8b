"""Every seeker URL: owner 200, stranger 404, wrong role 403, wrong method 405, bad id 404,
hostile input refused with a clear message and nothing saved, never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factors.models import Item
from seekers import services
from seekers.models import (
    Answer,
    ErasureRequest,
    MindsetRound,
    ProfileSnapshot,
    Reflection,
)

from .conftest import fill_answers

pytestmark = pytest.mark.django_db

GET_PAGES = [
    ("seekers:home", []),
    ("seekers:welcome", []),
    ("seekers:mindset", []),
    ("seekers:activity", ["values"]),
    ("seekers:profile", []),
    ("seekers:history", []),
    ("seekers:my_data", []),
    ("seekers:export_json", []),
    ("seekers:export_csv", []),
]
POST_ONLY = [
    ("seekers:profile_retake", []),
    ("seekers:sharing", []),
    ("seekers:consent_withdraw", []),
    ("seekers:erasure_request", []),
    ("seekers:erasure_cancel", []),
    ("seekers:activity_reflection", ["values"]),
]


@pytest.fixture
def snapshot(consented, version):
    fill_answers(consented.seeker, version)
    return services.profile_retake(seeker=consented.seeker)


@pytest.fixture
def employer_consent(consented):
    return services.consent_grant_employer(
        seeker=consented.seeker, organisation=consented.organisation, source="seeker"
    )


@pytest.mark.parametrize(("name", "args"), GET_PAGES)
def test_owner_gets_page_and_other_roles_are_refused(consented, name, args):
    url = reverse(name, args=args)
    assert consented.client_for(consented.seeker.user).get(url).status_code == 200
    for other in (consented.employer, consented.practitioner, consented.admin):
        assert consented.client_for(other).get(url).status_code == 403
    anonymous = consented.client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "args"), POST_ONLY)
def test_post_only_views_refuse_get(consented, name, args):
    url = reverse(name, args=args)
    assert consented.client_for(consented.seeker.user).get(url).status_code == 405
    assert consented.client_for(consented.employer).post(url).status_code == 403


def test_pages_that_show_a_record_by_id(consented, snapshot, employer_consent, version):
    owner = consented.client_for(consented.seeker.user)
    stranger = consented.client_for(consented.seeker2.user)
    detail = reverse("seekers:history_detail", args=[snapshot.pk])
    assert owner.get(detail).status_code == 200
    assert stranger.get(detail).status_code == 404
    assert consented.client_for(consented.employer).get(detail).status_code == 403
    assert owner.post(detail).status_code == 405
    assert owner.get(reverse("seekers:history_detail", args=[999999])).status_code == 404

    withdraw = reverse("seekers:employer_consent_withdraw", args=[employer_consent.pk])
    assert owner.get(withdraw).status_code == 405
    assert stranger.post(withdraw).status_code == 404
    assert consented.client_for(consented.employer).post(withdraw).status_code == 403
    employer_consent.refresh_from_db()
    assert employer_consent.withdrawn_at is None
    bad = reverse("seekers:employer_consent_withdraw", args=[999999])
    assert owner.post(bad).status_code == 404
    assert owner.post(withdraw).status_code == 302
    employer_consent.refresh_from_db()
    assert employer_consent.withdrawn_at is not None


def test_unknown_factor_and_foreign_items_are_404(consented, version):
    client = consented.client_for(consented.seeker.user)
    assert client.get("/me/activities/not-a-factor/").status_code == 404
    assert client.get("/me/activities/%3Cscript%3E/").status_code == 404
    culture_item = Item.objects.get(factor__version=version, code="culture-respect")
    url = reverse("seekers:activity_item", args=["values", culture_item.pk])
    assert client.post(url, {f"item-{culture_item.pk}-level": "2"}).status_code == 404
    assert client.post(reverse("seekers:activity_item", args=["values", 999999])).status_code == 404
    assert (
        client.get(reverse("seekers:activity_item", args=["values", culture_item.pk])).status_code
        == 405
    )
    assert not Answer.objects.exists()


def test_retired_item_cannot_be_answered(consented, version):
    from .conftest import publish_next_version

    new = publish_next_version(
        change=lambda draft: Item.objects.filter(
            factor__version=draft, code="values-purpose"
        ).update(retired=True)
    )
    retired = Item.objects.get(factor__version=new, code="values-purpose")
    old = Item.objects.get(factor__version=version, code="values-purpose")
    client = consented.client_for(consented.seeker.user)
    for item in (retired, old):
        url = reverse("seekers:activity_item", args=["values", item.pk])
        assert client.post(url, {f"item-{item.pk}-level": "2"}).status_code == 404
    page = client.get(reverse("seekers:activity", args=["values"])).content.decode()
    assert "Work that is useful and has a purpose" not in page
    assert not Answer.objects.exists()


def test_activities_wait_for_consent(cast):
    client = cast.client_for(cast.seeker.user)
    for name, args in [
        ("seekers:mindset", []),
        ("seekers:activity", ["values"]),
        ("seekers:profile", []),
        ("seekers:history", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response["Location"] == reverse("seekers:welcome")
    # My data is always available: rights do not depend on consent.
    assert client.get(reverse("seekers:my_data")).status_code == 200
    assert client.get(reverse("seekers:export_json")).status_code == 200


# --- hostile and mistaken input ---------------------------------------------------------------


def _values_items(version):
    return list(Item.objects.filter(factor__version=version, factor__key="values", retired=False))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("7", "Choose one of the answers shown."),
        ("abc", "Choose one of the answers shown."),
        ("-1", "Choose one of the answers shown."),
        ("2.5", "Choose one of the answers shown."),
    ],
)
def test_full_post_with_a_bad_level_saves_nothing(consented, version, value, message):
    items = _values_items(version)
    data = {f"item-{i.pk}-level": "2" for i in items}
    data[f"item-{items[3].pk}-level"] = value
    data["reflection"] = "kept only if all is well"
    response = consented.client_for(consented.seeker.user).post(
        reverse("seekers:activity", args=["values"]), data
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem. Nothing was saved." in html
    assert f'href="#id_item-{items[3].pk}-level_0"' in html and message in html
    assert 'aria-invalid="true"' in html
    assert not Answer.objects.exists() and not Reflection.objects.exists()


def test_full_post_with_an_item_of_another_factor_saves_nothing(consented, version):
    items = _values_items(version)
    culture = Item.objects.get(factor__version=version, code="culture-respect")
    data = {f"item-{i.pk}-level": "2" for i in items}
    data[f"item-{culture.pk}-level"] = "3"
    response = consented.client_for(consented.seeker.user).post(
        reverse("seekers:activity", args=["values"]), data
    )
    assert response.status_code == 400
    assert "not in this activity" in response.content.decode()
    assert not Answer.objects.exists()


def test_full_post_with_huge_text_saves_nothing(consented, version):
    skills = Item.objects.filter(factor__version=version, factor__key="skills_competencies")
    offer = skills.filter(direction="worker_offers").first()
    data = {f"item-{offer.pk}-level": "3", f"item-{offer.pk}-example": "x" * 5000}
    data["reflection"] = "y" * 50_000
    response = consented.client_for(consented.seeker.user).post(
        reverse("seekers:activity", args=["skills_competencies"]), data
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Keep the example under 500 characters." in html
    assert "Keep your reflection under 2000 characters." in html
    assert not Answer.objects.exists() and not Reflection.objects.exists()


def test_dealbreaker_that_does_not_matter_is_explained(consented, version):
    item = _values_items(version)[0]
    response = consented.client_for(consented.seeker.user).post(
        reverse("seekers:activity", args=["values"]),
        {f"item-{item.pk}-level": "0", f"item-{item.pk}-dealbreaker": "on"},
    )
    assert response.status_code == 400
    assert "cannot also be “Not important”" in response.content.decode()


def test_empty_post_saves_nothing_and_is_not_an_error(consented, version):
    response = consented.client_for(consented.seeker.user).post(
        reverse("seekers:activity", args=["values"]), {}
    )
    assert response.status_code == 302 and not Answer.objects.exists()


def test_double_submit_of_an_activity_keeps_one_answer_each(consented, version):
    items = _values_items(version)
    data = {f"item-{i.pk}-level": "3" for i in items}
    client = consented.client_for(consented.seeker.user)
    url = reverse("seekers:activity", args=["values"])
    client.post(url, data)
    client.post(url, data)
    assert Answer.objects.filter(seeker=consented.seeker).count() == len(items)


def test_autosave_refuses_bad_input_with_a_reason(consented, version):
    item = _values_items(version)[0]
    client = consented.client_for(consented.seeker.user)
    url = reverse("seekers:activity_item", args=["values", item.pk])
    for data, reason in [
        ({f"item-{item.pk}-level": "9"}, "Choose one of the answers shown."),
        ({f"item-{item.pk}-level": "x"}, "Choose one of the answers shown."),
        ({}, "Choose one of the answers."),
        ({f"item-{item.pk}-dealbreaker": "on"}, "Choose how much it matters, too."),
    ]:
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 422
        assert reason in response.content.decode() and "Not saved" in response.content.decode()
    assert not Answer.objects.exists()
    ok = client.post(url, {f"item-{item.pk}-level": "2"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "data-save-status" in ok.content.decode()


def test_autosave_of_reflection(consented, version):
    client = consented.client_for(consented.seeker.user)
    url = reverse("seekers:activity_reflection", args=["values"])
    assert client.post(url, {"reflection": "z" * 2001}).status_code == 422
    assert client.post(url, {"reflection": "A proud day"}).status_code == 200
    assert Reflection.objects.get().text == "A proud day"


def test_a_null_character_in_an_autosaved_reflection_is_refused_not_500(consented, version):
    client = consented.client_for(consented.seeker.user)
    url = reverse("seekers:activity_reflection", args=["values"])
    response = client.post(url, {"reflection": "A proud\x00 day"})
    assert response.status_code == 422
    assert "Null characters are not allowed." in response.content.decode()
    assert not Reflection.objects.exists()


def test_mindset_form_errors_are_listed_and_linked(consented, version):
    client = consented.client_for(consented.seeker.user)
    response = client.post(reverse("seekers:mindset"), {"token": "not-a-uuid"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Choose how much you agree.") >= 12
    assert 'href="#id_prompt-' in html
    assert not MindsetRound.objects.exists()


def test_mindset_double_submit_keeps_one_round(consented, version):
    client = consented.client_for(consented.seeker.user)
    html = client.get(reverse("seekers:mindset")).content.decode()
    import re

    token = re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)
    data = {"token": token}
    for pk in re.findall(r'name="prompt-(\d+)-agreement"', html):
        data[f"prompt-{pk}-agreement"] = "3"
    client.post(reverse("seekers:mindset"), data)
    client.post(reverse("seekers:mindset"), data)
    assert MindsetRound.objects.count() == 1


def test_welcome_and_sharing_refuse_nonsense(consented):
    client = consented.client_for(consented.seeker.user)
    response = client.post(reverse("seekers:sharing"), {"share": "maybe"}, follow=True)
    assert "Choose whether to share" in response.content.decode()
    response = client.post(reverse("seekers:sharing"), {"share": "no"})
    assert response.status_code == 302
    from seekers.selectors import shares_with_practitioner

    assert not shares_with_practitioner(seeker=consented.seeker)


def test_retake_double_submit_keeps_one_snapshot(consented, version):
    fill_answers(consented.seeker, version)
    client = consented.client_for(consented.seeker.user)
    client.post(reverse("seekers:profile_retake"))
    client.post(reverse("seekers:profile_retake"))
    assert ProfileSnapshot.objects.count() == 1


def test_retake_of_an_incomplete_profile_is_explained(consented, version):
    response = consented.client_for(consented.seeker.user).post(
        reverse("seekers:profile_retake"), follow=True
    )
    assert "Finish all six activities before you start again." in response.content.decode()
    assert not ProfileSnapshot.objects.exists()


def test_withdrawing_consent_returns_to_the_welcome(consented):
    client = consented.client_for(consented.seeker.user)
    response = client.post(reverse("seekers:consent_withdraw"), follow=True)
    html = response.content.decode()
    assert "You have withdrawn your agreement." in html and "What we keep" in html
    assert client.get(reverse("seekers:profile"))["Location"] == reverse("seekers:welcome")


def test_profile_lists_employers_and_withdraws(consented, employer_consent):
    client = consented.client_for(consented.seeker.user)
    html = client.get(reverse("seekers:profile")).content.decode()
    assert "Harbour Café can see your profile" in html
    client.post(reverse("seekers:employer_consent_withdraw", args=[employer_consent.pk]))
    html = client.get(reverse("seekers:profile")).content.decode()
    assert "No employer can see your profile." in html
    assert "Harbour Café: you stopped sharing on" in html


def test_erasure_request_needs_confirmation_and_can_be_cancelled(consented):
    client = consented.client_for(consented.seeker.user)
    response = client.post(reverse("seekers:erasure_request"), {})
    assert response.status_code == 400 and "Tick the box to confirm." in response.content.decode()
    assert not ErasureRequest.objects.exists()
    client.post(reverse("seekers:erasure_request"), {"confirm": "on"})
    client.post(reverse("seekers:erasure_request"), {"confirm": "on"})
    assert ErasureRequest.objects.filter(status="pending").count() == 1
    client.post(reverse("seekers:erasure_cancel"))
    assert ErasureRequest.objects.get().status == "cancelled"


# --- staff erasure view -----------------------------------------------------------------


def test_erasure_staff_views(consented):
    request = services.erasure_request(seeker=consented.seeker)
    listing = reverse("seeker_staff:erasure_list")
    confirm = reverse("seeker_staff:erasure_confirm", args=[request.pk])
    own, other = (
        consented.client_for(consented.practitioner),
        consented.client_for(consented.practitioner2),
    )
    assert consented.seeker.user.email in own.get(listing).content.decode()
    assert consented.seeker.user.email not in other.get(listing).content.decode()
    for role in (consented.seeker.user, consented.employer):
        assert consented.client_for(role).get(listing).status_code == 403
        assert consented.client_for(role).post(confirm, {"confirm": "on"}).status_code == 403
    assert own.get(confirm).status_code == 405
    assert other.post(confirm, {"confirm": "on"}).status_code == 404
    bad = reverse("seeker_staff:erasure_confirm", args=[999999])
    assert own.post(bad, {"confirm": "on"}).status_code == 404
    response = own.post(confirm, {}, follow=True)
    assert "Tick the box to confirm the erasure." in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"
    consented.client_for(consented.admin).post(confirm, {"confirm": "on"})
    request.refresh_from_db()
    assert request.status == "done"
    again = own.post(confirm, {"confirm": "on"})
    assert again.status_code == 404  # no longer pending: not in the list


# --- query counts -------------------------------------------------------------------------


@pytest.fixture
def frozen_clock():
    """The session's last-seen time is rewritten once a minute: a slow run must not
    cross that line between two measured requests."""
    import time_machine

    with time_machine.travel("2026-11-20 10:00 -0400", tick=False):
        yield


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _data(seeker, version, *, factors, rounds, snapshots, employers):
    """Some of every kind of record; the second call adds many more of each."""
    import uuid as _uuid

    from seekers.selectors import mindset_prompts
    from seekers.services import MindsetInput, mindset_record
    from tests.factories import OrganisationFactory

    Answer.objects.filter(seeker=seeker).delete()
    fill_answers(
        seeker, version, level=lambda i: 3, example=lambda i: "An example", factors=factors
    )
    for factor in version.factors.filter(key__in=factors):
        Reflection.objects.update_or_create(seeker=seeker, factor=factor, defaults={"text": "S"})
    prompts = mindset_prompts(version=version)
    for n in range(rounds):
        mindset_record(
            seeker=seeker,
            version=version,
            token=_uuid.uuid4(),
            responses=[MindsetInput(p, 1 + n % 5) for p in prompts],
        )
    for _ in range(snapshots):
        ProfileSnapshot.objects.create(seeker=seeker, version=version, data={"answers": {}})
    for _ in range(employers):
        services.consent_grant_employer(
            seeker=seeker, organisation=OrganisationFactory(), source="seeker"
        )


ALL_FACTORS = {
    "values",
    "culture",
    "work_arrangements",
    "skills_competencies",
    "productivity_engagement",
    "pay_benefits",
}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("seekers:profile", []),
        ("seekers:activity", ["skills_competencies"]),
        ("seekers:home", []),
        ("seekers:history", []),
        ("seekers:mindset", []),
    ],
)
def test_query_counts_do_not_grow_with_answers_and_history(
    frozen_clock, consented, version, name, args
):
    client = consented.client_for(consented.seeker.user)
    url = reverse(name, args=args)
    seeker = consented.seeker
    _data(seeker, version, factors={"skills_competencies"}, rounds=1, snapshots=1, employers=1)
    client.get(url)  # warm up: session, first carry-forward
    small = _count(client, url)
    _data(seeker, version, factors=ALL_FACTORS, rounds=4, snapshots=8, employers=5)
    client.get(url)
    assert _count(client, url) == small


def test_export_query_count_does_not_grow(frozen_clock, consented, version):
    client = consented.client_for(consented.seeker.user)
    url = reverse("seekers:export_json")
    seeker = consented.seeker
    _data(seeker, version, factors={"values"}, rounds=1, snapshots=1, employers=1)
    services.erasure_request(seeker=seeker)
    client.get(url)  # warm up: the session's first request writes it
    small = _count(client, url)
    _data(seeker, version, factors=ALL_FACTORS, rounds=4, snapshots=8, employers=5)
    assert _count(client, url) == small


def test_export_holds_the_seekers_matches_and_placements(consented):
    from matches.models import Pair, PairStatus
    from practitioners.models import Placement
    from tests.employers.conftest import make_role

    seeker = consented.seeker
    role = make_role(consented.organisation, title="Line cook", status="published")
    Pair.objects.create(seeker=seeker, role=role, status=PairStatus.SHORTLISTED)
    Placement.objects.create(
        seeker=seeker,
        organisation=consented.organisation,
        role=role,
        started_on=datetime.date(2026, 10, 1),
        hours_per_week=30,
        wage=18,
        wage_period="hour",
        delivery_method="self_serve",
    )
    client = consented.client_for(seeker.user)
    data = client.get(reverse("seekers:export_json")).json()
    assert data["matches"][0]["role"] == "Line cook"
    assert data["matches"][0]["employer"] == consented.organisation.name
    assert data["placements"][0]["started"] == "2026-10-01"
    table = client.get(reverse("seekers:export_csv")).content.decode()
    assert "placement" in table and "Line cook" in table

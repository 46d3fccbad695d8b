"""Assisted sessions: a practitioner fills in a client's activity with them, one to one.

The answers go through the clients' own services, are marked as given with that
practitioner's help, and the client is then served one-to-one. Only the client's own
practitioner (or an admin) may do it; a seeker must share with their practitioner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from employers.models import OfferAnswer
from factors.delivery import DeliveryMethod
from factors.models import Item
from factors.scales import Importance, OfferLevel
from factors.selectors import current_version
from seekers import services as seeker_services
from seekers.models import Answer
from tests.practitioners.conftest import record_url

pytestmark = pytest.mark.django_db


def _url(client_obj, key="work_arrangements"):
    segment = "seekers" if hasattr(client_obj, "user") else "employers"
    return reverse("practitioners:assisted_activity", args=[segment, client_obj.pk, key])


def _items(key="work_arrangements"):
    return list(
        Item.objects.filter(factor__version=current_version(), factor__key=key, retired=False)
    )


def _seeker_post(items, level=Importance.MUST_HAVE):
    data = {"then": "record", "reflection": "Evenings matter."}
    for item in items:
        data[f"item-{item.pk}-level"] = str(level if item.is_need else 2)
    return data


def _offer_post(items, level=OfferLevel.OFFERED):
    data = {"then": "record"}
    for item in items:
        data[f"level-{item.pk}"] = str(level if item.is_need else 2)
    return data


@pytest.fixture
def sharing(cast):
    seeker_services.welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    return cast


def test_seeker_answers_are_saved_with_the_practitioners_help(sharing):
    cast = sharing
    items = _items()
    client = cast.client_for(cast.practitioner)
    page = client.get(_url(cast.seeker))
    assert page.status_code == 200
    assert "one-to-one session" in page.content.decode()
    response = client.post(_url(cast.seeker), _seeker_post(items))
    assert response.status_code == 302
    answers = Answer.objects.filter(seeker=cast.seeker)
    assert answers.count() == len(items)
    assert set(answers.values_list("assisted_by", flat=True)) == {cast.practitioner.pk}
    cast.seeker.refresh_from_db()
    assert cast.seeker.delivery_method == DeliveryMethod.ONE_TO_ONE
    html = client.get(record_url(cast.seeker)).content.decode()
    name = cast.practitioner.display_name
    assert f"answered with {name}\u2019s help" in html
    again = client.get(_url(cast.seeker)).content.decode()
    assert f"Answered with {name}\u2019s help" in again


def test_employer_offer_is_saved_with_the_practitioners_help(cast):
    items = _items()
    client = cast.client_for(cast.practitioner)
    assert client.get(_url(cast.organisation)).status_code == 200
    response = client.post(_url(cast.organisation), _offer_post(items))
    assert response.status_code == 302
    rows = OfferAnswer.objects.filter(organisation=cast.organisation)
    assert rows.count() == len(items)
    assert set(rows.values_list("assisted_by", flat=True)) == {cast.practitioner.pk}
    cast.organisation.refresh_from_db()
    assert cast.organisation.delivery_method == DeliveryMethod.ONE_TO_ONE
    page = client.get(_url(cast.organisation)).content.decode()
    assert f"Answered with {cast.practitioner.display_name}\u2019s help" in page


def test_next_goes_to_the_following_activity(sharing):
    cast = sharing
    data = _seeker_post(_items()) | {"then": "next"}
    response = cast.client_for(cast.practitioner).post(_url(cast.seeker), data)
    assert response.status_code == 302
    assert "/assisted/" in response["Location"]


def test_a_seeker_who_does_not_share_cannot_be_assisted(cast):
    from seekers.models import ConsentKind

    client = cast.client_for(cast.practitioner)
    response = client.get(_url(cast.seeker))
    assert response.status_code == 409
    assert "not agreed yet" in response.content.decode()
    seeker_services.consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    response = client.post(_url(cast.seeker), _seeker_post(_items()))
    assert response.status_code == 409
    assert "does not share their answers" in response.content.decode()
    assert not Answer.objects.filter(seeker=cast.seeker).exists()
    html = client.get(record_url(cast.seeker)).content.decode()
    assert "does not share their answers" in html


@pytest.mark.parametrize("which", ["seeker", "organisation"])
def test_stranger_404_wrong_role_403_office_colleague_403(sharing, colleague, which):
    cast = sharing
    client_obj = getattr(cast, which)
    url = _url(client_obj)
    post = _seeker_post(_items()) if which == "seeker" else _offer_post(_items())
    assert cast.client_for(cast.practitioner2).get(url).status_code == 404
    assert cast.client_for(cast.practitioner2).post(url, post).status_code == 404
    assert cast.client_for(cast.seeker.user).get(url).status_code == 403
    assert cast.client_for(cast.employer).post(url, post).status_code == 403
    assert cast.client_for(colleague).get(url).status_code == 403
    assert cast.client_for(colleague).post(url, post).status_code == 403
    assert not Answer.objects.exists() and not OfferAnswer.objects.exists()
    assert cast.client_for(cast.admin).get(url).status_code == 200
    assert cast.client_for(cast.practitioner).put(url).status_code == 405
    assert cast.client_for(cast.practitioner).get(_url(client_obj, "nope")).status_code == 404


def test_office_colleague_sees_no_assisted_links(sharing, colleague):
    cast = sharing
    html = cast.client_for(colleague).get(record_url(cast.seeker)).content.decode()
    assert "/assisted/" not in html
    own = cast.client_for(cast.practitioner).get(record_url(cast.seeker)).content.decode()
    assert "/assisted/" in own


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data, items: data | {f"item-{items[0].pk}-level": "9"},
        lambda data, items: data | {"item-999999-level": "1"},
        lambda data, items: data | {"reflection": "x" * 5000},
        lambda data, items: data | {f"item-{items[0].pk}-level": "<script>"},
    ],
)
def test_hostile_seeker_posts_save_nothing(sharing, tamper):
    cast = sharing
    items = _items()
    data = tamper(_seeker_post(items), items)
    response = cast.client_for(cast.practitioner).post(_url(cast.seeker), data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Answer.objects.exists()
    cast.seeker.refresh_from_db()
    assert cast.seeker.delivery_method == DeliveryMethod.SELF_SERVE


@pytest.mark.parametrize(
    "tamper",
    [
        lambda data, items: data | {f"level-{items[0].pk}": "7"},
        lambda data, items: data | {"level-999999": "1"},
        lambda data, items: data | {f"example-{items[0].pk}": "x" * 600},
    ],
)
def test_hostile_offer_posts_save_nothing(cast, tamper):
    items = _items()
    data = tamper(_offer_post(items), items)
    response = cast.client_for(cast.practitioner).post(_url(cast.organisation), data)
    assert response.status_code == 400
    assert not OfferAnswer.objects.exists()
    cast.organisation.refresh_from_db()
    assert cast.organisation.delivery_method == DeliveryMethod.SELF_SERVE

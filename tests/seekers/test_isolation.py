"""seeker2 cannot reach any page or any data of seeker: every URL of the seekers app.

The test walks the URL patterns, so a new seeker view without a case here fails.
"""

from __future__ import annotations

import json

import pytest
from django.urls import get_resolver, reverse

from factors.models import Item
from seekers import services
from seekers.models import Answer, ProfileSnapshot, Reflection

from .conftest import fill_answers

pytestmark = pytest.mark.django_db

SECRET = "Secret example only seeker one wrote"


@pytest.fixture
def two_seekers(consented, version):
    seeker = consented.seeker
    fill_answers(seeker, version, level=lambda i: 3, example=lambda i: SECRET)
    Reflection.objects.create(seeker=seeker, factor=version.factors.get(key="values"), text=SECRET)
    snapshot = services.profile_retake(seeker=seeker)
    consent = services.consent_grant_employer(
        seeker=seeker, organisation=consented.organisation, source="seeker"
    )
    services.erasure_request(seeker=seeker)
    item = Item.objects.get(factor__version=version, code="values-fair-treatment")
    return consented, {"snapshot": snapshot, "consent": consent, "item": item}


def _seeker_url_names() -> set[str]:
    resolver = get_resolver()
    return {
        f"seekers:{name}"
        for name in resolver.namespace_dict["seekers"][1].reverse_dict
        if isinstance(name, str)
    }


def _cases(objects) -> dict[str, tuple[str, str]]:
    """url name -> (method, url) aimed at seeker one's records wherever an id is taken."""
    return {
        "seekers:home": ("get", reverse("seekers:home")),
        "seekers:welcome": ("get", reverse("seekers:welcome")),
        "seekers:mindset": ("get", reverse("seekers:mindset")),
        "seekers:activity": ("get", reverse("seekers:activity", args=["values"])),
        "seekers:activity_item": (
            "post",
            reverse("seekers:activity_item", args=["values", objects["item"].pk]),
        ),
        "seekers:activity_reflection": (
            "post",
            reverse("seekers:activity_reflection", args=["values"]),
        ),
        "seekers:profile": ("get", reverse("seekers:profile")),
        "seekers:profile_retake": ("post", reverse("seekers:profile_retake")),
        "seekers:history": ("get", reverse("seekers:history")),
        "seekers:history_detail": (
            "get",
            reverse("seekers:history_detail", args=[objects["snapshot"].pk]),
        ),
        "seekers:sharing": ("post", reverse("seekers:sharing")),
        "seekers:consent_withdraw": ("post", reverse("seekers:consent_withdraw")),
        "seekers:employer_consent_withdraw": (
            "post",
            reverse("seekers:employer_consent_withdraw", args=[objects["consent"].pk]),
        ),
        "seekers:my_data": ("get", reverse("seekers:my_data")),
        "seekers:export_json": ("get", reverse("seekers:export_json")),
        "seekers:export_csv": ("get", reverse("seekers:export_csv")),
        "seekers:erasure_request": ("post", reverse("seekers:erasure_request")),
        "seekers:erasure_cancel": ("post", reverse("seekers:erasure_cancel")),
    }


def _state(seeker):
    """Everything of seeker one that a stranger must not be able to change."""
    seeker.refresh_from_db()
    return {
        "answers": sorted(
            Answer.objects.filter(seeker=seeker).values_list("item_id", "level", "example")
        ),
        "reflections": sorted(Reflection.objects.filter(seeker=seeker).values_list("text")),
        "snapshots": ProfileSnapshot.objects.filter(seeker=seeker).count(),
        "consents": sorted(seeker.consents.values_list("kind", "withdrawn_at")),
        "employers": sorted(seeker.employer_consents.values_list("pk", "withdrawn_at")),
        "erasure": sorted(seeker.erasure_requests.values_list("status")),
        "active": seeker.user.is_active,
    }


def test_every_seeker_url_is_covered(two_seekers):
    _cast, objects = two_seekers
    assert set(_cases(objects)) == _seeker_url_names()


def test_seeker2_cannot_see_or_change_anything_of_seeker(two_seekers):
    cast, objects = two_seekers
    seeker, intruder = cast.seeker, cast.client_for(cast.seeker2.user)
    before = _state(seeker)
    # The id-addressed records of seeker one are simply not found.
    assert (
        intruder.get(reverse("seekers:history_detail", args=[objects["snapshot"].pk])).status_code
        == 404
    )
    assert (
        intruder.post(
            reverse("seekers:employer_consent_withdraw", args=[objects["consent"].pk])
        ).status_code
        == 404
    )
    # Withdrawing their own consent last, so every page before it is really shown.
    cases = sorted(_cases(objects).items(), key=lambda case: case[0] == "seekers:consent_withdraw")
    for name, (method, url) in cases:
        response = getattr(intruder, method)(url)
        assert response.status_code in (200, 302, 400, 404, 422), name
        body = response.content.decode("utf-8", errors="replace")
        assert SECRET not in body, name
        assert seeker.user.email not in body, name
        assert seeker.user.full_name not in body, name
    assert _state(seeker) == before


def test_seeker2_export_holds_only_seeker2(two_seekers):
    cast, _objects = two_seekers
    data = json.loads(
        cast.client_for(cast.seeker2.user).get(reverse("seekers:export_json")).content
    )
    assert data["account"]["email"] == cast.seeker2.user.email
    assert data["answers"] == [] and data["saved_profiles"] == []
    assert data["consents"]["employers"] == []

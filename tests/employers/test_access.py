"""Who may reach each employer URL: the member of the business only.

Owner 200, another business's member 404 (and nothing changes), wrong role 403,
anonymous to sign-in, wrong method 405, bad ids 404. A walk over the URLconf makes sure
every employer URL is in these tables, so a new one cannot ship untested.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from employers.models import JobPosting, JobRole, OfferAnswer, RoleOfferOverride
from tests.employers.conftest import ROLE_POST, make_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# url name -> (needs a role id, methods the view accepts)
GET_PAGES = {
    "employers:home": False,
    "employers:mindset": False,
    "employers:activity": False,
    "employers:offer_profile": False,
    "employers:builder": False,
    "employers:role_list": False,
    "employers:role_create": False,
    "employers:role_detail": True,
    "employers:role_edit": True,
    "employers:role_offer": True,
    "employers:posting_edit": True,
    "employers:posting_download": True,
    "employers:colleagues": False,
}
POST_ONLY = {
    "employers:activity_item_save": False,
    "employers:builder_adopt": False,
    "employers:role_publish": True,
    "employers:role_close": True,
    "employers:posting_check": True,
    "employers:invitation_withdraw": False,  # its id is an invitation's: test_colleagues.py
}
GET_ONLY = {
    "employers:home",
    "employers:offer_profile",
    "employers:builder",
    "employers:role_list",
    "employers:role_detail",
    "employers:posting_download",
}


def url_for(name: str, *, role: JobRole, items) -> str:
    if name == "employers:activity":
        return reverse(name, args=["values"])
    if name == "employers:activity_item_save":
        return reverse(name, args=["values", items["values-purpose"].pk])
    if name == "employers:invitation_withdraw":
        return reverse(name, args=[1])
    if {**GET_PAGES, **POST_ONLY}[name]:
        return reverse(name, args=[role.pk])
    return reverse(name)


def test_every_employer_url_is_in_these_tables():
    names = {
        f"employers:{p.name}"
        for p in get_resolver().url_patterns
        if getattr(p, "namespace", None) == "employers"
        for p in p.url_patterns
    }
    assert names == set(GET_PAGES) | set(POST_ONLY)


@pytest.mark.parametrize("name", sorted(GET_PAGES))
def test_member_gets_each_page(cast, items, name):
    role = make_role(cast.organisation)
    response = cast.client_for(cast.employer).get(url_for(name, role=role, items=items))
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted({**GET_PAGES, **POST_ONLY}))
def test_wrong_roles_get_403_and_anonymous_goes_to_sign_in(cast, items, name):
    role = make_role(cast.organisation)
    url = url_for(name, role=role, items=items)
    method = "post" if name in POST_ONLY else "get"
    for user in (cast.seeker.user, cast.practitioner, cast.admin):
        assert getattr(cast.client_for(user), method)(url).status_code == 403
    anonymous = getattr(cast.client_for(None), method)(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_get_on_post_only_url_is_405(cast, items, name):
    role = make_role(cast.organisation)
    response = cast.client_for(cast.employer).get(url_for(name, role=role, items=items))
    assert response.status_code == 405


@pytest.mark.parametrize("name", sorted(GET_ONLY))
def test_post_on_get_only_url_is_405(cast, items, name):
    role = make_role(cast.organisation)
    response = cast.client_for(cast.employer).post(url_for(name, role=role, items=items))
    assert response.status_code == 405


@pytest.mark.parametrize(
    "name", sorted(n for n, has_id in {**GET_PAGES, **POST_ONLY}.items() if has_id)
)
def test_another_business_cannot_reach_or_change_a_role(cast, items, name):
    """employer2 tries every role URL of employer's business, by GET and by POST."""
    role = make_role(cast.organisation, title="Barista")
    JobPosting.objects.create(role=role, text="Our own words.", language="en")
    url = url_for(name, role=role, items=items)
    intruder = cast.client_for(cast.employer2)
    assert intruder.get(url).status_code in (404, 405)
    payload = {
        **ROLE_POST,
        "title": "Hijacked",
        "text": "Hijacked text",
        "language": "en",
        f"offer-{items['arrange-remote-hybrid'].pk}": "0",
    }
    assert intruder.post(url, payload).status_code in (404, 405)
    role.refresh_from_db()
    assert role.title == "Barista" and role.status == "draft"
    assert JobPosting.objects.get(role=role).text == "Our own words."
    assert not RoleOfferOverride.objects.filter(role=role).exists()


def test_role_ids_that_do_not_exist_or_are_malformed_are_404(cast):
    client = cast.client_for(cast.employer)
    assert client.get("/business/roles/999999/").status_code == 404
    assert client.get("/business/roles/999999/posting/").status_code == 404
    assert client.post("/business/roles/999999/publish/").status_code == 404
    assert client.get("/business/roles/abc/").status_code == 404
    assert client.get("/business/roles/-1/").status_code == 404


def test_unknown_factor_and_foreign_item_are_404(cast, items):
    client = cast.client_for(cast.employer)
    assert client.get("/business/activities/not-a-factor/").status_code == 404
    assert client.get("/business/activities/%3Cscript%3E/").status_code == 404
    # An item of another factor, and an item that does not exist, under the values activity.
    culture_item = items["culture-respect"].pk
    for item_id in (culture_item, 999999):
        url = reverse("employers:activity_item_save", args=["values", item_id])
        assert client.post(url, {f"level-{item_id}": "2"}).status_code == 404
    assert not OfferAnswer.objects.exists()


def test_pages_without_ids_show_only_the_members_own_business(cast, items):
    OfferAnswer.objects.create(
        organisation=cast.organisation, item=items["values-purpose"], level=2, example="Secret A"
    )
    make_role(cast.organisation, title="Harbour barista")
    client = cast.client_for(cast.employer2)
    for name in ("employers:home", "employers:offer_profile", "employers:builder"):
        html = client.get(reverse(name)).content.decode()
        assert "Harbour Café" not in html and "Secret A" not in html
    assert "Cabot Outfitters" in client.get(reverse("employers:home")).content.decode()
    assert "Harbour barista" not in client.get(reverse("employers:role_list")).content.decode()
    # What employer2 saves lands in their own business, never in employer's.
    client.post(
        reverse("employers:activity", args=["values"]),
        {f"level-{items['values-purpose'].pk}": "0"},
    )
    assert OfferAnswer.objects.get(organisation=cast.organisation).level == 2
    assert OfferAnswer.objects.get(organisation=cast.organisation2).level == 0


def test_employer_account_without_a_business_gets_404(db):
    from accounts.models import Role

    lonely = UserFactory(role=Role.EMPLOYER)
    from django.test import Client

    client = Client()
    client.force_login(lonely)
    assert client.get(reverse("employers:home")).status_code == 404
    assert client.get(reverse("employers:offer_profile")).status_code == 404


@pytest.mark.parametrize("name", sorted(GET_PAGES))
def test_each_page_works_in_french(cast, items, name):
    cast.employer.language = "fr"
    cast.employer.save(update_fields=["language"])
    role = make_role(cast.organisation)
    response = cast.client_for(cast.employer).get(url_for(name, role=role, items=items))
    assert response.status_code == 200
    if name != "employers:posting_download":
        html = response.content.decode()
        assert '<html lang="fr">' in html and "Votre offre" in html  # the room's navigation

"""Each foundation page: owner 200, stranger 404, wrong role 403, wrong method 405."""

from __future__ import annotations

import pytest
from django.urls import reverse

from factors.models import FrameworkVersion, VersionStatus

pytestmark = pytest.mark.django_db


def test_front_page_is_public_and_bilingual(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="en">' in response.content
    client.cookies["django_language"] = "fr"
    response = client.get("/")
    assert b'<html lang="fr">' in response.content
    assert b"Valeurs" in response.content


def test_every_page_has_skip_link_and_landmarks(cast):
    response = cast.client_for(cast.seeker.user).get(reverse("seekers:home"))
    html = response.content.decode()
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html


@pytest.mark.parametrize(
    ("url_name", "owner", "wrong"),
    [
        ("seekers:home", "seeker", "employer"),
        ("employers:home", "employer", "seeker"),
        ("practitioners:queue", "practitioner", "seeker"),
        ("factors:overview", "admin", "practitioner"),
    ],
)
def test_room_access(cast, url_name, owner, wrong):
    users = {
        "seeker": cast.seeker.user,
        "employer": cast.employer,
        "practitioner": cast.practitioner,
        "admin": cast.admin,
    }
    url = reverse(url_name)
    assert cast.client_for(users[owner]).get(url).status_code == 200
    assert cast.client_for(users[wrong]).get(url).status_code == 403
    anonymous = cast.client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert cast.client_for(users[owner]).post(url).status_code == 405


def test_seeker_home_shows_own_name_only(cast):
    html = cast.client_for(cast.seeker.user).get(reverse("seekers:home")).content.decode()
    assert cast.seeker.user.full_name in html
    assert cast.seeker2.user.full_name not in html


def test_employer_home_shows_own_business_only(cast):
    html = cast.client_for(cast.employer).get(reverse("employers:home")).content.decode()
    assert "Harbour Café" in html and "Cabot Outfitters" not in html


def test_practitioner_queue_holds_both_client_types_of_own_caseload(cast):
    html = cast.client_for(cast.practitioner).get(reverse("practitioners:queue")).content.decode()
    assert cast.seeker.user.full_name in html and "Harbour Café" in html
    assert cast.seeker2.user.full_name not in html and "Cabot Outfitters" not in html


def test_queue_query_count_does_not_grow_with_caseload(cast, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MemberFactory, SeekerFactory

    client = cast.client_for(cast.practitioner)
    client.get(reverse("practitioners:queue"))  # warm-up: the first request writes the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("practitioners:queue"))
    SeekerFactory.create_batch(40, practitioner=cast.practitioner)
    MemberFactory.create_batch(30, organisation__practitioner=cast.practitioner)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("practitioners:queue"))
    assert len(large) == len(small)


def test_unknown_factor_key_is_a_404(client):
    assert client.get("/framework/factors/not-a-factor/").status_code == 404
    assert client.get("/framework/factors/%3Cscript%3E/").status_code == 404


def test_factor_page_in_french(client):
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("factors:factor_detail", args=["values"]))
    assert response.status_code == 200
    assert "Valeurs" in response.content.decode()


def test_admin_starts_draft_and_publishes_from_the_browser(cast):
    client = cast.client_for(cast.admin)
    assert client.post(reverse("factors:draft_create")).status_code == 302
    draft = FrameworkVersion.objects.get(status=VersionStatus.DRAFT)
    # A missing note is a clear message, not a 500, and nothing is published.
    response = client.post(reverse("factors:version_publish", args=[draft.number]), {}, follow=True)
    assert "say why" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_published
    response = client.post(
        reverse("factors:version_publish", args=[draft.number]), {"note": "Spring review"}
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.note == "Spring review"


def test_publish_unknown_version_is_404_and_get_is_405(cast):
    client = cast.client_for(cast.admin)
    assert (
        client.post(reverse("factors:version_publish", args=[999]), {"note": "x"}).status_code
        == 404
    )
    assert client.get(reverse("factors:draft_create")).status_code == 405


def test_practitioner_cannot_publish(cast):
    client = cast.client_for(cast.practitioner)
    assert client.post(reverse("factors:draft_create")).status_code == 403


def test_language_switch_saves_choice_on_account(cast):
    client = cast.client_for(cast.seeker.user)
    response = client.post(reverse("language_switch"), {"language": "fr", "next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    cast.seeker.user.refresh_from_db()
    assert cast.seeker.user.language == "fr"
    assert '<html lang="fr">' in client.get("/me/").content.decode()


def test_language_switch_refuses_offsite_redirect_and_bad_language(client):
    response = client.post(
        reverse("language_switch"), {"language": "fr", "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"
    response = client.post(reverse("language_switch"), {"language": "xx"})
    assert response.status_code == 302

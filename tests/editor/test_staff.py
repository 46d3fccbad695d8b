"""Offices and staff: admins only; deactivating an account ends its sessions at once."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Invitation, Office, Role
from accounts.staff import services
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def urls(cast):
    office = cast.practitioner.office
    return {
        "get": [
            reverse("staff:staff_list"),
            reverse("staff:staff_invite"),
            reverse("staff:office_list"),
            reverse("staff:office_rename", args=[office.pk]),
            reverse("staff:staff_deactivate", args=[cast.practitioner.pk]),
        ],
        "post_only": [
            reverse("staff:staff_reactivate", args=[cast.practitioner.pk]),
            reverse("staff:invitation_withdraw", args=[1]),
        ],
    }


def test_admin_reaches_every_staff_page(cast):
    client = cast.client_for(cast.admin)
    for url in urls(cast)["get"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["practitioner", "seeker", "employer"])
def test_other_roles_get_403(cast, who):
    user = {
        "practitioner": cast.practitioner,
        "seeker": cast.seeker.user,
        "employer": cast.employer,
    }[who]
    client = cast.client_for(user)
    everything = urls(cast)
    for url in everything["get"]:
        assert client.get(url).status_code == 403, url
    for url in everything["get"][1:] + everything["post_only"]:
        assert (
            client.post(url, {"name": "X", "email": "x@example.org", "role": "admin"}).status_code
            == 403
        ), url
    cast.practitioner.refresh_from_db()
    assert cast.practitioner.is_active and not Office.objects.filter(name="X").exists()


def test_anonymous_goes_to_sign_in(cast, client):
    everything = urls(cast)
    for url in everything["get"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for url in everything["get"][1:] + everything["post_only"]:
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_bad_ids_and_non_staff_ids_are_404(cast):
    client = cast.client_for(cast.admin)
    assert client.get(reverse("staff:office_rename", args=[999])).status_code == 404
    assert client.get(reverse("staff:staff_deactivate", args=[999])).status_code == 404
    # A seeker is not managed here: their id is not found on these pages.
    assert (
        client.post(reverse("staff:staff_deactivate", args=[cast.seeker.user.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("staff:staff_reactivate", args=[cast.employer.pk])).status_code == 404
    )
    assert client.post(reverse("staff:invitation_withdraw", args=[999])).status_code == 404
    cast.seeker.user.refresh_from_db()
    assert cast.seeker.user.is_active


def test_wrong_methods_are_405(cast):
    client = cast.client_for(cast.admin)
    for url in urls(cast)["post_only"]:
        assert client.get(url).status_code == 405, url
    assert client.post(reverse("staff:staff_list")).status_code == 405
    assert client.put(reverse("staff:office_list")).status_code == 405


def test_create_and_rename_an_office(cast):
    client = cast.client_for(cast.admin)
    response = client.post(
        reverse("staff:office_list"), {"name": "  Truro  ", "region": "Northern"}
    )
    assert response.status_code == 302
    office = Office.objects.get(name="Truro")
    assert office.region == "Northern"
    # The same name in another case is refused with a clear message.
    response = client.post(reverse("staff:office_list"), {"name": "truro"})
    assert response.status_code == 200 and "already an office called" in response.content.decode()
    assert Office.objects.filter(name__iexact="truro").count() == 1
    response = client.post(
        reverse("staff:office_rename", args=[office.pk]), {"name": "Truro Centre", "region": ""}
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.name == "Truro Centre" and office.region == ""
    response = client.post(reverse("staff:office_rename", args=[office.pk]), {"name": "Halifax"})
    assert "already an office called" in response.content.decode()


def test_office_hostile_input(cast):
    client = cast.client_for(cast.admin)
    evil = "<script>alert(1)</script>"
    for data in ({"name": ""}, {"name": "x" * 5000}, {}):
        response = client.post(reverse("staff:office_list"), data)
        assert response.status_code == 200
        assert "Nothing was saved" in response.content.decode()
    client.post(reverse("staff:office_list"), {"name": evil})
    for url in (reverse("staff:office_list"), reverse("staff:staff_invite")):
        html = client.get(url).content.decode()
        assert evil not in html and "&lt;script&gt;" in html


def test_invite_a_practitioner_by_email(cast, django_capture_on_commit_callbacks):
    client = cast.client_for(cast.admin)
    office = cast.practitioner.office
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:staff_invite"),
            {"email": "New.Staff@Example.org", "role": Role.PRACTITIONER, "office": office.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.staff@example.org")
    assert invitation.role == Role.PRACTITIONER and invitation.office == office
    assert invitation.invited_by == cast.admin
    assert mail.outbox[-1].to == ["new.staff@example.org"]
    html = client.get(reverse("staff:staff_list")).content.decode()
    assert "new.staff@example.org" in html
    # Inviting the same person again, or someone with an account, is refused clearly.
    response = client.post(
        reverse("staff:staff_invite"), {"email": "new.staff@example.org", "role": Role.ADMIN}
    )
    assert "already has an invitation waiting" in response.content.decode()
    response = client.post(
        reverse("staff:staff_invite"), {"email": cast.practitioner.email, "role": Role.ADMIN}
    )
    assert "already exists" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_invite_an_admin_and_refuse_odd_roles(cast):
    client = cast.client_for(cast.admin)
    response = client.post(
        reverse("staff:staff_invite"), {"email": "boss@example.org", "role": Role.ADMIN}
    )
    assert response.status_code == 302
    assert Invitation.objects.get(email="boss@example.org").role == Role.ADMIN
    for data in (
        {"email": "p@example.org", "role": Role.PRACTITIONER},  # a practitioner needs an office
        {"email": "s@example.org", "role": Role.SEEKER},  # not staff
        {"email": "not-an-email", "role": Role.ADMIN},
        {"email": "q@example.org", "role": Role.PRACTITIONER, "office": 99999},
    ):
        response = client.post(reverse("staff:staff_invite"), data)
        assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_withdraw_an_invitation(cast):
    client = cast.client_for(cast.admin)
    client.post(reverse("staff:staff_invite"), {"email": "boss@example.org", "role": Role.ADMIN})
    invitation = Invitation.objects.get()
    assert (
        client.post(reverse("staff:invitation_withdraw", args=[invitation.pk])).status_code == 302
    )
    invitation.refresh_from_db()
    assert not invitation.is_pending


def test_deactivating_signs_the_person_out_on_their_next_request(cast):
    admin = cast.client_for(cast.admin)
    practitioner = cast.client_for(cast.practitioner)
    other = cast.client_for(cast.practitioner2)
    assert practitioner.get(reverse("practitioners:queue")).status_code == 200
    assert Session.objects.count() == 3
    assert (
        admin.get(reverse("staff:staff_deactivate", args=[cast.practitioner.pk])).status_code == 200
    )
    response = admin.post(
        reverse("staff:staff_deactivate", args=[cast.practitioner.pk]), follow=True
    )
    assert "signed out everywhere" in response.content.decode()
    response = practitioner.get(reverse("practitioners:queue"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Session.objects.count() == 2  # the admin's and the other practitioner's
    assert other.get(reverse("practitioners:queue")).status_code == 200
    cast.practitioner.refresh_from_db()
    assert not cast.practitioner.is_active
    # And they cannot sign in again.
    assert not practitioner.login(email=cast.practitioner.email, password="test-password-123")


def test_reactivate_and_no_self_deactivation(cast):
    admin = cast.client_for(cast.admin)
    services.account_deactivate(user=cast.practitioner, by=cast.admin)
    assert (
        admin.post(reverse("staff:staff_reactivate", args=[cast.practitioner.pk])).status_code
        == 302
    )
    cast.practitioner.refresh_from_db()
    assert cast.practitioner.is_active
    response = admin.post(reverse("staff:staff_deactivate", args=[cast.admin.pk]))
    assert response.status_code == 409 and "your own account" in response.content.decode()
    cast.admin.refresh_from_db()
    assert cast.admin.is_active


def test_staff_list_query_count_does_not_grow(cast):
    client = cast.client_for(cast.admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("staff:staff_list")).status_code == 200
        return len(queries)

    count()  # the first request of a session writes it
    small = count()
    PractitionerFactory.create_batch(20)
    assert count() == small
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("staff:office_list"))
    offices_small = len(queries)
    PractitionerFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("staff:office_list"))
    assert len(queries) == offices_small


def test_staff_list_pages_by_twenty_five_like_the_other_lists(cast):
    PractitionerFactory.create_batch(30)
    client = cast.client_for(cast.admin)
    first = client.get(reverse("staff:staff_list")).content.decode()
    second = client.get(reverse("staff:staff_list") + "?page=2").content.decode()
    rows = first.count("<tr>") - 1  # minus the header row
    assert rows == 25
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert second.count("<tr>") - 1 >= 5

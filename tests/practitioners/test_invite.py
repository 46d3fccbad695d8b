"""Invite a seeker or an employer by email; the account lands in the practitioner's caseload."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, Role
from employers.models import Organisation
from seekers.models import Seeker

pytestmark = pytest.mark.django_db
INVITE = reverse("practitioners:invite")
PASSWORD = "a-long-passphrase-42"


def _accept(client, django_capture_on_commit_callbacks, data=None):
    link = re.search(r"https?://\S+?(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    base = {"full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(link, base | (data or {}))


def test_invite_a_seeker_into_own_caseload(cast, client, django_capture_on_commit_callbacks):
    practitioner = cast.client_for(cast.practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = practitioner.post(INVITE, {"email": "New@Example.org", "role": Role.SEEKER})
    assert response.status_code == 302
    html = practitioner.get(INVITE).content.decode()
    assert "new@example.org" in html and "Invitations waiting" in html
    assert _accept(client, django_capture_on_commit_callbacks).status_code == 302
    seeker = Seeker.objects.get(user__email="new@example.org")
    assert seeker.practitioner == cast.practitioner
    # The new client is in the queue, and the invitation is no longer waiting.
    queue = practitioner.get(reverse("practitioners:queue")).content.decode()
    assert "New Person" in queue
    assert "new@example.org" not in practitioner.get(INVITE).content.decode()


def test_invite_an_employer_who_creates_their_business(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cast.client_for(cast.practitioner).post(
            INVITE, {"email": "boss@example.org", "role": Role.EMPLOYER}
        )
    business = {
        "business-name": "Tidewater Bakery",
        "business-sector": "food_service",
        "business-region": "halifax",
        "business-size": "1-4",
    }
    assert _accept(client, django_capture_on_commit_callbacks, business).status_code == 302
    organisation = Organisation.objects.get(name="Tidewater Bakery")
    assert organisation.practitioner == cast.practitioner
    assert organisation.office == cast.practitioner.office


def test_admin_may_invite_into_a_chosen_caseload(cast):
    cast.client_for(cast.admin).post(
        INVITE,
        {"email": "x@example.org", "role": Role.SEEKER, "practitioner": cast.practitioner2.pk},
    )
    invitation = Invitation.objects.get()
    assert invitation.practitioner == cast.practitioner2
    assert invitation.office == cast.practitioner2.office


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email", "role": Role.SEEKER},
        {"email": "x@example.org", "role": Role.ADMIN},
        {"email": "x@example.org", "role": Role.PRACTITIONER},
        {"email": "x" * 300 + "@example.org", "role": Role.SEEKER},
        {"email": "", "role": ""},
        {"email": "s1@example.org", "role": Role.SEEKER},  # already has an account
    ],
)
def test_hostile_invitations_are_refused(cast, data):
    response = cast.client_for(cast.practitioner).post(INVITE, data)
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_invitation_to_the_same_address_is_refused(cast):
    client = cast.client_for(cast.practitioner)
    client.post(INVITE, {"email": "twice@example.org", "role": Role.SEEKER})
    response = client.post(INVITE, {"email": "twice@example.org", "role": Role.SEEKER})
    assert "already has an invitation waiting" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_practitioner_cannot_choose_another_caseload(cast):
    cast.client_for(cast.practitioner).post(
        INVITE,
        {"email": "y@example.org", "role": Role.SEEKER, "practitioner": cast.practitioner2.pk},
    )
    assert Invitation.objects.get().practitioner == cast.practitioner


def test_withdraw_own_invitation_only(cast):
    cast.client_for(cast.practitioner).post(INVITE, {"email": "z@example.org", "role": Role.SEEKER})
    invitation = Invitation.objects.get()
    url = reverse("practitioners:invitation_withdraw", args=[invitation.pk])
    assert cast.client_for(cast.practitioner2).post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert cast.client_for(cast.practitioner).post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert (
        cast.client_for(cast.practitioner)
        .post(reverse("practitioners:invitation_withdraw", args=[999999]))
        .status_code
        == 404
    )

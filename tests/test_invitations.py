"""Invitations: who may invite whom, the emailed link, accepting once, expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.invitations import (
    AcceptDetails,
    InvitationError,
    invitation_accept,
    invitation_revoke,
    invitation_send,
)
from accounts.models import Invitation, Role, User
from employers.models import Member
from seekers.models import Seeker

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-42"


def _link(django_capture_on_commit_callbacks, **kwargs) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(**kwargs)
    body = mail.outbox[-1].body
    return re.search(r"https?://\S+/invitation/(\S+)/", body).group(0)


def _token(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]


def test_practitioner_invites_seeker_into_own_caseload(
    cast, client, django_capture_on_commit_callbacks
):
    link = _link(
        django_capture_on_commit_callbacks,
        email="New.Person@Example.org",
        role=Role.SEEKER,
        invited_by=cast.practitioner,
    )
    assert mail.outbox[-1].to == ["new.person@example.org"]
    assert "invit" in mail.outbox[-1].body and "Créez" in mail.outbox[-1].body
    path = link.split("127.0.0.1:8000", 1)[-1]
    assert client.get(path).status_code == 200
    response = client.post(
        path, {"full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    seeker = Seeker.objects.get(user__email="new.person@example.org")
    assert seeker.practitioner == cast.practitioner and seeker.office == cast.practitioner.office
    assert seeker.user.role == Role.SEEKER
    # Signed in straight away, in their room.
    assert client.get("/").headers["Location"] == "/me/"


def test_link_works_once(cast, client, django_capture_on_commit_callbacks):
    link = _link(
        django_capture_on_commit_callbacks,
        email="x@example.org",
        role=Role.SEEKER,
        invited_by=cast.practitioner,
    )
    details = AcceptDetails(full_name="X", password=PASSWORD, language="en")
    invitation_accept(token=_token(link), details=details)
    with pytest.raises(InvitationError):
        invitation_accept(token=_token(link), details=details)
    assert client.get(link.split("127.0.0.1:8000", 1)[-1]).status_code == 404


def test_expired_link_is_refused(cast, django_capture_on_commit_callbacks):
    link = _link(
        django_capture_on_commit_callbacks,
        email="late@example.org",
        role=Role.SEEKER,
        invited_by=cast.practitioner,
    )
    with time_machine.travel(timezone.now() + timedelta(days=15)), pytest.raises(InvitationError):
        invitation_accept(
            token=_token(link),
            details=AcceptDetails(full_name="L", password=PASSWORD, language="en"),
        )
    assert not User.objects.filter(email="late@example.org").exists()


def test_tampered_or_unknown_token_is_404(client):
    assert client.get("/invitation/not-a-real-token/").status_code == 404
    assert client.get("/invitation/" + "a" * 300 + "/").status_code == 404


def test_employer_owner_invites_colleague_into_own_business(
    cast, django_capture_on_commit_callbacks
):
    link = _link(
        django_capture_on_commit_callbacks,
        email="colleague@example.org",
        role=Role.EMPLOYER,
        invited_by=cast.employer,
        organisation=cast.organisation,
    )
    user = invitation_accept(
        token=_token(link), details=AcceptDetails(full_name="C", password=PASSWORD, language="fr")
    )
    member = Member.objects.get(user=user)
    assert member.organisation == cast.organisation and not member.is_owner
    assert user.language == "fr"


def test_employer_cannot_invite_into_another_business_or_invite_staff(cast):
    with pytest.raises(InvitationError):
        invitation_send(
            email="a@example.org",
            role=Role.EMPLOYER,
            invited_by=cast.employer,
            organisation=cast.organisation2,
        )
    with pytest.raises(InvitationError):
        invitation_send(email="b@example.org", role=Role.PRACTITIONER, invited_by=cast.employer)
    assert not Invitation.objects.exists()


def test_seeker_and_practitioner_limits(cast):
    with pytest.raises(InvitationError):
        invitation_send(email="a@example.org", role=Role.SEEKER, invited_by=cast.seeker.user)
    with pytest.raises(InvitationError):
        invitation_send(email="a@example.org", role=Role.ADMIN, invited_by=cast.practitioner)


def test_existing_account_or_pending_invitation_is_refused(cast):
    with pytest.raises(InvitationError):
        invitation_send(
            email=cast.seeker.user.email, role=Role.SEEKER, invited_by=cast.practitioner
        )
    invitation_send(email="twice@example.org", role=Role.SEEKER, invited_by=cast.practitioner)
    with pytest.raises(InvitationError):
        invitation_send(email="TWICE@example.org", role=Role.SEEKER, invited_by=cast.practitioner)


def test_practitioner_invites_employer_who_names_their_business(
    cast, client, django_capture_on_commit_callbacks
):
    link = _link(
        django_capture_on_commit_callbacks,
        email="shop@example.org",
        role=Role.EMPLOYER,
        invited_by=cast.practitioner,
    )
    path = link.split("127.0.0.1:8000", 1)[-1]
    response = client.post(
        path, {"full_name": "Shop Owner", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 200 and "Business name" in response.content.decode()
    assert not User.objects.filter(email="shop@example.org").exists()
    response = client.post(
        path,
        {
            "full_name": "Shop Owner",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "business-name": "Antigonish Books",
            "business-sector": "retail",
            "business-region": "northern",
            "business-size": "1-4",
        },
    )
    assert response.status_code == 302
    member = Member.objects.select_related("organisation").get(user__email="shop@example.org")
    assert member.is_owner and member.organisation.practitioner == cast.practitioner


def test_weak_password_or_mismatch_is_a_clear_error_and_nothing_saved(
    cast, client, django_capture_on_commit_callbacks
):
    link = _link(
        django_capture_on_commit_callbacks,
        email="weak@example.org",
        role=Role.SEEKER,
        invited_by=cast.practitioner,
    )
    path = link.split("127.0.0.1:8000", 1)[-1]
    response = client.post(path, {"full_name": "W", "password1": "123", "password2": "123"})
    assert response.status_code == 200 and "too short" in response.content.decode()
    response = client.post(path, {"full_name": "W", "password1": PASSWORD, "password2": "other"})
    assert "not the same" in response.content.decode()
    assert not User.objects.filter(email="weak@example.org").exists()


def test_signed_in_person_is_asked_to_sign_out(cast, django_capture_on_commit_callbacks):
    link = _link(
        django_capture_on_commit_callbacks,
        email="other@example.org",
        role=Role.SEEKER,
        invited_by=cast.practitioner,
    )
    client = cast.client_for(cast.seeker.user)
    response = client.get(link.split("127.0.0.1:8000", 1)[-1])
    assert "Sign out first" in response.content.decode()


def test_admin_invites_staff_and_revokes(cast, django_capture_on_commit_callbacks):
    link = _link(
        django_capture_on_commit_callbacks,
        email="staff@example.org",
        role=Role.PRACTITIONER,
        invited_by=cast.admin,
        office=cast.practitioner.office,
    )
    invitation = Invitation.objects.get(email="staff@example.org")
    with pytest.raises(InvitationError):
        invitation_revoke(invitation=invitation, by=cast.practitioner)
    invitation_revoke(invitation=invitation, by=cast.admin)
    with pytest.raises(InvitationError):
        invitation_accept(
            token=_token(link),
            details=AcceptDetails(full_name="S", password=PASSWORD, language="en"),
        )

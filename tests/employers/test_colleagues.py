"""Colleagues: the owner invites by email (through accounts.invitations), every member sees
who is in the business and who is invited, nobody sees or touches another business's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.invitations import invitation_send
from accounts.models import Invitation, Role
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
URL = "/business/colleagues/"


@pytest.fixture
def colleague(cast):
    """A second member of employer's business who does not manage the account."""
    return MemberFactory(
        user__email="colleague@example.org", organisation=cast.organisation, is_owner=False
    ).user


def test_owner_invites_a_colleague_by_email(cast, django_capture_on_commit_callbacks):
    client = cast.client_for(cast.employer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"email": "New.Cook@Example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.organisation) == (
        "new.cook@example.org",
        Role.EMPLOYER,
        cast.organisation,
    )
    assert invitation.invited_by == cast.employer
    assert mail.outbox[-1].to == ["new.cook@example.org"]
    html = client.get(URL).content.decode()
    assert "We emailed an invitation to" in html and "new.cook@example.org" in html


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("e2@example.org", "An account with this email address already exists."),
        ("not-an-email", "Enter a valid email address."),
        ("", "This field is required."),
        ("a" * 250 + "@example.org", "Ensure this value has at most 254 characters"),
    ],
)
def test_bad_invitations_are_refused_with_a_clear_error(cast, email, message):
    response = cast.client_for(cast.employer).post(URL, {"email": email})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_invitation_to_the_same_email_is_refused(cast):
    client = cast.client_for(cast.employer)
    client.post(URL, {"email": "twice@example.org"})
    response = client.post(URL, {"email": "twice@example.org"})
    assert response.status_code == 422
    assert "already has an invitation waiting" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_members_who_do_not_manage_the_account_see_but_cannot_invite(cast, colleague):
    client = cast.client_for(colleague)
    html = client.get(URL).content.decode()
    assert cast.employer.email in html and "colleague@example.org" in html
    assert 'name="email"' not in html and "Only the person who manages" in html
    assert client.post(URL, {"email": "sneaky@example.org"}).status_code == 403
    assert not Invitation.objects.exists()


def test_pending_invitations_are_listed_only_to_their_own_business(cast):
    invitation_send(
        email="pending@example.org",
        role=Role.EMPLOYER,
        invited_by=cast.employer,
        organisation=cast.organisation,
    )
    assert "pending@example.org" in cast.client_for(cast.employer).get(URL).content.decode()
    other = cast.client_for(cast.employer2).get(URL).content.decode()
    assert "pending@example.org" not in other and cast.employer.email not in other


def test_owner_withdraws_an_invitation_and_strangers_get_404(cast, colleague):
    invitation = invitation_send(
        email="pending@example.org",
        role=Role.EMPLOYER,
        invited_by=cast.employer,
        organisation=cast.organisation,
    )
    url = reverse("employers:invitation_withdraw", args=[invitation.pk])
    assert cast.client_for(cast.employer2).post(url).status_code == 404
    assert cast.client_for(colleague).post(url).status_code == 403
    assert cast.client_for(cast.employer).get(url).status_code == 405
    assert cast.client_for(cast.seeker.user).post(url).status_code == 403
    assert (
        cast.client_for(cast.employer)
        .post(reverse("employers:invitation_withdraw", args=[999999]))
        .status_code
        == 404
    )
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert cast.client_for(cast.employer).post(url).status_code == 302
    invitation.refresh_from_db()
    assert not invitation.is_pending
    # Withdrawn: gone from the list, and withdrawing again is a 404.
    assert "pending@example.org" not in cast.client_for(cast.employer).get(URL).content.decode()
    assert cast.client_for(cast.employer).post(url).status_code == 404


def test_colleagues_query_count_does_not_grow(cast):
    client = cast.client_for(cast.employer)
    client.get(reverse("employers:home"))  # warm-up: the first request writes the session
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    MemberFactory.create_batch(8, organisation=cast.organisation, is_owner=False)
    for number in range(8):
        invitation_send(
            email=f"invitee{number}@example.org",
            role=Role.EMPLOYER,
            invited_by=cast.employer,
            organisation=cast.organisation,
        )
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(large) == len(small)

"""Sign-in, sign-up in each self-service role, and the user model."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Role, User
from employers.models import Member
from seekers.models import Seeker
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_user_is_keyed_by_lowercased_email():
    user = User.objects.create_user("Someone@Example.ORG", "pw-long-enough-1")
    assert user.email == "someone@example.org"
    assert User.USERNAME_FIELD == "email"


def test_sign_in_with_email_lands_in_own_room(cast, client):
    response = client.post(
        "/accounts/login/", {"login": cast.seeker.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == reverse("seekers:home")


def test_wrong_password_is_a_clear_error(cast, client):
    response = client.post(
        "/accounts/login/", {"login": cast.seeker.user.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_sign_up_as_job_seeker_creates_seeker_record(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            "full_name": "Pat Newcomer",
            "role": Role.SEEKER,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert user.role == Role.SEEKER and Seeker.objects.filter(user=user).exists()


def test_sign_up_as_employer_creates_business_with_owner(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "boss@example.org",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            "full_name": "Robin Owner",
            "role": Role.EMPLOYER,
            "organisation_name": "Lunenburg Bakery",
            "sector": "food_service",
            "region": "south_shore",
            "size": "1-4",
        },
    )
    member = Member.objects.select_related("organisation").get(user__email="boss@example.org")
    assert member.is_owner and member.organisation.name == "Lunenburg Bakery"
    assert member.user.role == Role.EMPLOYER


def test_employer_sign_up_without_business_is_refused_and_nothing_saved(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "boss@example.org",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            "full_name": "Robin Owner",
            "role": Role.EMPLOYER,
        },
    )
    assert response.status_code == 200
    assert "Employers need to fill this in." in response.content.decode()
    assert not User.objects.filter(email="boss@example.org").exists()


def test_sign_up_cannot_make_a_practitioner(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "sneaky@example.org",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            "full_name": "Sneaky",
            "role": Role.PRACTITIONER,
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="sneaky@example.org").exists()

"""Writes about people: registering a new account in its role."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import Role, User
from employers.models import Member, Organisation
from seekers.models import Seeker


@transaction.atomic
def account_register(
    *, user: User, full_name: str, role: str, language: str, organisation: dict[str, Any]
) -> None:
    """Give a freshly signed-up user their role and the record that role needs."""
    if role not in (Role.SEEKER, Role.EMPLOYER):
        raise ValueError("Only job seekers and employers can sign themselves up.")
    user.full_name = full_name.strip()
    user.role = role
    user.language = language if language in ("en", "fr") else "en"
    user.save(update_fields=["full_name", "role", "language"])
    if role == Role.SEEKER:
        Seeker.objects.get_or_create(user=user)
    else:
        org = Organisation.objects.create(
            name=organisation["name"].strip(),
            sector=organisation["sector"],
            region=organisation["region"],
            size=organisation["size"],
        )
        Member.objects.create(user=user, organisation=org, is_owner=True)


def language_set(*, user: User, language: str) -> None:
    if language in ("en", "fr") and user.language != language:
        user.language = language
        user.save(update_fields=["language"])

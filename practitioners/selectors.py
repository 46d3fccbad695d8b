"""Reads for the practitioners' workspace."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Role, User
from employers.models import Organisation
from seekers.models import Seeker


def caseload_seekers(*, viewer: User) -> QuerySet[Seeker]:
    """A practitioner's own seekers; an admin's view is every seeker."""
    seekers = Seeker.objects.select_related("user", "practitioner", "office")
    if viewer.role == Role.ADMIN:
        return seekers.order_by("user__full_name", "pk")
    return seekers.filter(practitioner=viewer).order_by("user__full_name", "pk")


def caseload_organisations(*, viewer: User) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("practitioner", "office")
    if viewer.role == Role.ADMIN:
        return organisations.order_by("name", "pk")
    return organisations.filter(practitioner=viewer).order_by("name", "pk")

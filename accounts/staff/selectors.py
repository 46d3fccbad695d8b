"""Reads about offices and staff, each list in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import Invitation, Office, Role, User

STAFF_ROLES = (Role.PRACTITIONER, Role.ADMIN)


def staff_all() -> QuerySet[User]:
    return (
        User.objects.filter(role__in=STAFF_ROLES)
        .select_related("office")
        .order_by("-is_active", "full_name", "email")
    )


def staff_member_or_404(*, pk: int) -> User:
    """Only practitioners and admins are managed here; any other id is not found."""
    user = User.objects.filter(pk=pk, role__in=STAFF_ROLES).first()
    if user is None:
        raise Http404("No such member of staff.")
    return user


def offices_with_counts() -> QuerySet[Office]:
    return Office.objects.annotate(
        active_staff=Count("staff", filter=Q(staff__is_active=True, staff__role__in=STAFF_ROLES))
    ).order_by("name")


def office_or_404(*, pk: int) -> Office:
    office = Office.objects.filter(pk=pk).first()
    if office is None:
        raise Http404("No such office.")
    return office


def staff_invitations_pending() -> QuerySet[Invitation]:
    return (
        Invitation.objects.pending()
        .filter(role__in=STAFF_ROLES)
        .select_related("office", "invited_by")
        .order_by("-created_at")
    )


def staff_invitation_or_404(*, pk: int) -> Invitation:
    invitation = Invitation.objects.filter(pk=pk, role__in=STAFF_ROLES).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation

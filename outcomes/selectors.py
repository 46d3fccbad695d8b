"""Reads of the outcomes app: the follow-ups a practitioner should chase, one follow-up."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from employers.models import Organisation
from outcomes.models import FollowUp, FollowUpParty
from seekers.models import Seeker


def visible_follow_ups(*, user: Any) -> QuerySet[FollowUp]:
    """Follow-ups whose client the viewer may see: the worker's for a visible seeker, the
    employer's for a visible business (a practitioner's caseload and office; admins all)."""
    if not getattr(user, "is_authenticated", False):
        return FollowUp.objects.none()
    if user.role == Role.ADMIN:
        return FollowUp.objects.all()
    if user.role != Role.PRACTITIONER:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        Q(party=FollowUpParty.WORKER, placement__seeker__in=Seeker.objects.visible_to(user))
        | Q(
            party=FollowUpParty.EMPLOYER,
            placement__organisation__in=Organisation.objects.visible_to(user),
        )
    )


def mine_q(user: Any) -> Q:
    """Follow-ups of the viewer's own caseload (not the whole office)."""
    return Q(party=FollowUpParty.WORKER, placement__seeker__practitioner=user) | Q(
        party=FollowUpParty.EMPLOYER, placement__organisation__practitioner=user
    )


def follow_ups_due(
    *, user: Any, mine: bool = True, today: date | None = None
) -> QuerySet[FollowUp]:
    """Unanswered follow-ups that have come due, oldest first, ready for a list page."""
    today = today or timezone.localdate()
    rows = visible_follow_ups(user=user).filter(answered_at__isnull=True, due_on__lte=today)
    if mine:
        rows = rows.filter(mine_q(user))
    return rows.select_related(
        "placement__seeker__user", "placement__organisation", "placement__role"
    ).order_by("due_on", "placement_id", "party", "month")


def follow_ups_answered(*, user: Any, mine: bool = True, limit: int = 20) -> list[FollowUp]:
    rows = visible_follow_ups(user=user).filter(answered_at__isnull=False)
    if mine:
        rows = rows.filter(mine_q(user))
    return list(
        rows.select_related(
            "placement__seeker__user", "placement__organisation", "placement__role", "recorded_by"
        ).order_by("-answered_at")[:limit]
    )


def follow_ups_due_count(*, user: Any) -> int:
    return follow_ups_due(user=user).count()


def follow_up_for_viewer(*, user: Any, pk: int) -> FollowUp:
    follow_up = (
        visible_follow_ups(user=user)
        .select_related(
            "placement__seeker__user",
            "placement__organisation",
            "placement__role",
            "recorded_by",
        )
        .filter(pk=pk)
        .first()
    )
    if follow_up is None:
        raise Http404
    return follow_up


def placement_follow_ups(*, placement_id: int) -> list[FollowUp]:
    return list(
        FollowUp.objects.filter(placement_id=placement_id)
        .prefetch_related("factors")
        .order_by("month", "party")
    )

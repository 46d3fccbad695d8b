"""Reads of the outcomes app: the follow-ups a practitioner should chase, one follow-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from employers.models import Organisation
from outcomes.models import FollowUp, FollowUpParty
from practitioners.models import Placement
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


def _listed(*, user: Any, mine: bool) -> QuerySet[FollowUp]:
    """The viewer's own caseload's follow-ups, or every one they may see.

    Their own caseload is always visible to them, so "mine" is found from their own
    placements through the indexes instead of filtering the whole office's follow-ups
    (an office of 8,000 seekers made the list take a third of a second); two queries
    more, whatever the numbers."""
    if not mine:
        return visible_follow_ups(user=user)
    if not getattr(user, "is_authenticated", False) or user.role not in (
        Role.PRACTITIONER,
        Role.ADMIN,
    ):
        return FollowUp.objects.none()
    # The placement ids first (two small queries, each through its index: under one OR
    # PostgreSQL read every placement); as subqueries under an OR, it scanned every
    # follow-up due instead of looking these few placements up.
    worker = list(Placement.objects.filter(seeker__practitioner=user).values_list("pk", flat=True))
    employer = list(
        Placement.objects.filter(organisation__practitioner=user).values_list("pk", flat=True)
    )
    return FollowUp.objects.filter(
        Q(party=FollowUpParty.WORKER, placement_id__in=worker)
        | Q(party=FollowUpParty.EMPLOYER, placement_id__in=employer)
    )


PLACEMENT_SHOWN = ("placement__seeker__user", "placement__organisation", "placement__role")


def _due_rows(listed: QuerySet[FollowUp], today: date | None) -> QuerySet[FollowUp]:
    today = today or timezone.localdate()
    rows = listed.filter(answered_at__isnull=True, due_on__lte=today)
    return rows.order_by("due_on", "placement_id", "party", "month")


def _answered_rows(listed: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    # The id breaks ties between equal times (newest first), and makes PostgreSQL look the
    # caseload's few follow-ups up by placement instead of walking every answered
    # follow-up backwards by time (13,000 rows filtered out for a caseload at scale).
    return listed.filter(answered_at__isnull=False).order_by("-answered_at", "-pk")


def follow_ups_due(
    *, user: Any, mine: bool = True, today: date | None = None
) -> QuerySet[FollowUp]:
    """Unanswered follow-ups that have come due, oldest first, ready for a list page."""
    return _due_rows(_listed(user=user, mine=mine), today).select_related(*PLACEMENT_SHOWN)


def follow_ups_answered(*, user: Any, mine: bool = True, limit: int = 20) -> list[FollowUp]:
    rows = _answered_rows(_listed(user=user, mine=mine))
    return list(rows.select_related(*PLACEMENT_SHOWN, "recorded_by")[:limit])


@dataclass(frozen=True)
class FollowUpLists:
    due: list[FollowUp]
    answered: list[FollowUp]


def follow_up_lists(
    *, user: Any, mine: bool = True, due_limit: int, answered_limit: int = 20
) -> FollowUpLists:
    """The follow-ups page: those due (oldest first, at most ``due_limit``) and the latest
    answered, with their placements, in three queries after the viewer's placements.

    The placements are read once for both lists, not joined into each: PostgreSQL spent
    2-3.5 ms planning each seven-table join against the caseload's placement ids (more
    than running it), a third of the page's database time."""
    listed = _listed(user=user, mine=mine)
    due = list(_due_rows(listed, None)[:due_limit])
    answered = list(_answered_rows(listed)[:answered_limit])
    placements = Placement.objects.select_related("seeker__user", "organisation", "role").in_bulk(
        {row.placement_id for row in due + answered}
    )
    for row in due + answered:
        row.placement = placements[row.placement_id]
    return FollowUpLists(due=due, answered=answered)


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


# --- the client record's "Placements and follow-ups" section ---------------------------------


@dataclass(frozen=True)
class BeliefChange:
    prompt: Any
    before: int | None
    after: int


@dataclass
class ClientOutcomes:
    placements: list[Any]
    follow_ups: dict[int, list[FollowUp]]
    beliefs: list[BeliefChange]
    beliefs_before_at: Any = None
    beliefs_after_at: Any = None


def client_outcomes(
    *,
    client: Seeker | Organisation,
    placements: list[Placement] | None = None,
    shares: bool | None = None,
) -> ClientOutcomes:
    """A client's placements with their follow-ups, and the mindset before (first round) and
    after (the latest round given at a follow-up). A seeker's beliefs only show when they
    share their answers with their practitioner.

    The client's record has already read its placements (in their usual order, newest
    first) and whether the seeker shares: it passes them, to save reading them again."""
    if placements is None:
        field = "seeker" if isinstance(client, Seeker) else "organisation"
        placements = list(
            Placement.objects.filter(**{field: client}).select_related(
                "seeker__user", "organisation", "role"
            )
        )
    rows: dict[int, list[FollowUp]] = {p.pk: [] for p in placements}
    for follow_up in FollowUp.objects.filter(placement__in=placements).order_by("month", "party"):
        rows[follow_up.placement_id].append(follow_up)
    result = ClientOutcomes(placements=placements, follow_ups=rows, beliefs=[])
    if isinstance(client, Seeker):
        from seekers.selectors import shares_with_practitioner

        if shares is None:
            shares = shares_with_practitioner(seeker=client)
        if not shares:
            return result
        rounds = client.mindset_rounds.order_by("answered_at", "pk")
        after = rounds.filter(follow_ups__isnull=False).last()
        answers = "responses"
        stamp = "answered_at"
    else:
        rounds = client.mindset_rounds.order_by("created_at", "pk")
        after = rounds.filter(follow_ups__isnull=False).last()
        answers = "answers"
        stamp = "created_at"
    before = rounds.first()
    if after is None or before is None or before.pk == after.pk:
        return result
    first = {
        a.prompt.identity: a.agreement for a in getattr(before, answers).select_related("prompt")
    }
    result.beliefs = [
        BeliefChange(prompt=a.prompt, before=first.get(a.prompt.identity), after=a.agreement)
        for a in getattr(after, answers)
        .select_related("prompt__factor")
        .order_by("prompt__factor__order", "prompt__order", "pk")
    ]
    result.beliefs_before_at = getattr(before, stamp)
    result.beliefs_after_at = getattr(after, stamp)
    return result

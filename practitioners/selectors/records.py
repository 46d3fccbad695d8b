"""Reads for one client's record: summary, notes, action plan, referrals, sessions.

Each part is one query (or a query and a prefetch), so a long history does not make
the page slower in queries, only in rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils.translation import gettext as _

from employers.models import Member, OfferAnswer, Organisation
from employers.selectors import organisation_progress
from factors.models import FrameworkVersion
from factors.progress import FactorProgress
from factors.scales import Importance, NeedLevel, OfferLevel, Strength
from practitioners.models import (
    AttendanceStatus,
    Goal,
    Note,
    Referral,
    SessionAttendance,
    Step,
    client_q,
)
from seekers.models import Answer, Seeker
from seekers.selectors import seeker_progress

Client = Seeker | Organisation


def progress_for(*, client: Client, version: FrameworkVersion | None) -> list[FactorProgress]:
    if version is None:
        return []
    if isinstance(client, Seeker):
        return seeker_progress(seeker=client, version=version)
    return organisation_progress(organisation=client, version=version)


@dataclass(frozen=True)
class HighlightLine:
    text: str
    helped_by: str = ""  # the practitioner the answer was given with, if any


@dataclass
class FactorHighlights:
    """What stands out in one factor's answers, in the client's own side's words."""

    name: str
    groups: dict[str, list[HighlightLine]] = field(default_factory=dict)


def answers_summary(*, client: Client, version: FrameworkVersion | None) -> list[FactorHighlights]:
    """The strongest answers only (must-haves, deal-breakers, strengths; what a business
    offers and must have), so a practitioner can talk from it. One query."""
    if version is None:
        return []
    by_factor: dict[int, FactorHighlights] = {}
    if isinstance(client, Seeker):
        answers = Answer.objects.filter(seeker=client)
    else:
        answers = OfferAnswer.objects.filter(organisation=client)
    answers = (
        answers.filter(item__factor__version=version, item__retired=False)
        .select_related("item__factor", "assisted_by")
        .order_by("item__factor__order", "item__order", "item__pk")
    )
    for answer in answers:
        item = answer.item
        label = _highlight_label(client=client, answer=answer)
        if label is None:
            continue
        text = str(item.worker_text if isinstance(client, Seeker) else item.employer_text)
        entry = by_factor.setdefault(item.factor_id, FactorHighlights(str(item.factor.name)))
        helper = answer.assisted_by.display_name if answer.assisted_by_id else ""
        entry.groups.setdefault(label, []).append(HighlightLine(text, helper))
    return list(by_factor.values())


def _highlight_label(*, client: Client, answer: Any) -> str | None:
    item = answer.item
    if isinstance(client, Seeker):
        if item.is_need and answer.dealbreaker:
            return _("Would push them away if missing")
        if item.is_need and answer.level == Importance.MUST_HAVE:
            return _("Must have")
        if not item.is_need and answer.level == Strength.VERY_WELL:
            return _("Strengths they offer")
        return None
    if item.is_need and answer.level == OfferLevel.OFFERED:
        return _("Offered now")
    if item.is_need and answer.level == OfferLevel.COULD_OFFER:
        return _("Could offer")
    if not item.is_need and answer.level == NeedLevel.MUST_HAVE:
        return _("Must have in a worker")
    return None


def notes_for(*, client: Client) -> QuerySet[Note]:
    corrected = Note.objects.filter(corrects=OuterRef("pk"))
    return (
        Note.objects.filter(client_q(client))
        .select_related("author", "corrects")
        .annotate(has_correction=Exists(corrected))
    )


def action_plan_for(*, client: Client) -> list[Goal]:
    """Goals, oldest first, each with its steps (two queries)."""
    steps = Step.objects.select_related("done_by").order_by("created_at", "pk")
    return list(
        Goal.objects.filter(client_q(client)).prefetch_related(Prefetch("steps", queryset=steps))
    )


def referrals_for(*, client: Client) -> QuerySet[Referral]:
    return Referral.objects.filter(client_q(client)).select_related(
        "from_user", "to_practitioner", "decided_by"
    )


def members_of(*, organisation: Organisation) -> QuerySet[Member]:
    return organisation.members.select_related("user").order_by("-is_owner", "user__email")


@dataclass(frozen=True)
class SessionLine:
    number: int
    total: int
    attendance: SessionAttendance

    @property
    def attended(self) -> bool:
        return self.attendance.status == AttendanceStatus.ATTENDED


def sessions_of(*, organisation: Organisation) -> list[SessionLine]:
    """Every group session the business was invited to, numbered in date order:
    "session N of M". One query."""
    rows = list(
        SessionAttendance.objects.filter(organisation=organisation)
        .select_related("session")
        .order_by("session__starts_at", "session__pk")
    )
    return [SessionLine(n, len(rows), row) for n, row in enumerate(rows, start=1)]

"""Reads for employer group sessions, including the anonymised view of what peers offer.

The peers' view names no business: it only counts, per item, how many of the attending
businesses offer it, and it hides small counts (a count of one would point at someone in
a small room). It needs at least ``MIN_ATTENDING`` businesses in the room to show anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from employers.models import OfferAnswer, Organisation
from factors.models import FrameworkVersion
from factors.scales import NeedLevel, OfferLevel
from factors.selectors import factors_with_content
from practitioners.models import AttendanceStatus, GroupSession, SessionAttendance

MIN_ATTENDING = 3  # fewer businesses than this and no count is shown at all
MIN_COUNT = 2  # a count below this is shown as "fewer than 2"


def sessions_for(*, viewer: User) -> QuerySet[GroupSession]:
    return (
        GroupSession.objects.visible_to(viewer)
        .select_related("facilitator", "office")
        .annotate(
            invited=Count("attendance"),
            attended=Count("attendance", filter=Q(attendance__status=AttendanceStatus.ATTENDED)),
        )
    )


def attendance_of(*, session: GroupSession) -> QuerySet[SessionAttendance]:
    return session.attendance.select_related("organisation").order_by("organisation__name")


def invitable_for(*, session: GroupSession, viewer: User) -> QuerySet[Organisation]:
    """Businesses in the viewer's caseload and office not yet invited to this session."""
    return (
        Organisation.objects.visible_to(viewer)
        .exclude(session_attendance__session=session)
        .select_related("practitioner")
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class PeerCount:
    """A count of businesses, or None when it is too small to show."""

    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None


def _shown(n: int) -> PeerCount:
    return PeerCount(n if n >= MIN_COUNT else None)


@dataclass
class PeerItem:
    text: str
    offer: PeerCount | None = None  # worker-needs items: offered now
    could: PeerCount | None = None  # worker-needs items: could offer
    need: PeerCount | None = None  # worker-offers items: important or must have


@dataclass
class PeerFactor:
    key: str
    name: str
    is_topic: bool
    offers: list[PeerItem] = field(default_factory=list)
    needs: list[PeerItem] = field(default_factory=list)


@dataclass
class PeerView:
    attending: int
    enough: bool
    factors: list[PeerFactor] = field(default_factory=list)


def peer_offers(*, session: GroupSession, version: FrameworkVersion | None) -> PeerView:
    """Per factor (the session's topic first), how many attending businesses offer each
    item, and how many need each skill. Three queries whatever the room's size."""
    attending = list(
        session.attendance.filter(status=AttendanceStatus.ATTENDED).values_list(
            "organisation_id", flat=True
        )
    )
    if len(attending) < MIN_ATTENDING or version is None:
        return PeerView(attending=len(attending), enough=False)
    counts: dict[int, dict[str, Any]] = {
        row["item_id"]: row
        for row in OfferAnswer.objects.filter(
            organisation_id__in=attending, item__factor__version=version
        )
        .values("item_id")
        .annotate(
            offered=Count("pk", filter=Q(level=OfferLevel.OFFERED)),
            could=Count("pk", filter=Q(level=OfferLevel.COULD_OFFER)),
            needed=Count("pk", filter=Q(level__gte=NeedLevel.IMPORTANT)),
        )
        .order_by()
    }
    factors = []
    for factor in factors_with_content(version=version):
        entry = PeerFactor(factor.key, str(factor.name), factor.key == session.topic)
        for item in factor.items.all():
            row = counts.get(item.pk, {"offered": 0, "could": 0, "needed": 0})
            text = str(item.employer_text)
            if item.is_need:
                entry.offers.append(
                    PeerItem(text, offer=_shown(row["offered"]), could=_shown(row["could"]))
                )
            else:
                entry.needs.append(PeerItem(text, need=_shown(row["needed"])))
        factors.append(entry)
    factors.sort(key=lambda f: not f.is_topic)
    return PeerView(attending=len(attending), enough=True, factors=factors)

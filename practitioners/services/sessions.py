"""Employer group sessions: scheduling, inviting businesses, attendance and session notes.

The practitioner who runs a session (and admins) change it; office colleagues can see it.
Businesses are invited from the practitioner's own caseload and office.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from employers.models import Member, Organisation
from factors.scales import FactorKey
from practitioners.models import (
    SESSION_MAX_MINUTES,
    AttendanceStatus,
    GroupSession,
    SessionAttendance,
)
from practitioners.services import WorkspaceError, recent_duplicate

SESSION_FIELDS = ("title", "topic", "starts_at", "duration_minutes", "place", "online_link")
_link_validator = URLValidator(schemes=["http", "https"])


def can_run(*, user: User, session: GroupSession) -> bool:
    return user.role == Role.ADMIN or (
        user.role == Role.PRACTITIONER and session.facilitator_id == user.pk
    )


def ensure_can_run(*, user: User, session: GroupSession) -> None:
    if not can_run(user=user, session=session):
        raise PermissionDenied


def _clean_details(
    *,
    title: str,
    topic: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    online_link: str,
) -> dict[str, object]:
    title, place, online_link = title.strip(), place.strip(), online_link.strip()
    if not title or len(title) > 200:
        raise WorkspaceError(_("Give the session a title of at most 200 characters."))
    if topic not in FactorKey.values:
        raise WorkspaceError(_("Choose the factor the session is about."))
    if not 15 <= duration_minutes <= SESSION_MAX_MINUTES:
        raise WorkspaceError(_("A session lasts between 15 and 480 minutes."))
    if not place and not online_link:
        raise WorkspaceError(_("Give a place, an online link, or both."))
    if len(place) > 200:
        raise WorkspaceError(_("The place can be at most 200 characters."))
    if online_link:
        try:
            _link_validator(online_link)
        except ValidationError as error:
            raise WorkspaceError(
                _("The online link must start with https:// or http://.")
            ) from error
        if len(online_link) > 500:
            raise WorkspaceError(_("The online link can be at most 500 characters."))
    return {
        "title": title,
        "topic": topic,
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "place": place,
        "online_link": online_link,
    }


@transaction.atomic
def session_schedule(
    *,
    by: User,
    title: str,
    topic: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str = "",
    online_link: str = "",
) -> GroupSession:
    """The person scheduling runs the session, for their office."""
    if by.role not in (Role.PRACTITIONER, Role.ADMIN):
        raise PermissionDenied
    details = _clean_details(
        title=title,
        topic=topic,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        online_link=online_link,
    )
    existing = recent_duplicate(
        GroupSession.objects.filter(facilitator=by, title=details["title"], starts_at=starts_at)
    )
    return existing or GroupSession.objects.create(**details, facilitator=by, office=by.office)


@transaction.atomic
def session_update(
    *,
    session: GroupSession,
    by: User,
    title: str,
    topic: str,
    starts_at: datetime,
    duration_minutes: int,
    place: str = "",
    online_link: str = "",
) -> GroupSession:
    ensure_can_run(user=by, session=session)
    details = _clean_details(
        title=title,
        topic=topic,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place,
        online_link=online_link,
    )
    for field, value in details.items():
        setattr(session, field, value)
    session.save(update_fields=list(details))
    return session


@transaction.atomic
def session_invite(
    *, session: GroupSession, by: User, organisations: Iterable[Organisation]
) -> int:
    """Invite businesses the inviter may see; already-invited ones are left as they are.
    Returns how many were newly invited; their members get an email once this commits."""
    ensure_can_run(user=by, session=session)
    wanted = {org.pk for org in organisations}
    if not wanted:
        raise WorkspaceError(_("Choose at least one business to invite."))
    allowed = set(
        Organisation.objects.visible_to(by).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if allowed != wanted:
        raise WorkspaceError(_("You can only invite businesses from your caseload or office."))
    already = set(session.attendance.values_list("organisation_id", flat=True))
    new = sorted(wanted - already)
    SessionAttendance.objects.bulk_create(
        [SessionAttendance(session=session, organisation_id=pk, invited_by=by) for pk in new]
    )
    if new:
        transaction.on_commit(lambda: _email_invited(session=session, organisation_ids=new))
    return len(new)


def _email_invited(*, session: GroupSession, organisation_ids: list[int]) -> None:
    """One message per person, in their own language."""
    members = Member.objects.filter(organisation_id__in=organisation_ids).select_related("user")
    for member in members:
        with translation.override(member.user.language):
            when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
            where = " / ".join(part for part in (session.place, session.online_link) if part)
            body = _(
                "You are invited to an employer group session of Thriving Workplaces:\n"
                "%(title)s\nWhen: %(when)s\nWhere: %(where)s\n"
                "Your Nova Scotia Works practitioner will tell you more."
            ) % {"title": session.title, "when": when, "where": where}
            subject = _("Invitation: employer group session")
        send_mail(
            subject=subject, message=body, from_email=None, recipient_list=[member.user.email]
        )


def session_uninvite(*, session: GroupSession, by: User, organisation_id: int) -> None:
    ensure_can_run(user=by, session=session)
    deleted, _count = session.attendance.filter(organisation_id=organisation_id).delete()
    if not deleted:
        raise WorkspaceError(_("This business was not invited."))


@transaction.atomic
def attendance_record(*, session: GroupSession, by: User, statuses: Mapping[int, str]) -> int:
    """Record who came. Only from the day of the session, only for invited businesses."""
    ensure_can_run(user=by, session=session)
    if timezone.localdate(session.starts_at) > timezone.localdate():
        raise WorkspaceError(_("You can record attendance from the day of the session."))
    rows = {row.organisation_id: row for row in session.attendance.select_for_update()}
    if not set(statuses) <= set(rows):
        raise WorkspaceError(_("Attendance can only be recorded for invited businesses."))
    if not set(statuses.values()) <= set(AttendanceStatus.values):
        raise WorkspaceError(_("Choose whether each business attended."))
    now = timezone.now()
    changed = []
    for organisation_id, status in statuses.items():
        row = rows[organisation_id]
        if row.status != status:
            row.status, row.recorded_at = status, now
            changed.append(row)
    SessionAttendance.objects.bulk_update(changed, ["status", "recorded_at"])
    return len(changed)


def session_notes_set(*, session: GroupSession, by: User, notes: str) -> None:
    ensure_can_run(user=by, session=session)
    notes = notes.strip()
    if len(notes) > 10000:
        raise WorkspaceError(_("Session notes can be at most 10,000 characters."))
    session.notes = notes
    session.save(update_fields=["notes"])

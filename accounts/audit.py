"""The audit log: record who viewed or changed a person's record, a report or a consent.

Views and services call one function, on one line, at the moment something is shown or
changed. Recording never fails the person's request: a log write that goes wrong is
logged as an error and the page still answers (the action already happened).
"""

from __future__ import annotations

import csv
import datetime
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, models, transaction

from accounts.models import AuditAction, AuditEvent, AuditSubject

logger = logging.getLogger("thriving.audit")

# Model label -> the kind of subject it is in the log.
_SUBJECT_OF_MODEL = {
    "seekers.Seeker": AuditSubject.SEEKER,
    "employers.Organisation": AuditSubject.EMPLOYER,
    "reports.Report": AuditSubject.REPORT,
}


def _record(*, actor: Any, action: str, subject_type: str, subject_id: Any, event: str) -> None:
    if not getattr(actor, "is_authenticated", False):
        actor = None
    try:
        with transaction.atomic():
            AuditEvent.objects.create(
                actor=actor,
                actor_role=getattr(actor, "role", "") or "",
                action=action,
                subject_type=subject_type,
                subject_id=str(subject_id)[:40],
                event=event[:40],
            )
    except DatabaseError:
        logger.exception("audit event not recorded: %s %s %s", event, subject_type, subject_id)


def _subject_type(subject: models.Model) -> str:
    return _SUBJECT_OF_MODEL[subject._meta.label]


def audit_view(*, actor: Any, subject: models.Model, event: str) -> None:
    """Someone saw a person's record or downloaded a report."""
    _record(
        actor=actor,
        action=AuditAction.VIEW,
        subject_type=_subject_type(subject),
        subject_id=subject.pk,
        event=event,
    )


def audit_change(*, actor: Any, subject: models.Model, event: str) -> None:
    """Someone changed a person's record (a note, a goal, how they are served)."""
    _record(
        actor=actor,
        action=AuditAction.CHANGE,
        subject_type=_subject_type(subject),
        subject_id=subject.pk,
        event=event,
    )


def audit_consent(*, actor: Any, seeker: models.Model, event: str) -> None:
    """A consent was given or withdrawn. The id logged is the job seeker's, so every
    change to one person's consents is found together."""
    _record(
        actor=actor,
        action=AuditAction.CHANGE,
        subject_type=AuditSubject.CONSENT,
        subject_id=seeker.pk,
        event=event,
    )


# --- reading the log ------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # an email address, exact (any case)
    subject_type: str = ""
    subject_id: str = ""
    action: str = ""
    date_from: datetime.date | None = None  # UTC days, both ends included
    date_to: datetime.date | None = None


def _utc_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def audit_events(*, filters: AuditFilter) -> models.QuerySet[AuditEvent]:
    """The log, newest first, narrowed by ``filters``; one query per page."""
    events = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-pk")
    if filters.actor:
        events = events.filter(actor__email__iexact=filters.actor)
    if filters.subject_type:
        events = events.filter(subject_type=filters.subject_type)
    if filters.subject_id:
        events = events.filter(subject_id=filters.subject_id)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_utc_midnight(filters.date_from))
    if filters.date_to:
        next_day = filters.date_to + datetime.timedelta(days=1)
        events = events.filter(occurred_at__lt=_utc_midnight(next_day))
    return events


CSV_HEADER = (
    "when_utc",
    "actor_id",
    "actor_email",
    "actor_role",
    "action",
    "subject_type",
    "subject_id",
    "event",
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_csv_rows(*, events: models.QuerySet[AuditEvent]) -> Iterator[str]:
    """The log as CSV lines, streamed in chunks so a long log never sits in memory."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_HEADER)
    rows: Iterable[AuditEvent] = events.iterator(chunk_size=2000)
    for event in rows:
        when = event.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        yield writer.writerow(
            (
                when,
                event.actor_id or "",
                event.actor.email if event.actor else "",
                event.actor_role,
                event.action,
                event.subject_type,
                event.subject_id,
                event.event,
            )
        )

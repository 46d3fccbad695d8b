"""Writes on a client's record: notes, the action plan, and how the client is served."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from employers.models import Organisation
from factors.delivery import DeliveryMethod
from practitioners.access import ensure_can_change
from practitioners.models import (
    NOTE_MAX_MINUTES,
    Goal,
    Note,
    NoteKind,
    Step,
    StepOwner,
    client_fields,
    client_q,
)
from practitioners.services import WorkspaceError, recent_duplicate
from seekers.models import Seeker

Client = Seeker | Organisation
EARLIEST = date(2000, 1, 1)


def _check_note_fields(
    *, kind: str, occurred_on: date, duration_minutes: int | None, text: str
) -> str:
    if kind not in NoteKind.values:
        raise WorkspaceError(_("Choose the type of contact."))
    if occurred_on > timezone.localdate():
        raise WorkspaceError(_("The date of contact cannot be in the future."))
    if occurred_on < EARLIEST:
        raise WorkspaceError(_("The date of contact is too far in the past."))
    if duration_minutes is not None and not 0 <= duration_minutes <= NOTE_MAX_MINUTES:
        raise WorkspaceError(_("The length must be between 0 and 720 minutes."))
    text = text.strip()
    if not text:
        raise WorkspaceError(_("Write the note."))
    if len(text) > 5000:
        raise WorkspaceError(_("A note can be at most 5,000 characters."))
    return text


@transaction.atomic
def note_add(
    *,
    client: Client,
    author: User,
    kind: str,
    occurred_on: date,
    duration_minutes: int | None,
    text: str,
    corrects: Note | None = None,
) -> Note:
    """Add a note to the timeline. A correction points at an earlier note of the same client."""
    ensure_can_change(user=author, client=client)
    text = _check_note_fields(
        kind=kind, occurred_on=occurred_on, duration_minutes=duration_minutes, text=text
    )
    if corrects is not None and not Note.objects.filter(client_q(client), pk=corrects.pk).exists():
        raise WorkspaceError(_("A correction must refer to a note of the same client."))
    fields = {
        **client_fields(client),
        "author": author,
        "kind": kind,
        "occurred_on": occurred_on,
        "duration_minutes": duration_minutes,
        "text": text,
        "corrects": corrects,
    }
    existing = recent_duplicate(Note.objects.filter(**fields))
    return existing or Note.objects.create(**fields)


@transaction.atomic
def note_update(
    *,
    note: Note,
    by: User,
    kind: str,
    occurred_on: date,
    duration_minutes: int | None,
    text: str,
) -> Note:
    """Only the author, only on the day it was written; afterwards, add a correction."""
    note = Note.objects.select_for_update().get(pk=note.pk)
    if not note.editable_by(by):
        raise PermissionDenied
    note.text = _check_note_fields(
        kind=kind, occurred_on=occurred_on, duration_minutes=duration_minutes, text=text
    )
    note.kind, note.occurred_on, note.duration_minutes = kind, occurred_on, duration_minutes
    note.save(update_fields=["kind", "occurred_on", "duration_minutes", "text", "updated_at"])
    return note


def delivery_method_set(*, client: Client, by: User, method: str) -> None:
    """Record how the client is served; the outcomes work compares retention by it."""
    ensure_can_change(user=by, client=client)
    if method not in DeliveryMethod.values:
        raise WorkspaceError(_("Choose how this client is served."))
    client.delivery_method = method
    client.save(update_fields=["delivery_method"])


@transaction.atomic
def goal_add(*, client: Client, by: User, title: str) -> Goal:
    ensure_can_change(user=by, client=client)
    title = title.strip()
    if not title or len(title) > 200:
        raise WorkspaceError(_("Write the goal in at most 200 characters."))
    fields = {**client_fields(client), "title": title, "created_by": by}
    return recent_duplicate(Goal.objects.filter(**fields)) or Goal.objects.create(**fields)


@transaction.atomic
def step_add(*, goal: Goal, by: User, text: str, owner: str, due_on: date | None) -> Step:
    ensure_can_change(user=by, client=goal.client)
    text = text.strip()
    if not text or len(text) > 300:
        raise WorkspaceError(_("Write the step in at most 300 characters."))
    if owner not in StepOwner.values:
        raise WorkspaceError(_("Choose who does this step."))
    if due_on is not None and due_on < EARLIEST:
        raise WorkspaceError(_("The due date is too far in the past."))
    fields = {"goal": goal, "text": text, "owner": owner, "due_on": due_on}
    return recent_duplicate(Step.objects.filter(**fields)) or Step.objects.create(**fields)


def step_set_done(*, step: Step, by: User, done: bool) -> Step:
    """Mark a step done or not done. Setting the state it already has changes nothing."""
    ensure_can_change(user=by, client=step.goal.client)
    if done and step.done_at is None:
        step.done_at, step.done_by = timezone.now(), by
        step.save(update_fields=["done_at", "done_by"])
    elif not done and step.done_at is not None:
        step.done_at, step.done_by = None, None
        step.save(update_fields=["done_at", "done_by"])
    return step

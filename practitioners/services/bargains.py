"""Writes for the workplace bargain: start it, edit its terms, record agreement, revisit."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from practitioners.models import (
    BARGAIN_TERM_MAX,
    Bargain,
    BargainRevisit,
    BargainTerm,
    Placement,
    RevisitTerm,
    TermOutcome,
)
from practitioners.selectors.bargains import bargain_draft
from practitioners.selectors.placements import can_change_placement
from practitioners.services import WorkspaceError

EARLIEST = date(2000, 1, 1)


def _ensure_can_change(*, user: User, placement: Placement) -> None:
    if not can_change_placement(user=user, placement=placement):
        raise PermissionDenied


@transaction.atomic
def bargain_start(*, placement: Placement, by: User, language: str) -> Bargain:
    """Create the bargain with a first draft of every term. Starting twice gives the first."""
    _ensure_can_change(user=by, placement=placement)
    if language not in dict(settings.LANGUAGES):
        raise WorkspaceError(_("Choose English or French."))
    Placement.objects.select_for_update().get(pk=placement.pk)
    existing = Bargain.objects.filter(placement=placement).first()
    if existing is not None:
        return existing
    draft = bargain_draft(placement=placement, language=language)
    if not draft:
        raise WorkspaceError(_("The framework has no published version yet."))
    bargain = Bargain.objects.create(placement=placement, language=language, created_by=by)
    BargainTerm.objects.bulk_create(
        BargainTerm(bargain=bargain, factor_key=term.key, order=n, text=term.text)
        for n, term in enumerate(draft)
    )
    return bargain


@transaction.atomic
def bargain_terms_save(*, bargain: Bargain, by: User, texts: dict[str, str]) -> bool:
    """Save every term at once. Returns whether anything changed; a change after agreement
    clears both agreements, since nobody has agreed to the new words yet."""
    _ensure_can_change(user=by, placement=bargain.placement)
    bargain = Bargain.objects.select_for_update().get(pk=bargain.pk)
    terms = {term.factor_key: term for term in bargain.terms.all()}
    if set(texts) != set(terms):
        raise WorkspaceError(_("The form did not match this bargain's factors. Nothing was saved."))
    changed = []
    for key, raw in texts.items():
        text = raw.replace("\r\n", "\n").strip()
        if not text:
            raise WorkspaceError(_("Every factor needs a text. Nothing was saved."))
        if len(text) > BARGAIN_TERM_MAX:
            raise WorkspaceError(_("A term can be at most 3,000 characters. Nothing was saved."))
        if text != terms[key].text:
            terms[key].text = text
            changed.append(terms[key])
    if not changed:
        return False
    BargainTerm.objects.bulk_update(changed, ["text"])
    bargain.worker_agreed_on = bargain.employer_agreed_on = None
    bargain.employer_agreed_by = ""
    bargain.save(
        update_fields=["worker_agreed_on", "employer_agreed_on", "employer_agreed_by", "updated_at"]
    )
    return True


def _check_date(value: date | None) -> None:
    if value is not None and not EARLIEST <= value <= timezone.localdate():
        raise WorkspaceError(_("An agreement date cannot be in the future or before 2000."))


@transaction.atomic
def bargain_agreement_record(
    *,
    bargain: Bargain,
    by: User,
    worker_agreed_on: date | None,
    employer_agreed_on: date | None,
    employer_agreed_by: str,
) -> Bargain:
    """The practitioner records when each side read the terms and said yes."""
    _ensure_can_change(user=by, placement=bargain.placement)
    _check_date(worker_agreed_on)
    _check_date(employer_agreed_on)
    employer_agreed_by = employer_agreed_by.strip()
    if employer_agreed_on is not None and not employer_agreed_by:
        raise WorkspaceError(_("Name who agreed for the employer."))
    if len(employer_agreed_by) > 200:
        raise WorkspaceError(_("The name can be at most 200 characters."))
    bargain = Bargain.objects.select_for_update().get(pk=bargain.pk)
    bargain.worker_agreed_on = worker_agreed_on
    bargain.employer_agreed_on = employer_agreed_on
    bargain.employer_agreed_by = employer_agreed_by if employer_agreed_on else ""
    bargain.agreement_recorded_by = by
    bargain.save()
    return bargain


@transaction.atomic
def bargain_revisit_record(
    *,
    bargain: Bargain,
    by: User,
    revisited_on: date,
    note: str,
    outcomes: dict[str, tuple[str, str]],
) -> BargainRevisit:
    """Kept, changed or broken for every term, with a note: all of them or nothing."""
    _ensure_can_change(user=by, placement=bargain.placement)
    if not bargain.is_agreed:
        raise WorkspaceError(_("Record that both sides agreed before revisiting the bargain."))
    if not EARLIEST <= revisited_on <= timezone.localdate():
        raise WorkspaceError(_("The date cannot be in the future."))
    keys = set(bargain.terms.values_list("factor_key", flat=True))
    if set(outcomes) != keys:
        raise WorkspaceError(_("Say how every factor went. Nothing was saved."))
    rows = []
    for key, (outcome, term_note) in outcomes.items():
        if outcome not in TermOutcome.values:
            raise WorkspaceError(_("Say whether each factor was kept, changed or broken."))
        term_note = term_note.strip()
        if len(term_note) > 1000:
            raise WorkspaceError(_("A note can be at most 1,000 characters."))
        rows.append((key, outcome, term_note))
    note = note.strip()
    if len(note) > 3000:
        raise WorkspaceError(_("The overall note can be at most 3,000 characters."))
    # The bargain's row is the lock: two clicks on "record" wait for each other, and the
    # second finds the first (one conversation a day; a second one that day is a double
    # submit, not a new revisit).
    Bargain.objects.select_for_update().filter(pk=bargain.pk).first()
    if BargainRevisit.objects.filter(bargain=bargain, revisited_on=revisited_on).exists():
        raise WorkspaceError(_("A revisit on this date is already recorded."))
    revisit = BargainRevisit.objects.create(
        bargain=bargain, revisited_on=revisited_on, note=note, recorded_by=by
    )
    RevisitTerm.objects.bulk_create(
        RevisitTerm(revisit=revisit, factor_key=key, outcome=outcome, note=term_note)
        for key, outcome, term_note in rows
    )
    return revisit

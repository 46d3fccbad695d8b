"""Writes to an employer's own organisation: offer answers, mindset checks, roles, postings.

Every function takes the organisation (or a role fetched through it) from the caller, who
got it from ``organisation_of(user=...)``; nothing here looks a business up by id. Writes
that touch several rows run in one transaction and lean on the unique constraints
(``update_or_create``), so a double submit or two open tabs never duplicate or half-save.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from employers.models import (
    JobPosting,
    JobRole,
    MindsetAnswer,
    MindsetRound,
    OfferAnswer,
    Organisation,
    RoleNeed,
    RoleOfferOverride,
    RoleStatus,
)
from factors.completion import organisations_completion_sync
from factors.matching import role_side_changed
from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt
from factors.scales import Direction, NeedLevel, OfferLevel
from factors.selectors import current_version


class EmployerError(Exception):
    """An expected refusal, shown to the person as it is."""


@dataclass(frozen=True)
class OfferInput:
    """A validated answer to one item of the current version (see employers.forms)."""

    item: Item
    level: int
    example: str = ""


def max_level(item: Item) -> int:
    return max(OfferLevel.values) if item.is_need else max(NeedLevel.values)


@transaction.atomic
def offer_answers_save(
    *,
    organisation: Organisation,
    answers: list[OfferInput],
    by: User,
    assisted_by: User | None = None,
) -> list[OfferAnswer]:
    """Save several answers at once: all of them, or (on any refusal) none.

    ``assisted_by`` is the practitioner who went through the activity with the business
    in a one-to-one meeting; staff pages say the answers were given with their help."""
    version = current_version()
    saved = []
    for answer in answers:
        item = answer.item
        if version is None or item.retired or item.factor.version_id != version.pk:
            raise EmployerError(_("This question is not part of the current activities."))
        if not 0 <= answer.level <= max_level(item):
            raise EmployerError(_("Choose one of the answers shown."))
        example = answer.example.strip() if item.is_need else ""
        row, _created = OfferAnswer.objects.update_or_create(
            organisation=organisation,
            item=item,
            defaults={
                "level": answer.level,
                "example": example,
                "answered_by": by,
                "assisted_by": assisted_by,
            },
        )
        saved.append(row)
    organisations_completion_sync(organisations=[organisation.pk])
    return saved


@transaction.atomic
def offer_carry_forward(*, organisation: Organisation, factor: Factor) -> int:
    """Copy answers given against older versions onto this factor's current item rows.

    Only items with no answer of their own get one; an item whose direction changed
    between versions is skipped (the old answer was on another scale). Returns how many
    answers were copied. Safe to run twice or in two tabs at once (conflicts are ignored).
    """
    items = [item for item in factor.items.all() if not item.retired]
    answered = set(
        OfferAnswer.objects.filter(organisation=organisation, item__in=items).values_list(
            "item_id", flat=True
        )
    )
    missing = {(item.identity, item.direction): item for item in items if item.pk not in answered}
    if not missing:
        return 0
    older = (
        OfferAnswer.objects.filter(
            organisation=organisation,
            item__identity__in=[identity for identity, _direction in missing],
            item__factor__version__number__lt=factor.version.number,
        )
        .select_related("item")
        .order_by("item__factor__version__number", "pk")
    )
    latest: dict[tuple[uuid.UUID, str], OfferAnswer] = {}
    for answer in older:
        latest[(answer.item.identity, answer.item.direction)] = answer
    copies = [
        OfferAnswer(
            organisation=organisation,
            item=missing[key],
            level=answer.level,
            example=answer.example,
            answered_by=answer.answered_by,
            assisted_by_id=answer.assisted_by_id,
        )
        for key, answer in latest.items()
        if key in missing and answer.level <= max_level(missing[key])
    ]
    OfferAnswer.objects.bulk_create(copies, ignore_conflicts=True)
    if copies:
        organisations_completion_sync(organisations=[organisation.pk])
    role_side_changed()  # bulk_create sends no signal: ranked role lists must re-read
    return len(copies)


def offer_suggestion_adopt(
    *, organisation: Organisation, item: Item, level: int, by: User
) -> OfferAnswer:
    """Put a builder suggestion into the offer in one step, keeping any example given."""
    if not item.is_need or level not in (OfferLevel.COULD_OFFER, OfferLevel.OFFERED):
        raise EmployerError(_("Choose whether you offer this or could offer it."))
    existing = OfferAnswer.objects.filter(organisation=organisation, item=item).first()
    example = existing.example if existing else ""
    return offer_answers_save(
        organisation=organisation,
        answers=[OfferInput(item=item, level=level, example=example)],
        by=by,
    )[0]


# --- Mindset check -----------------------------------------------------------------------


@dataclass(frozen=True)
class MindsetInput:
    prompt: MindsetPrompt
    agreement: int
    note: str = ""


@transaction.atomic
def mindset_round_record(
    *,
    organisation: Organisation,
    version: FrameworkVersion,
    answers: list[MindsetInput],
    by: User,
    token: uuid.UUID,
) -> tuple[MindsetRound, bool]:
    """Record one round of the mindset check. Returns (round, created).

    The form's ``token`` makes the round idempotent: submitting the same page twice
    (a double click, a resent form) returns the round already recorded.
    """
    existing = MindsetRound.objects.filter(token=token).first()
    if existing is not None:
        if existing.organisation_id != organisation.pk:
            raise EmployerError(_("This form has expired. Please open the page again."))
        return existing, False
    if not answers:
        raise EmployerError(_("Answer at least one statement."))
    try:
        with transaction.atomic():
            mindset_round = MindsetRound.objects.create(
                organisation=organisation, version=version, answered_by=by, token=token
            )
    except IntegrityError:
        return MindsetRound.objects.get(token=token, organisation=organisation), False
    MindsetAnswer.objects.bulk_create(
        MindsetAnswer(
            round=mindset_round, prompt=a.prompt, agreement=a.agreement, note=a.note.strip()
        )
        for a in answers
    )
    return mindset_round, True


# --- Roles -------------------------------------------------------------------------------


ROLE_FIELDS = (
    "title",
    "duties",
    "hours_per_week",
    "location",
    "region",
    "pay_min",
    "pay_max",
    "pay_period",
)


def _check_pay(data: dict[str, Any]) -> None:
    low, high = Decimal(data["pay_min"]), Decimal(data["pay_max"])
    if low > high:
        raise EmployerError(_("The lowest pay cannot be more than the highest pay."))


def role_create(
    *, organisation: Organisation, data: dict[str, Any], by: User, token: uuid.UUID | None
) -> tuple[JobRole, bool]:
    """Create a draft role. Returns (role, created); the same form token gives the same role."""
    _check_pay(data)
    if token is not None:
        existing = JobRole.objects.filter(form_token=token).first()
        if existing is not None:
            if existing.organisation_id != organisation.pk:
                raise EmployerError(_("This form has expired. Please open the page again."))
            return existing, False
    try:
        with transaction.atomic():
            role = JobRole.objects.create(
                organisation=organisation,
                created_by=by,
                form_token=token,
                **{name: data[name] for name in ROLE_FIELDS},
            )
    except IntegrityError:
        existing = JobRole.objects.filter(form_token=token, organisation=organisation).first()
        if existing is None:
            raise
        return existing, False
    return role, True


def role_update(*, role: JobRole, data: dict[str, Any], by: User) -> JobRole:
    _check_pay(data)
    for name in ROLE_FIELDS:
        setattr(role, name, data[name])
    role.save(update_fields=[*ROLE_FIELDS, "updated_at"])
    return role


@dataclass(frozen=True)
class RoleLevelInput:
    """A role's level on one current item; None means "same as the business"."""

    item: Item
    level: int | None


@transaction.atomic
def role_offer_save(*, role: JobRole, rows: list[RoleLevelInput], by: User) -> None:
    """Save the role's overrides (worker-needs items) and own needs (worker-offers items).

    For each item, rows for older versions of the same identity are removed so the role
    holds one level per item; a None level returns the item to the business's answer.
    """
    version = current_version()
    for row in rows:
        item = row.item
        if version is None or item.retired or item.factor.version_id != version.pk:
            raise EmployerError(_("This question is not part of the current activities."))
        if row.level is not None and not 0 <= row.level <= max_level(item):
            raise EmployerError(_("Choose one of the answers shown."))
        model = RoleOfferOverride if item.direction == Direction.WORKER_NEEDS else RoleNeed
        model.objects.filter(role=role, item__identity=item.identity).exclude(item=item).delete()
        if row.level is None:
            model.objects.filter(role=role, item=item).delete()
        else:
            model.objects.update_or_create(role=role, item=item, defaults={"level": row.level})
    JobRole.objects.filter(pk=role.pk).update(updated_at=timezone.now())
    role_side_changed()


def role_publish(*, role: JobRole, by: User) -> JobRole:
    """Publish a role so it can be matched. It needs its posting first.

    A closed role can be published again; publishing a published role changes nothing.
    """
    if role.status == RoleStatus.PUBLISHED:
        return role
    posting = JobPosting.objects.filter(role=role).first()
    if posting is None or not posting.text.strip():
        raise EmployerError(_("Write and save the job posting before you publish this role."))
    role.status = RoleStatus.PUBLISHED
    role.published_at = timezone.now()
    role.published_by = by
    role.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return role


def role_close(*, role: JobRole, by: User) -> JobRole:
    """Close a role: it is no longer matched, and stays in the list for the record."""
    if role.status == RoleStatus.DRAFT:
        raise EmployerError(_("A draft role has not been published, so there is nothing to close."))
    if role.status != RoleStatus.CLOSED:
        role.status = RoleStatus.CLOSED
        role.save(update_fields=["status", "updated_at"])
    return role


def posting_save(*, role: JobRole, text: str, language: str, by: User) -> JobPosting:
    """Save the employer's own text for the role's posting (one posting per role)."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise EmployerError(_("The posting is empty. Write or generate a posting first."))
    if language not in ("en", "fr"):
        raise EmployerError(_("Choose English or French."))
    posting, _created = JobPosting.objects.update_or_create(
        role=role, defaults={"text": text, "language": language, "updated_by": by}
    )
    return posting

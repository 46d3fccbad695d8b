"""Writes for the job seeker's journey: consent, answers, reflections, mindset, history, erasure.

Each function is one transaction. Expected refusals raise ``SeekerError`` with
a message fit to show the person; nothing is saved when one is raised.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_consent
from employers.models import Organisation
from factors.matching import refresh_seeker_vector
from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt, VersionStatus
from factors.scales import Agreement, Importance, Side, Strength
from factors.selectors import current_version, has_older_versions
from seekers.models import (
    CONSENT_WORDING_VERSION,
    EMPLOYER_CONSENT_DAYS,
    Answer,
    Consent,
    ConsentKind,
    EmployerConsent,
    ErasureRequest,
    ErasureStatus,
    MindsetOccasion,
    MindsetResponse,
    MindsetRound,
    ProfileSnapshot,
    Reflection,
    Seeker,
)

logger = logging.getLogger("thriving.seekers")

EXAMPLE_MAX = 500
REFLECTION_MAX = 2000
NOTE_MAX = 300


class SeekerError(Exception):
    """An expected refusal, shown to the person as it is."""


def seeker_for_user(*, user: Any) -> Seeker:
    """The signed-in seeker's record, created on first visit (sign-up normally makes it)."""
    seeker, _created = Seeker.objects.select_related("user").get_or_create(user=user)
    return seeker


def _lock(seeker: Seeker) -> None:
    """Serialise writes for one seeker (two tabs, double clicks)."""
    Seeker.objects.select_for_update().filter(pk=seeker.pk).first()


# --- consent ------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *, seeker: Seeker, kind: str, wording_version: str = CONSENT_WORDING_VERSION
) -> Consent:
    """Record an agreement. Agreeing again to the same wording changes nothing."""
    if kind not in ConsentKind.values:
        raise ValueError(f"Unknown consent kind {kind!r}")
    _lock(seeker)
    now = timezone.now()
    active = seeker.consents.filter(kind=kind, withdrawn_at__isnull=True).first()
    if active is not None:
        if active.wording_version == wording_version:
            return active
        active.withdrawn_at = now  # superseded by agreement to the new wording
        active.save(update_fields=["withdrawn_at"])
    audit_consent(actor=seeker.user, seeker=seeker, event=f"consent.{kind}.give")
    return Consent.objects.create(
        seeker=seeker, kind=kind, wording_version=wording_version, granted_at=now
    )


@transaction.atomic
def consent_withdraw(*, seeker: Seeker, kind: str) -> int:
    """Withdraw at once. Withdrawing data use also ends every kind of sharing."""
    _lock(seeker)
    now = timezone.now()
    kinds = [kind] if kind != ConsentKind.DATA_USE else list(ConsentKind.values)
    count = seeker.consents.filter(kind__in=kinds, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    if kind == ConsentKind.DATA_USE:
        seeker.employer_consents.filter(withdrawn_at__isnull=True, expires_at__gt=now).update(
            withdrawn_at=now
        )
    if count:  # nothing was active: nothing changed, nothing to log
        audit_consent(actor=seeker.user, seeker=seeker, event=f"consent.{kind}.withdraw")
    return count


@transaction.atomic
def welcome_accept(*, seeker: Seeker, share_with_practitioner: bool) -> None:
    """The welcome page's two separate choices, saved together."""
    consent_give(seeker=seeker, kind=ConsentKind.DATA_USE)
    sharing_set(seeker=seeker, share=share_with_practitioner)


@transaction.atomic
def sharing_set(*, seeker: Seeker, share: bool) -> None:
    if share:
        consent_give(seeker=seeker, kind=ConsentKind.PRACTITIONER)
    else:
        consent_withdraw(seeker=seeker, kind=ConsentKind.PRACTITIONER)


@transaction.atomic
def consent_grant_employer(
    *, seeker: Seeker, organisation: Organisation, source: str
) -> EmployerConsent:
    """Let one employer see the seeker's profile for twelve months.

    Agreeing again while a consent is active renews it: the twelve months run
    from the latest agreement. Refused when the seeker has not agreed to the
    service using their answers at all, or has been anonymised.
    """
    from seekers.selectors import has_data_consent

    _lock(seeker)
    if seeker.erased_at is not None or not has_data_consent(seeker=seeker):
        raise SeekerError(_("Agree to the use of your answers before sharing them."))
    now = timezone.now()
    expires = now + datetime.timedelta(days=EMPLOYER_CONSENT_DAYS)
    active = seeker.employer_consents.filter(
        organisation=organisation, withdrawn_at__isnull=True, expires_at__gt=now
    ).first()
    audit_consent(actor=seeker.user, seeker=seeker, event="consent.employer.give")
    if active is not None:
        active.granted_at, active.expires_at, active.source = now, expires, source
        active.save(update_fields=["granted_at", "expires_at", "source"])
        return active
    return EmployerConsent.objects.create(
        seeker=seeker, organisation=organisation, granted_at=now, expires_at=expires, source=source
    )


@transaction.atomic
def consent_withdraw_employer(*, seeker: Seeker, organisation: Organisation) -> int:
    """Stop sharing with one employer, at once. Returns how many consents ended."""
    _lock(seeker)
    now = timezone.now()
    audit_consent(actor=seeker.user, seeker=seeker, event="consent.employer.withdraw")
    return seeker.employer_consents.filter(
        organisation=organisation, withdrawn_at__isnull=True, expires_at__gt=now
    ).update(withdrawn_at=now)


# --- carrying answers forward to a new framework version ---------------------------------


CARRIED_SECONDS = 7 * 24 * 3600


def _carried_key(seeker: Seeker, version: FrameworkVersion) -> str:
    published = version.published_at.timestamp() if version.published_at else ""
    return f"seekers:carried:{seeker.pk}:{version.pk}:{published}"


def answers_carry_forward(
    *, seeker: Seeker, version: FrameworkVersion, factor: Factor | None = None
) -> int:
    """Copy answers given against older versions to the same items (by identity and
    direction) of ``version`` where the seeker has not answered yet; the same for
    reflections.

    Retired items are not copied to (they are no longer asked); their old answers
    stay on the old rows for history.

    Called on every view of the hub, the profile and an activity, so it first looks
    whether there can be anything to copy: no query when no version is older than
    ``version``, one cache read when this seeker's answers were already carried forward
    to this published version. That mark stays true: answers and reflections are only
    ever given against the current version (older ones never change again) and their rows
    are never deleted (erasure clears free text only), so a second pass finds nothing
    more to copy. It is set once the copying has committed.
    """
    if not has_older_versions(version=version):
        return 0
    whole = factor is None and version.status == VersionStatus.PUBLISHED
    if whole and cache.get(_carried_key(seeker, version)):
        return 0
    copied = _answers_carry_forward(seeker=seeker, version=version, factor=factor)
    if whole:
        key = _carried_key(seeker, version)
        transaction.on_commit(lambda: cache.set(key, 1, CARRIED_SECONDS))
    return copied


@transaction.atomic
def _answers_carry_forward(
    *, seeker: Seeker, version: FrameworkVersion, factor: Factor | None
) -> int:
    targets = Item.objects.filter(factor__version=version, retired=False)
    if factor is not None:
        targets = targets.filter(factor=factor)
    answered = Answer.objects.filter(seeker=seeker, item__factor__version=version)
    old = (
        Answer.objects.filter(
            seeker=seeker,
            item__factor__version__number__lt=version.number,
            item__identity__in=targets.values("identity"),
        )
        .exclude(item__identity__in=answered.values("item__identity"))
        .annotate(
            target_id=Subquery(
                targets.filter(
                    identity=OuterRef("item__identity"), direction=OuterRef("item__direction")
                ).values("pk")[:1]
            )
        )
        # An item turned round between versions (a need became an offer) was answered on
        # another scale: its old answer is not copied (``offer_carry_forward`` does the same).
        .filter(target_id__isnull=False)
        .order_by("item__identity", "-item__factor__version__number")
    )
    copies: dict[int, Answer] = {}
    for answer in old:
        copies.setdefault(
            answer.target_id,  # type: ignore[attr-defined]
            Answer(
                seeker=seeker,
                item_id=answer.target_id,  # type: ignore[attr-defined]
                level=answer.level,
                dealbreaker=answer.dealbreaker,
                example=answer.example,
                assisted_by_id=answer.assisted_by_id,
            ),
        )
    Answer.objects.bulk_create(list(copies.values()), ignore_conflicts=True)
    if copies:
        refresh_seeker_vector(seeker=seeker)
    _reflections_carry_forward(seeker=seeker, version=version, factor=factor)
    return len(copies)


def _reflections_carry_forward(
    *, seeker: Seeker, version: FrameworkVersion, factor: Factor | None
) -> None:
    factors = Factor.objects.filter(version=version)
    if factor is not None:
        factors = factors.filter(pk=factor.pk)
    have = Reflection.objects.filter(seeker=seeker, factor__version=version)
    old = (
        Reflection.objects.filter(
            seeker=seeker,
            factor__version__number__lt=version.number,
            factor__key__in=factors.values("key"),
        )
        .exclude(text="")
        .exclude(factor__key__in=have.values("factor__key"))
        .annotate(target_id=Subquery(factors.filter(key=OuterRef("factor__key")).values("pk")[:1]))
        .order_by("factor__key", "-factor__version__number")
    )
    copies: dict[int, Reflection] = {}
    for reflection in old:
        copies.setdefault(
            reflection.target_id,  # type: ignore[attr-defined]
            Reflection(seeker=seeker, factor_id=reflection.target_id, text=reflection.text),  # type: ignore[attr-defined]
        )
    Reflection.objects.bulk_create(list(copies.values()), ignore_conflicts=True)


# --- answers --------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerInput:
    """One item's answer as the person gave it, before it is checked."""

    item: Item
    level: int | None
    dealbreaker: bool = False
    example: str = ""


def _check_factor_is_current(factor: Factor) -> None:
    version = current_version()
    if version is None or factor.version_id != version.pk:
        raise SeekerError(_("This activity has been updated. Please open it again."))


def check_answer(*, factor: Factor, answer: AnswerInput) -> None:
    """Every rule an answer must meet; raises SeekerError with the reason."""
    item = answer.item
    if item.factor_id != factor.pk or item.retired:
        raise SeekerError(_("That question is not part of this activity."))
    scale = Importance if item.is_need else Strength
    if answer.level is None:
        if answer.dealbreaker:
            raise SeekerError(_("Choose how much it matters, too."))
        raise SeekerError(_("Choose one of the answers."))
    if answer.level not in scale.values:
        raise SeekerError(_("Choose one of the answers shown."))
    if answer.dealbreaker and (not item.is_need or answer.level == Importance.NOT_IMPORTANT):
        raise SeekerError(_("Something that would push you away cannot also be “Not important”."))
    if len(answer.example) > EXAMPLE_MAX:
        raise SeekerError(_("Keep the example under %(max)s characters.") % {"max": EXAMPLE_MAX})


def _store_answer(*, seeker: Seeker, answer: AnswerInput, assisted_by: Any) -> Answer:
    # update_or_create locks the existing row (select_for_update) and, if two
    # requests race to create it, the unique constraint makes the loser update.
    obj, _created = Answer.objects.update_or_create(
        seeker=seeker,
        item=answer.item,
        defaults={
            "level": answer.level,
            "dealbreaker": answer.dealbreaker and answer.item.is_need,
            "example": answer.example.strip() if not answer.item.is_need else "",
            "assisted_by": assisted_by,
        },
    )
    return obj


@transaction.atomic
def answer_save(
    *, seeker: Seeker, factor: Factor, answer: AnswerInput, assisted_by: Any = None
) -> Answer:
    """Save one item as the seeker goes (the htmx path)."""
    _check_factor_is_current(factor)
    check_answer(factor=factor, answer=answer)
    stored = _store_answer(seeker=seeker, answer=answer, assisted_by=assisted_by)
    refresh_seeker_vector(seeker=seeker)
    return stored


def check_reflection(text: str) -> str:
    text = text.strip()
    try:  # the autosave posts the text without a form: refuse what a form field would
        ProhibitNullCharactersValidator()(text)
    except ValidationError as error:
        raise SeekerError(error.messages[0]) from error
    if len(text) > REFLECTION_MAX:
        raise SeekerError(
            _("Keep your reflection under %(max)s characters.") % {"max": REFLECTION_MAX}
        )
    return text


@transaction.atomic
def reflection_save(*, seeker: Seeker, factor: Factor, text: str) -> Reflection:
    _check_factor_is_current(factor)
    text = check_reflection(text)
    obj, _created = Reflection.objects.update_or_create(
        seeker=seeker, factor=factor, defaults={"text": text}
    )
    return obj


@transaction.atomic
def activity_save(
    *,
    seeker: Seeker,
    factor: Factor,
    answers: Sequence[AnswerInput],
    reflection: str | None,
    assisted_by: Any = None,
) -> int:
    """Save a whole activity at once (the form post without JavaScript): all or nothing."""
    _check_factor_is_current(factor)
    for answer in answers:
        check_answer(factor=factor, answer=answer)
    if reflection is not None:
        reflection = check_reflection(reflection)
    _lock(seeker)
    for answer in answers:
        _store_answer(seeker=seeker, answer=answer, assisted_by=assisted_by)
    if answers:
        refresh_seeker_vector(seeker=seeker)
    if reflection is not None:
        Reflection.objects.update_or_create(
            seeker=seeker, factor=factor, defaults={"text": reflection}
        )
    return len(answers)


# --- mindset --------------------------------------------------------------------------


@dataclass(frozen=True)
class MindsetInput:
    prompt: MindsetPrompt
    agreement: int
    note: str = ""


def _check_mindset(
    *, version: FrameworkVersion, responses: Sequence[MindsetInput], expected: set[int]
) -> None:
    given = [r.prompt.pk for r in responses]
    if len(set(given)) != len(given) or set(given) != expected:
        raise SeekerError(_("Answer every statement once."))
    for response in responses:
        if response.agreement not in Agreement.values:
            raise SeekerError(_("Choose one of the answers shown."))
        if len(response.note) > NOTE_MAX:
            raise SeekerError(_("Keep each note under %(max)s characters.") % {"max": NOTE_MAX})


@transaction.atomic
def mindset_record(
    *,
    seeker: Seeker,
    version: FrameworkVersion,
    token: uuid.UUID,
    responses: Sequence[MindsetInput],
) -> MindsetRound:
    """Keep one sitting of the mindset check. The first is the intake, later ones retakes.

    Posting the same form twice returns the round already saved (same token).
    """
    expected = set(
        MindsetPrompt.objects.filter(
            factor__version=version, side=Side.WORKER, retired=False
        ).values_list("pk", flat=True)
    )
    _check_mindset(version=version, responses=responses, expected=expected)
    _lock(seeker)
    existing = seeker.mindset_rounds.filter(token=token).first()
    if existing is not None:
        return existing
    occasion = MindsetOccasion.RETAKE if seeker.mindset_rounds.exists() else MindsetOccasion.INTAKE
    try:
        with transaction.atomic():
            round_ = MindsetRound.objects.create(
                seeker=seeker, version=version, occasion=occasion, token=token
            )
    except IntegrityError:
        return seeker.mindset_rounds.get(token=token)
    MindsetResponse.objects.bulk_create(
        MindsetResponse(round=round_, prompt=r.prompt, agreement=r.agreement, note=r.note.strip())
        for r in responses
    )
    return round_


# --- history --------------------------------------------------------------------------


@transaction.atomic
def profile_retake(*, seeker: Seeker) -> ProfileSnapshot:
    """Keep the completed profile as dated history before the seeker goes through it again.

    Nothing new is kept when nothing changed since the last saved profile (a
    double click, or pressing it twice), so history holds real changes only.
    """
    from seekers.selectors import profile_summary

    _lock(seeker)
    version = current_version()
    if version is None:
        raise SeekerError(_("The activities are not available yet."))
    answers_carry_forward(seeker=seeker, version=version)
    summary = profile_summary(seeker=seeker, version=version)
    if not summary.complete:
        raise SeekerError(_("Finish all six activities before you start again."))
    last = seeker.snapshots.order_by("-taken_at", "-pk").first()
    if last is not None and last.data.get("answers") == summary.snapshot.get("answers"):
        return last
    return ProfileSnapshot.objects.create(seeker=seeker, version=version, data=summary.snapshot)


# --- erasure --------------------------------------------------------------------------


@transaction.atomic
def erasure_request(*, seeker: Seeker) -> ErasureRequest:
    """Ask for erasure. Asking twice keeps one request."""
    _lock(seeker)
    pending = seeker.erasure_requests.filter(status=ErasureStatus.PENDING).first()
    if pending is not None:
        return pending
    return ErasureRequest.objects.create(seeker=seeker)


@transaction.atomic
def erasure_cancel(*, seeker: Seeker) -> bool:
    _lock(seeker)
    return bool(
        seeker.erasure_requests.filter(status=ErasureStatus.PENDING).update(
            status=ErasureStatus.CANCELLED, decided_at=timezone.now()
        )
    )


@transaction.atomic
def erasure_confirm(*, request: ErasureRequest, by: Any) -> None:
    """A practitioner of the seeker's caseload, or an admin, confirms: anonymise now."""
    locked = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ErasureStatus.PENDING:
        raise SeekerError(_("This request has already been handled."))
    seeker_anonymise(seeker=locked.seeker)
    locked.status = ErasureStatus.DONE
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    logger.info("erasure confirmed: seeker=%s by=%s", locked.seeker_id, getattr(by, "pk", None))


@transaction.atomic
def seeker_anonymise(*, seeker: Seeker) -> None:
    """Remove what identifies the person; keep answer levels so program figures stay true.

    Name and email are replaced, every free text (examples, reflections, mindset
    notes) is cleared, all sharing ends, and the account can no longer sign in.
    Saved profiles hold no free text, so they stay as they are.
    """
    from allauth.account.models import EmailAddress

    _lock(seeker)
    now = timezone.now()
    user = seeker.user
    user.email = f"erased-{seeker.pk}-{secrets.token_hex(4)}@erased.invalid"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    EmailAddress.objects.filter(user=user).delete()
    seeker.answers.exclude(example="").update(example="")
    seeker.reflections.update(text="")
    MindsetResponse.objects.filter(round__seeker=seeker).exclude(note="").update(note="")
    seeker.consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    seeker.employer_consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    seeker.erased_at = now
    seeker.save(update_fields=["erased_at"])

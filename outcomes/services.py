"""Writes of the outcomes app: schedule follow-ups as they come due, remind, record answers.

Scheduling is idempotent: ``follow_ups_schedule`` may run any number of times a day (Celery
beat runs it hourly) and creates each (placement, party, month) row once, on or after its due
date. Reminders are claimed row by row (an UPDATE that only one runner wins), so two beats
running at once never email the same person twice.
"""

from __future__ import annotations

import calendar
import logging
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from employers.models import Member
from factors.models import MindsetPrompt
from factors.scales import FactorKey, Side
from outcomes.models import (
    FOLLOW_UP_MONTHS,
    FollowUp,
    FollowUpFactor,
    FollowUpParty,
    FollowUpSource,
    StillThere,
    WhoDecided,
)
from practitioners.models import Placement

logger = logging.getLogger("thriving.outcomes")

LINK_SALT = "outcomes.follow-up"
# A reminder link works this many days after it was sent (settings may shorten it).
LINK_MAX_AGE_DAYS = getattr(settings, "OUTCOMES_LINK_DAYS", 30)
# Follow-ups that came due longer ago than this get no reminder (they were missed;
# the practitioner's list still shows them).
REMINDER_WINDOW_DAYS = 30
MINDSET_NAMESPACE = uuid.UUID("6f1c7c2e-3c55-4d0e-9a52-2f5d2b0e7a11")


class OutcomeError(Exception):
    """A follow-up answer that cannot be saved; the message is shown to the person."""


class LinkRefused(Exception):
    """A follow-up link that cannot be used. ``reason`` is invalid, expired or answered."""

    def __init__(self, reason: str, *, language: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        # The person's language when the link is genuinely theirs (expired or used): the
        # page that says no is then in the language of the email that carried the link.
        self.language = language


# --- dates ------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; the month's last day if it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(*, started_on: date, month: int) -> date:
    return add_months(started_on, month)


# --- scheduling -------------------------------------------------------------------------


def follow_ups_schedule(*, today: date | None = None) -> int:
    """Create every follow-up that has come due by ``today`` and does not exist yet.

    Both parties get one per month. Returns how many rows were created. Placements are
    narrowed in SQL (started at least N months ago, missing that month's row), so a daily
    run touches only the few placements whose date has just come.
    """
    today = today or timezone.localdate()
    created = 0
    for month in FOLLOW_UP_MONTHS:
        # add_months never moves a day later than the same day N months on, so
        # started_on <= today - N*28 days is a safe SQL pre-filter; the exact date is
        # checked below.
        latest_start = today - timedelta(days=28 * month)
        have = FollowUp.objects.filter(placement=OuterRef("pk"), month=month)
        candidates = Placement.objects.filter(started_on__lte=latest_start).filter(
            ~Exists(have.filter(party=FollowUpParty.WORKER))
            | ~Exists(have.filter(party=FollowUpParty.EMPLOYER))
        )
        rows = []
        for placement_id, started_on in candidates.values_list("pk", "started_on").iterator():
            due = due_on(started_on=started_on, month=month)
            if due > today:
                continue
            rows.extend(
                FollowUp(placement_id=placement_id, party=party, month=month, due_on=due)
                for party in FollowUpParty.values
            )
        if rows:
            # ignore_conflicts: a row created meanwhile (another beat, the demo) stays as it is.
            before = FollowUp.objects.filter(month=month).count()
            FollowUp.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
            created += FollowUp.objects.filter(month=month).count() - before
    return created


# --- signed links -----------------------------------------------------------------------


def follow_up_token(*, follow_up: FollowUp, user: User) -> str:
    """A signed, timestamped token naming the follow-up and the person it was sent to."""
    return signing.dumps({"f": follow_up.pk, "u": user.pk}, salt=LINK_SALT, compress=True)


def follow_up_link(*, follow_up: FollowUp, user: User) -> str:
    token = follow_up_token(follow_up=follow_up, user=user)
    return settings.SITE_URL.rstrip("/") + reverse("outcomes:answer", args=[token])


def follow_up_for_token(*, token: str) -> tuple[FollowUp, User]:
    """The follow-up and person behind a link, or ``LinkRefused``.

    Refused when the signature does not match (tampered or made up), when it is older
    than ``LINK_MAX_AGE_DAYS``, when the follow-up is already answered (links are single
    use), or when the person no longer belongs to that side of the placement.
    """
    if not token or len(token) > 500:
        raise LinkRefused("invalid")
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(days=LINK_MAX_AGE_DAYS))
    except signing.SignatureExpired:
        # Signed by us, only too old: who it was sent to is still known for certain.
        stale = signing.loads(token, salt=LINK_SALT)
        raise LinkRefused("expired", language=_language_of(stale)) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkRefused("invalid") from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("f", "u")):
        raise LinkRefused("invalid")
    follow_up = (
        FollowUp.objects.select_related(
            "placement__seeker__user", "placement__organisation", "placement__role"
        )
        .filter(pk=data["f"])
        .first()
    )
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if follow_up is None or user is None or not _answers_for(follow_up=follow_up, user=user):
        raise LinkRefused("invalid")
    if follow_up.is_answered:
        raise LinkRefused("answered", language=user.language or "")
    return follow_up, user


def _language_of(data: object) -> str:
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return ""
    user = User.objects.filter(pk=data["u"], is_active=True).only("language").first()
    return (user.language or "") if user else ""


def _answers_for(*, follow_up: FollowUp, user: User) -> bool:
    placement = follow_up.placement
    if follow_up.party == FollowUpParty.WORKER:
        return placement.seeker.user_id == user.pk and placement.seeker.erased_at is None
    return Member.objects.filter(organisation_id=placement.organisation_id, user=user).exists()


# --- reminders --------------------------------------------------------------------------


def recipients(*, follow_up: FollowUp) -> list[User]:
    """Who is asked: the worker themself, or every member of the employer's business."""
    placement = follow_up.placement
    if follow_up.party == FollowUpParty.WORKER:
        seeker = placement.seeker
        if seeker.erased_at is not None or not seeker.user.is_active:
            return []
        return [seeker.user]
    return [
        m.user
        for m in Member.objects.filter(
            organisation_id=placement.organisation_id, user__is_active=True
        ).select_related("user")
    ]


def follow_up_reminders_send(*, now: datetime | None = None) -> int:
    """Email every follow-up due recently that has not been reminded nor answered.

    Each row is claimed by stamping ``reminder_sent_at`` first (only one runner wins the
    UPDATE), then emailed. Returns the number of emails sent.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = FollowUp.objects.filter(
        reminder_sent_at__isnull=True,
        answered_at__isnull=True,
        due_on__lte=today,
        due_on__gte=today - timedelta(days=REMINDER_WINDOW_DAYS),
    ).select_related("placement__seeker__user", "placement__organisation", "placement__role")
    sent = 0
    for follow_up in pending.iterator(chunk_size=200):
        claimed = FollowUp.objects.filter(pk=follow_up.pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        for user in recipients(follow_up=follow_up):
            try:
                _email_reminder(follow_up=follow_up, user=user)
                sent += 1
            except Exception:  # one bad address must not stop the others
                logger.exception("follow-up reminder %s to user %s failed", follow_up.pk, user.pk)
    return sent


def _email_reminder(*, follow_up: FollowUp, user: User) -> None:
    placement = follow_up.placement
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {
            "follow_up": follow_up,
            "placement": placement,
            "user": user,
            "worker": follow_up.party == FollowUpParty.WORKER,
            "link": follow_up_link(follow_up=follow_up, user=user),
            "days": LINK_MAX_AGE_DAYS,
            "role": str(placement.role),
            "business": placement.organisation.name,
            "person": placement.seeker.user.display_name,
            "months": follow_up.get_month_display(),
        }
        subject = _("How is the job going? A %(months)s follow-up") % {
            "months": follow_up.get_month_display()
        }
        text = render_to_string("outcomes/email/reminder.txt", context)
        html = render_to_string("outcomes/email/reminder.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


# --- answering --------------------------------------------------------------------------


@dataclass
class FollowUpAnswer:
    still_there: str
    left_on: date | None = None
    hours_now: Decimal | None = None
    wage_now: Decimal | None = None
    wage_period_now: str = ""
    who_decided: str = ""
    comment: str = ""
    satisfaction: Mapping[str, int | None] = field(default_factory=dict)
    pushed_apart: Iterable[str] = ()
    # prompt id -> agreement (1..5); only at the mindset follow-up
    mindset: Mapping[int, int] = field(default_factory=dict)


def _check(answer: FollowUpAnswer, follow_up: FollowUp, today: date) -> None:
    if answer.still_there not in StillThere.values:
        raise OutcomeError(_("Say whether the person is still in the job."))
    pushed = set(answer.pushed_apart)
    if not pushed <= set(FactorKey.values):
        raise OutcomeError(_("Choose factors from the list."))
    if not set(answer.satisfaction) <= set(FactorKey.values):
        raise OutcomeError(_("Choose factors from the list."))
    if any(v is not None and not 1 <= v <= 5 for v in answer.satisfaction.values()):
        raise OutcomeError(_("Rate satisfaction from 1 to 5."))
    if answer.who_decided and answer.who_decided not in WhoDecided.values:
        raise OutcomeError(_("Choose who decided from the list."))
    _check_leaving(answer, follow_up, today)
    if answer.wage_now is not None and not answer.wage_period_now:
        raise OutcomeError(_("Say whether the wage is by the hour or by the year."))
    if len(answer.comment) > 2000:
        raise OutcomeError(_("Keep the comment under 2000 characters."))


def _check_leaving(answer: FollowUpAnswer, follow_up: FollowUp, today: date) -> None:
    pushed = set(answer.pushed_apart)
    left = answer.still_there == StillThere.LEFT
    if not left and (pushed or answer.who_decided or answer.left_on):
        raise OutcomeError(
            _("The leaving date, the reasons and who decided are only for someone who left.")
        )
    if left and not answer.who_decided:
        raise OutcomeError(_("Say who decided the job should end (or choose “Unknown”)."))
    if answer.left_on is not None:
        if answer.left_on > today:
            raise OutcomeError(_("The leaving date cannot be in the future."))
        if answer.left_on < follow_up.placement.started_on:
            raise OutcomeError(_("The leaving date cannot be before the job started."))


@transaction.atomic
def follow_up_answer(
    *,
    follow_up: FollowUp,
    answer: FollowUpAnswer,
    source: str,
    recorded_by: User | None = None,
    responder: User | None = None,
) -> FollowUp:
    """Record the answer to a follow-up, once. Everything or nothing is saved.

    ``recorded_by`` is the practitioner who took it (a call, a visit); it stays empty
    when the person answered themselves through the link (``responder``).
    """
    if source not in FollowUpSource.values:
        raise OutcomeError(_("Say how the answer was given."))
    locked = FollowUp.objects.select_for_update().select_related("placement").get(pk=follow_up.pk)
    if locked.is_answered:
        raise OutcomeError(_("This follow-up has already been answered."))
    now = timezone.now()
    _check(answer, locked, timezone.localdate(now))
    left = answer.still_there == StillThere.LEFT
    locked.still_there = answer.still_there
    locked.left_on = answer.left_on if left else None
    locked.hours_now = answer.hours_now
    locked.wage_now = answer.wage_now
    locked.wage_period_now = answer.wage_period_now if answer.wage_now is not None else ""
    locked.who_decided = answer.who_decided if left else ""
    locked.comment = answer.comment.strip()
    locked.source = source
    locked.recorded_by = recorded_by
    locked.answered_at = now
    pushed = set(answer.pushed_apart) if left else set()
    keys = {k for k, v in answer.satisfaction.items() if v is not None} | pushed
    FollowUpFactor.objects.bulk_create(
        FollowUpFactor(
            follow_up=locked,
            factor_key=key,
            satisfaction=answer.satisfaction.get(key),
            pushed_apart=key in pushed,
        )
        for key in sorted(keys)
    )
    if answer.mindset and locked.asks_mindset:
        _record_mindset(follow_up=locked, mindset=answer.mindset, by=responder or recorded_by)
    locked.save()
    return locked


def mindset_prompts_for(*, follow_up: FollowUp) -> list[MindsetPrompt]:
    """The current version's mindset statements for the side asked, in order."""
    from factors.selectors import current_version

    version = current_version()
    if version is None or not follow_up.asks_mindset:
        return []
    side = Side.WORKER if follow_up.party == FollowUpParty.WORKER else Side.EMPLOYER
    return list(
        MindsetPrompt.objects.filter(factor__version=version, side=side, retired=False)
        .select_related("factor")
        .order_by("factor__order", "order", "pk")
    )


def _record_mindset(*, follow_up: FollowUp, mindset: Mapping[int, int], by: User | None) -> None:
    prompts = {p.pk: p for p in mindset_prompts_for(follow_up=follow_up)}
    if not prompts:
        return
    if set(mindset) != set(prompts):
        raise OutcomeError(_("Answer every statement about beliefs, or leave them all blank."))
    if any(v not in range(1, 6) for v in mindset.values()):
        raise OutcomeError(_("Choose one of the answers shown."))
    version = next(iter(prompts.values())).factor.version
    token = uuid.uuid5(MINDSET_NAMESPACE, f"follow-up:{follow_up.pk}")
    placement = follow_up.placement
    if follow_up.party == FollowUpParty.WORKER:
        from seekers.services import MindsetInput, SeekerError, mindset_record

        try:
            follow_up.seeker_mindset_round = mindset_record(
                seeker=placement.seeker,
                version=version,
                token=token,
                responses=[
                    MindsetInput(prompt=prompts[k], agreement=v) for k, v in mindset.items()
                ],
            )
        except SeekerError as error:
            raise OutcomeError(str(error)) from None
    else:
        from employers.services import EmployerError, mindset_round_record
        from employers.services import MindsetInput as EmployerMindsetInput

        if by is None:
            raise OutcomeError(_("Sign in to answer the statements about beliefs."))
        try:
            follow_up.employer_mindset_round, _created = mindset_round_record(
                organisation=placement.organisation,
                version=version,
                answers=[
                    EmployerMindsetInput(prompt=prompts[k], agreement=v) for k, v in mindset.items()
                ],
                by=by,
                token=token,
            )
        except EmployerError as error:
            raise OutcomeError(str(error)) from None

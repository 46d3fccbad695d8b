"""Outcomes: what became of a placement, asked of both sides at 1, 3, 6 and 12 months.

A ``FollowUp`` row exists once it has come due (Celery beat creates it, see
``outcomes.services.follow_ups_schedule``) and stays unanswered until the worker or the
employer answers through the emailed link, or a practitioner records it from a call.
``source`` and ``still_there`` stay blank until then, so "answered" is
``answered_at IS NOT NULL`` and the dashboard can count in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import PayPeriod
from factors.scales import FactorKey
from thriving.choices import QuickChoiceLabels

FOLLOW_UP_MONTHS = (1, 3, 6, 12)
# The follow-up at which the mindset prompts are asked again and the bargain revisited.
MINDSET_MONTH = 3


class FollowUpParty(models.TextChoices):
    WORKER = "worker", _("Worker")
    EMPLOYER = "employer", _("Employer")


class FollowUpSource(models.TextChoices):
    ONLINE_LINK = "online_link", _("Answered online through the emailed link")
    PHONE = "phone", _("Phone call")
    IN_PERSON = "in_person", _("In person")
    EMAIL = "email", _("Email")


class StillThere(models.TextChoices):
    YES = "yes", _("Still there")
    LEFT = "left", _("Left")
    UNKNOWN = "unknown", _("Unknown")


class WhoDecided(models.TextChoices):
    WORKER = "worker", _("The worker")
    EMPLOYER = "employer", _("The employer")
    BOTH = "both", _("Both")
    UNKNOWN = "unknown", _("Unknown")


class FollowUpMonth(models.IntegerChoices):
    ONE = 1, _("1 month")
    THREE = 3, _("3 months")
    SIX = 6, _("6 months")
    TWELVE = 12, _("12 months")


class FollowUp(QuickChoiceLabels):
    placement = models.ForeignKey(
        "practitioners.Placement",
        verbose_name=_("placement"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    party = models.CharField(_("asked of"), max_length=10, choices=FollowUpParty.choices)
    month = models.PositiveSmallIntegerField(
        _("months after the start"), choices=FollowUpMonth.choices
    )
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    source = models.CharField(
        _("how it was answered"), max_length=12, choices=FollowUpSource.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    still_there = models.CharField(
        _("still in the job"), max_length=8, choices=StillThere.choices, blank=True
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    hours_now = models.DecimalField(
        _("hours a week now"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    wage_now = models.DecimalField(
        _("wage now"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    wage_period_now = models.CharField(
        _("wage per"), max_length=8, choices=PayPeriod.choices, blank=True
    )
    who_decided = models.CharField(
        _("who decided it should end"), max_length=10, choices=WhoDecided.choices, blank=True
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # At the 3-month follow-up the mindset prompts are asked again; the round given with
    # this answer is linked here (the seeker's for the worker, the business's for the
    # employer), so the client record can show the first round beside this one.
    seeker_mindset_round = models.ForeignKey(
        "seekers.MindsetRound",
        verbose_name=_("mindset check at this follow-up"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    employer_mindset_round = models.ForeignKey(
        "employers.MindsetRound",
        verbose_name=_("mindset check at this follow-up"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )

    class Meta:
        ordering = ["due_on", "placement_id", "month", "party"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "party", "month"], name="one_follow_up_per_party_and_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__in=FOLLOW_UP_MONTHS), name="follow_up_month_known"
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], name="follow_up_due_on"),
            models.Index(fields=["answered_at"], name="follow_up_answered_at"),
        ]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.placement_id}:{self.party}@{self.month}m"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def asks_mindset(self) -> bool:
        return self.month == MINDSET_MONTH


class FollowUpFactor(models.Model):
    """How one factor stands at a follow-up: satisfaction, and whether it pushed apart."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="factors")
    factor_key = models.CharField(_("factor"), max_length=32, choices=FactorKey.choices)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    pushed_apart = models.BooleanField(_("pushed apart"), default=False)

    class Meta:
        ordering = ["follow_up_id", "factor_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "factor_key"], name="one_answer_per_follow_up_factor"
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction__isnull=True)
                | models.Q(satisfaction__gte=1, satisfaction__lte=5),
                name="follow_up_satisfaction_in_range",
            ),
        ]
        verbose_name = _("factor at follow-up")
        verbose_name_plural = _("factors at follow-up")

    def __str__(self) -> str:
        return f"{self.follow_up_id}:{self.factor_key}"


# --- Consent renewal ------------------------------------------------------------------------


class NoticeStage(models.TextChoices):
    ENDING = "ending", _("Ends soon")
    ENDED = "ended", _("Ended")


class ConsentNotice(models.Model):
    """A renewal email sent about one consent at one stage, so each is sent once.

    A seeker's consents last twelve months: the scheduled job warns a month before
    (``ending``) and, for the service's own consents, ends them at twelve months
    (``ended``: ``withdrawn_at`` is stamped, which the seekers app already treats as no
    consent, so the next visit asks again). Sharing with an employer already ends by its
    own ``expires_at``; the job only tells the person.
    """

    seeker = models.ForeignKey(
        "seekers.Seeker", on_delete=models.CASCADE, related_name="consent_notices"
    )
    consent = models.ForeignKey(
        "seekers.Consent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    employer_consent = models.ForeignKey(
        "seekers.EmployerConsent",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=8, choices=NoticeStage.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "stage"], name="one_notice_per_consent_and_stage"
            ),
            models.UniqueConstraint(
                fields=["employer_consent", "stage"],
                name="one_notice_per_employer_consent_and_stage",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(consent__isnull=False, employer_consent__isnull=True)
                    | models.Q(consent__isnull=True, employer_consent__isnull=False)
                ),
                name="consent_notice_one_consent",
            ),
        ]
        verbose_name = _("consent renewal notice")
        verbose_name_plural = _("consent renewal notices")

    def __str__(self) -> str:
        return f"{self.seeker_id}:{self.stage}"

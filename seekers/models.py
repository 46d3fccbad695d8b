"""A job seeker's record: answers, reflections, mindset checks, consents, history, erasure."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, Role
from factors.delivery import DeliveryMethod
from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt


class SeekerQuerySet(models.QuerySet["Seeker"]):
    def visible_to(self, user: Any) -> SeekerQuerySet:
        """A seeker sees themself; a practitioner their caseload and office; admins all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.SEEKER:
            return self.filter(user=user)
        if user.role == Role.PRACTITIONER:
            office_filter = models.Q(office_id=user.office_id) if user.office_id else models.Q()
            return self.filter(models.Q(practitioner=user) | office_filter)
        return self.none()


class Seeker(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seeker"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("practitioner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seeker_caseload",
        limit_choices_to={"role": Role.PRACTITIONER},
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.SET_NULL, null=True, blank=True
    )
    delivery_method = models.CharField(
        _("how they are served"),
        max_length=16,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.SELF_SERVE,
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    # Derived, kept for the program dashboard: counting finished people must not unpack
    # every answer vector (factors.completion keeps it current with every answer write).
    activities_completed_at = models.DateTimeField(
        _("finished the activities"),
        null=True,
        blank=True,
        help_text=_(
            "When the person's answers came to cover every question of the current "
            "activities; empty while any is unanswered."
        ),
    )
    erased_at = models.DateTimeField(
        _("anonymised"),
        null=True,
        blank=True,
        help_text=_("Set when the person's records were anonymised at their request."),
    )

    objects = SeekerQuerySet.as_manager()

    class Meta:
        ordering = ["user__full_name", "pk"]
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")

    def __str__(self) -> str:
        return self.user.display_name


class Answer(models.Model):
    """A seeker's answer to one item, against the framework version of that item row.

    ``level`` reads on the item's scale: Importance for worker-needs items,
    Strength for worker-offers items. One row per seeker and item, so a double
    submit updates rather than duplicates.
    """

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="seeker_answers")
    level = models.PositiveSmallIntegerField(_("answer"))
    dealbreaker = models.BooleanField(_("this would push me away"), default=False)
    example = models.CharField(_("example"), max_length=500, blank=True)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered with the help of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seeker", "item"], name="one_answer_per_seeker_item"),
            models.CheckConstraint(condition=models.Q(level__lte=3), name="seeker_level_in_range"),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.seeker_id}:{self.item_id}={self.level}"


# The wording of the welcome page's consent. Change it when that text changes in
# substance: everyone is then asked again, and each record says what they agreed to.
CONSENT_WORDING_VERSION = "2026-11"


class ConsentKind(models.TextChoices):
    """The two choices a seeker makes on the welcome page, kept apart on purpose."""

    DATA_USE = "data_use", _("Use of my answers by this service")
    PRACTITIONER = "practitioner", _("Sharing my answers with my practitioner")


class Consent(models.Model):
    """One agreement, with the wording version it was given against.

    Rows are never deleted or edited back to life: withdrawing stamps
    ``withdrawn_at`` and a new agreement is a new row, so the history of who
    agreed to which wording, when, is kept. At most one active row per kind.
    """

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("what it covers"), max_length=20, choices=ConsentKind.choices)
    wording_version = models.CharField(_("wording version"), max_length=20)
    granted_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_kind",
            )
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.seeker_id}:{self.kind}@{self.wording_version}"


class EmployerConsentSource(models.TextChoices):
    SEEKER = "seeker", _("Given by the job seeker")
    PRACTITIONER = "practitioner", _("Recorded by a practitioner with the job seeker's agreement")
    MATCH = "match", _("Given in answer to an employer's interest")


EMPLOYER_CONSENT_DAYS = 365


class EmployerConsent(models.Model):
    """A seeker lets one employer see their profile, for twelve months at most.

    Active means not withdrawn and not expired. Withdrawing takes effect at
    once; expiry needs no job to run because every check compares with now.
    """

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="employer_consents")
    organisation = models.ForeignKey(
        "employers.Organisation",
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="seeker_consents",
    )
    granted_at = models.DateTimeField(_("given"), default=timezone.now)
    expires_at = models.DateTimeField(_("ends"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    source = models.CharField(
        _("how it was given"), max_length=20, choices=EmployerConsentSource.choices
    )

    class Meta:
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "seeker"], name="employer_consent_lookup")]
        verbose_name = _("consent to share with an employer")
        verbose_name_plural = _("consents to share with employers")

    def __str__(self) -> str:
        return f"{self.seeker_id}->{self.organisation_id}"

    def is_active(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.withdrawn_at is None and self.expires_at > now


class Reflection(models.Model):
    """The seeker's free-text answer to a factor's reflection question (optional)."""

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="reflections")
    factor = models.ForeignKey(Factor, on_delete=models.PROTECT, related_name="seeker_reflections")
    text = models.TextField(_("reflection"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["seeker", "factor"], name="one_reflection_per_seeker_factor"
            )
        ]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return f"{self.seeker_id}:{self.factor_id}"


class MindsetOccasion(models.TextChoices):
    INTAKE = "intake", _("First time")
    RETAKE = "retake", _("Later check")


class MindsetRound(models.Model):
    """One sitting of the mindset check. Every round is kept so change can be shown.

    ``token`` comes from the form the seeker was shown: posting the same form
    twice (a double click, a resent request) finds the round already there.
    """

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="mindset_rounds")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(_("occasion"), max_length=10, choices=MindsetOccasion.choices)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    token = models.UUIDField(_("form token"))

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "token"], name="one_round_per_form")
        ]
        verbose_name = _("mindset check")
        verbose_name_plural = _("mindset checks")

    def __str__(self) -> str:
        return f"{self.seeker_id}:{self.occasion}@{self.answered_at:%Y-%m-%d}"


class MindsetResponse(models.Model):
    round = models.ForeignKey(MindsetRound, on_delete=models.CASCADE, related_name="responses")
    prompt = models.ForeignKey(
        MindsetPrompt, on_delete=models.PROTECT, related_name="seeker_responses"
    )
    agreement = models.PositiveSmallIntegerField(_("how much I agree"))
    note = models.CharField(_("in my own words"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "prompt"], name="one_response_per_prompt"),
            models.CheckConstraint(
                condition=models.Q(agreement__gte=1, agreement__lte=5),
                name="agreement_in_range",
            ),
        ]
        verbose_name = _("mindset answer")
        verbose_name_plural = _("mindset answers")

    def __str__(self) -> str:
        return f"{self.round_id}:{self.prompt_id}={self.agreement}"


class ProfileSnapshot(models.Model):
    """A completed profile kept as history when the seeker starts a retake.

    ``data`` holds structure, not words (item identities, levels, scores), so an
    old profile is shown in whichever language the person reads today.
    """

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="snapshots")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("saved"), default=timezone.now)
    data = models.JSONField(_("profile"))

    class Meta:
        ordering = ["-taken_at", "-pk"]
        verbose_name = _("saved profile")
        verbose_name_plural = _("saved profiles")

    def __str__(self) -> str:
        return f"{self.seeker_id}@{self.taken_at:%Y-%m-%d}"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a practitioner")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ErasureRequestQuerySet(models.QuerySet["ErasureRequest"]):
    def visible_to(self, user: Any) -> ErasureRequestQuerySet:
        """Admins see every request; a practitioner those of their own caseload."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.PRACTITIONER:
            return self.filter(seeker__practitioner=user)
        return self.none()


class ErasureRequest(models.Model):
    """A seeker asks for their records to be anonymised; staff confirm it."""

    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="erasure_requests")
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["seeker"],
                condition=models.Q(status="pending"),
                name="one_pending_erasure_per_seeker",
            )
        ]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")

    def __str__(self) -> str:
        return f"{self.seeker_id}:{self.status}"


class SeekerVector(models.Model):
    """The seeker's answers packed for fast ranking (``factors.ranking`` layout).

    Derived data, never shown: rebuilt in the same transaction as every answer write and
    for everyone by ``manage.py rebuild_match_vectors``. A vector of an older framework
    version is stale and is rebuilt before it is used.
    """

    seeker = models.OneToOneField(Seeker, on_delete=models.CASCADE, related_name="match_vector")
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="+")
    data = models.BinaryField(_("packed answers"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("match vector")
        verbose_name_plural = _("match vectors")

    def __str__(self) -> str:
        return f"{self.seeker_id}@{self.version_id}"

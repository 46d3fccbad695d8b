"""Employer organisations, their members, their answers, mindset checks, roles and postings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, Role
from factors.delivery import DeliveryMethod
from factors.models import Item

POSTING_MAX_LENGTH = 10_000


class Sector(models.TextChoices):
    FOOD_SERVICE = "food_service", _("Restaurants and food service")
    RETAIL = "retail", _("Retail")
    CARE = "care", _("Health and continuing care")
    TRADES = "trades", _("Construction and trades")
    FISHERIES = "fisheries", _("Fishing and seafood processing")
    TOURISM = "tourism", _("Tourism and hospitality")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    OFFICE = "office", _("Office and professional services")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    HALIFAX = "halifax", _("Halifax")
    CAPE_BRETON = "cape_breton", _("Cape Breton")
    NORTHERN = "northern", _("Northern")
    VALLEY = "valley", _("Annapolis Valley")
    SOUTH_SHORE = "south_shore", _("South Shore")
    SOUTHWEST = "southwest", _("Southwest")


class Size(models.TextChoices):
    MICRO = "1-4", _("1 to 4 people")
    SMALL = "5-19", _("5 to 19 people")
    MEDIUM = "20-49", _("20 to 49 people")
    LARGER = "50-99", _("50 to 99 people")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """Members see their own business; practitioners their caseload and office; admins all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.EMPLOYER:
            return self.filter(members__user=user)
        if user.role == Role.PRACTITIONER:
            office_filter = models.Q(office_id=user.office_id) if user.office_id else models.Q()
            return self.filter(models.Q(practitioner=user) | office_filter)
        return self.none()


class Organisation(models.Model):
    name = models.CharField(_("business name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    size = models.CharField(_("size"), max_length=8, choices=Size.choices)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("practitioner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_caseload",
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
    # Derived, kept for the program dashboard (factors.completion, with every offer write).
    activities_completed_at = models.DateTimeField(
        _("finished the activities"),
        null=True,
        blank=True,
        help_text=_(
            "When the business had answered every question of the current activities; "
            "empty while any is unanswered."
        ),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("employer organisation")
        verbose_name_plural = _("employer organisations")
        # The caseload sorts clients by lower(name) (practitioners.selectors.queue).
        indexes = [models.Index(Lower("name"), name="organisation_sort_name")]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A person who acts for an organisation. A business has one or several."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_membership"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    is_owner = models.BooleanField(_("can invite colleagues"), default=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user__email"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class OfferAnswer(models.Model):
    """An organisation's answer to one item, against that item row's framework version.

    ``level`` reads on the item's scale: OfferLevel for worker-needs items (what the
    employer offers), NeedLevel for worker-offers items (what the employer needs).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="employer_answers")
    level = models.PositiveSmallIntegerField(_("answer"))
    example = models.CharField(_("concrete example"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
            models.UniqueConstraint(
                fields=["organisation", "item"], name="one_answer_per_organisation_item"
            ),
            models.CheckConstraint(condition=models.Q(level__lte=3), name="offer_level_in_range"),
        ]
        verbose_name = _("offer answer")
        verbose_name_plural = _("offer answers")

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.item_id}={self.level}"


class MindsetRound(models.Model):
    """One sitting of the employer mindset check, answered for the business by one member.

    Every round is kept: comparing the first with the latest shows whether the
    business's beliefs (such as "people only stay for more money") have widened,
    which is what the program sets out to change. ``token`` comes from the form,
    so a double submit of the same page records one round, not two.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="mindset_rounds"
    )
    version = models.ForeignKey(
        "factors.FrameworkVersion", on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(_("answered on"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "created_at", "pk"]
        verbose_name = _("mindset check")
        verbose_name_plural = _("mindset checks")

    def __str__(self) -> str:
        return f"{self.organisation_id}@{self.created_at:%Y-%m-%d}"


class MindsetAnswer(models.Model):
    """How much the business agreed with one belief statement in one round."""

    round = models.ForeignKey(MindsetRound, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(
        "factors.MindsetPrompt", on_delete=models.PROTECT, related_name="employer_answers"
    )
    agreement = models.PositiveSmallIntegerField(_("how much you agree"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["round", "prompt__factor__order", "prompt__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "prompt"], name="one_answer_per_round_prompt"),
            models.CheckConstraint(
                condition=models.Q(agreement__gte=1, agreement__lte=5),
                name="employer_mindset_agreement_1_to_5",
            ),
        ]
        verbose_name = _("mindset answer")
        verbose_name_plural = _("mindset answers")

    def __str__(self) -> str:
        return f"{self.round_id}:{self.prompt_id}={self.agreement}"


class RoleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class PayPeriod(models.TextChoices):
    HOUR = "hour", _("an hour")
    YEAR = "year", _("a year")


class JobRoleQuerySet(models.QuerySet["JobRole"]):
    def visible_to(self, user: Any) -> JobRoleQuerySet:
        """The same people who may see the organisation may see its roles."""
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class JobRole(models.Model):
    """A vacancy. It inherits the organisation's offer, with per-role overrides and needs.

    Named JobRole because ``accounts.Role`` is the user-role enum.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("job title"), max_length=120)
    duties = models.TextField(_("what the job involves"), max_length=2000, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week"), validators=[MinValueValidator(1), MaxValueValidator(80)]
    )
    location = models.CharField(_("where the work is"), max_length=120)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    pay_min = models.DecimalField(
        _("lowest pay"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000000"))],
    )
    pay_max = models.DecimalField(
        _("highest pay"),
        max_digits=9,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1000000"))],
    )
    pay_period = models.CharField(
        _("pay is"), max_length=8, choices=PayPeriod.choices, default=PayPeriod.HOUR
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RoleStatus.choices, default=RoleStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # From the "new role" form, so a double submit creates one role, not two.
    form_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    objects = JobRoleQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pay_min__lte=models.F("pay_max")), name="role_pay_min_le_max"
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gte=1, hours_per_week__lte=80),
                name="role_hours_in_range",
            ),
        ]
        verbose_name = _("job role")
        verbose_name_plural = _("job roles")

    def __str__(self) -> str:
        return self.title


class RoleOfferOverride(models.Model):
    """Where one role differs from the business's offer ("this role cannot be remote").

    ``level`` reads on OfferLevel; only worker-needs items are overridden.
    """

    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="offer_overrides")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="role_overrides")
    level = models.PositiveSmallIntegerField(_("offer for this role"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "item"], name="one_override_per_role_item"),
            models.CheckConstraint(condition=models.Q(level__lte=2), name="override_level_0_to_2"),
        ]
        verbose_name = _("role offer override")
        verbose_name_plural = _("role offer overrides")

    def __str__(self) -> str:
        return f"{self.role_id}:{self.item_id}={self.level}"


class RoleNeed(models.Model):
    """How much one role needs a worker-offers item, in place of the business's general need.

    ``level`` reads on NeedLevel.
    """

    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="needs")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="role_needs")
    level = models.PositiveSmallIntegerField(_("need for this role"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "item"], name="one_need_per_role_item"),
            models.CheckConstraint(condition=models.Q(level__lte=3), name="role_need_level_0_to_3"),
        ]
        verbose_name = _("role need")
        verbose_name_plural = _("role needs")

    def __str__(self) -> str:
        return f"{self.role_id}:{self.item_id}={self.level}"


class JobPosting(models.Model):
    """The text the employer publishes for a role: a generated draft they edited and saved."""

    role = models.OneToOneField(JobRole, on_delete=models.CASCADE, related_name="posting")
    language = models.CharField(
        _("language of the posting"),
        max_length=2,
        choices=[("en", "English"), ("fr", "Français")],
        default="en",
    )
    text = models.TextField(_("posting text"), max_length=POSTING_MAX_LENGTH)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")

    def __str__(self) -> str:
        return f"{self.role}"

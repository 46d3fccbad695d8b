"""Employer organisations, their members, and the organisation's answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, Role
from factors.delivery import DeliveryMethod
from factors.models import Item


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

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("employer organisation")
        verbose_name_plural = _("employer organisations")

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

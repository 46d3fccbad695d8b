"""A job seeker's record and their answers to the framework's worker-side items."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, Role
from factors.delivery import DeliveryMethod
from factors.models import Item


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

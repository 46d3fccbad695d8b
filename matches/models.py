"""Pairs of a job seeker and a role on their way to an introduction, and the pseudonyms
employers see candidates under.

A ``Pair`` records who brought a seeker and a role together (a practitioner's shortlist,
the seeker's own interest, an employer's invitation) and where it stands. It never grants
anything by itself: what an employer may see of a seeker is decided only by an active
``seekers.EmployerConsent``, which accepting a pair creates.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from employers.models import JobRole, Organisation
from seekers.models import Seeker


class PairStatus(models.TextChoices):
    SHORTLISTED = "shortlisted", _("Shortlisted")
    INTRODUCED = "introduced", _("Introduced: waiting for the job seeker")
    INVITED = "invited", _("Invited by the employer: waiting for the job seeker")
    INTERESTED = "interested", _("The job seeker is interested")
    ACCEPTED = "accepted", _("Accepted: the job seeker shares their profile")
    DECLINED = "declined", _("Declined by the job seeker")


# Statuses in which the seeker is asked to answer (accept or decline).
WAITING_FOR_SEEKER = (PairStatus.INTRODUCED, PairStatus.INVITED)


class PairOrigin(models.TextChoices):
    PRACTITIONER = "practitioner", _("A practitioner")
    SEEKER = "seeker", _("The job seeker")
    EMPLOYER = "employer", _("The employer")


class PairQuerySet(models.QuerySet["Pair"]):
    def visible_to(self, user: Any) -> PairQuerySet:
        """Staff see pairs of the seekers they may see; seekers their own; employers none
        (they reach pairs only through their own roles and a pseudonym)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.PRACTITIONER:
            return self.filter(seeker__in=Seeker.objects.visible_to(user))
        if user.role == Role.SEEKER:
            return self.filter(seeker__user=user)
        return self.none()


class Pair(models.Model):
    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="pairs")
    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="pairs")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("practitioner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pairs",
    )
    status = models.CharField(_("status"), max_length=12, choices=PairStatus.choices)
    origin = models.CharField(_("brought together by"), max_length=12, choices=PairOrigin.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    shortlisted_at = models.DateTimeField(_("shortlisted"), null=True, blank=True)
    introduced_at = models.DateTimeField(_("introduced"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    interested_at = models.DateTimeField(_("interest shown"), null=True, blank=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PairQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "role"], name="one_pair_per_seeker_role")
        ]
        verbose_name = _("pair")
        verbose_name_plural = _("pairs")

    def __str__(self) -> str:
        return f"{self.seeker_id}~{self.role_id}:{self.status}"

    def get_absolute_url(self) -> str:
        return reverse("matches:pair_detail", args=[self.pk])

    @property
    def waiting_for_seeker(self) -> bool:
        return self.status in WAITING_FOR_SEEKER


ALIAS_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no look-alikes (0/O, 1/I/L, 5/S, 8/B, 2/Z)
ALIAS_LENGTH = 6


def new_alias() -> str:
    return "".join(secrets.choice(ALIAS_ALPHABET) for _ in range(ALIAS_LENGTH))


class CandidateAlias(models.Model):
    """The pseudonym one organisation sees a seeker under: random, per organisation, so it
    says nothing about the seeker's id and two businesses cannot line their lists up."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="candidate_aliases"
    )
    seeker = models.ForeignKey(Seeker, on_delete=models.CASCADE, related_name="aliases")
    label = models.CharField(_("pseudonym"), max_length=12)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seeker"], name="one_alias_per_pair"),
            models.UniqueConstraint(fields=["organisation", "label"], name="alias_unique_in_org"),
        ]
        verbose_name = _("candidate pseudonym")
        verbose_name_plural = _("candidate pseudonyms")

    def __str__(self) -> str:
        return self.label

"""The practitioners' workspace: notes, action plans, referrals, reassignments, group sessions.

Most rows here are about one client, and a client is either a job seeker or an employer
organisation. Rather than a generic relation, each such row holds two nullable foreign keys
with a check that exactly one is set (``ClientLinked``): joins stay plain SQL, permission
filters reuse the clients' own ``visible_to``, and erasing a client erases its rows.
A ``Placement`` links a seeker *and* an organisation at once, so it holds two
required foreign keys of its own (plus the role and the fit-map snapshot) rather than
inherit ``ClientLinked``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, Role
from employers.models import Organisation, PayPeriod
from factors.delivery import DeliveryMethod
from factors.scales import FactorKey
from seekers.models import Seeker

NOTE_MAX_MINUTES = 720
SESSION_MAX_MINUTES = 480


class ClientKind(models.TextChoices):
    SEEKER = "seeker", _("Job seeker")
    EMPLOYER = "employer", _("Employer")


def kind_of(client: Seeker | Organisation) -> str:
    return ClientKind.SEEKER if isinstance(client, Seeker) else ClientKind.EMPLOYER


def client_url(client: Seeker | Organisation) -> str:
    segment = "seekers" if isinstance(client, Seeker) else "employers"
    return reverse("practitioners:client_record", args=[segment, client.pk])


class ClientLinked(models.Model):
    """Exactly one of ``seeker`` or ``organisation`` is set."""

    seeker = models.ForeignKey(
        Seeker,
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practitioner_%(class)ss",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practitioner_%(class)ss",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(seeker__isnull=False, organisation__isnull=True)
                    | models.Q(seeker__isnull=True, organisation__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_client",
            )
        ]

    @property
    def client(self) -> Seeker | Organisation:
        return self.seeker if self.seeker_id else self.organisation  # type: ignore[return-value]

    @property
    def client_kind(self) -> str:
        return ClientKind.SEEKER if self.seeker_id else ClientKind.EMPLOYER


def client_fields(client: Seeker | Organisation) -> dict[str, Any]:
    """Keyword arguments that attach a new ``ClientLinked`` row to ``client``."""
    if isinstance(client, Seeker):
        return {"seeker": client}
    return {"organisation": client}


def client_q(client: Seeker | Organisation, prefix: str = "") -> models.Q:
    """A filter for rows attached to ``client`` (through ``prefix`` if given)."""
    field = "seeker" if isinstance(client, Seeker) else "organisation"
    return models.Q(**{f"{prefix}{field}": client})


# --- Notes -------------------------------------------------------------------------------


class NoteKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    GROUP_SESSION = "group_session", _("Group session")


class Note(ClientLinked):
    """One contact with a client. Append-only once the day it was written has passed:
    a correction is a new note that points at the old one, so the record shows both."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("type of contact"), max_length=16, choices=NoteKind.choices)
    occurred_on = models.DateField(_("date of contact"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(NOTE_MAX_MINUTES)],
    )
    text = models.TextField(_("note"), max_length=5000)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects the note"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta(ClientLinked.Meta):
        ordering = ["-occurred_on", "-created_at", "-pk"]
        constraints = [
            *ClientLinked.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(duration_minutes__lte=NOTE_MAX_MINUTES),
                name="note_duration_in_range",
            ),
        ]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    def editable_by(self, user: Any) -> bool:
        """Only the author, and only on the day they wrote it (local time)."""
        return (
            self.author_id is not None
            and self.author_id == getattr(user, "pk", None)
            and timezone.localdate(self.created_at) == timezone.localdate()
        )


# --- Action plans ------------------------------------------------------------------------


class Goal(ClientLinked):
    title = models.CharField(_("goal"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta(ClientLinked.Meta):
        ordering = ["created_at", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class StepOwner(models.TextChoices):
    CLIENT = "client", _("The client")
    PRACTITIONER = "practitioner", _("The practitioner")
    BOTH = "both", _("Both together")


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=300)
    owner = models.CharField(_("who does it"), max_length=16, choices=StepOwner.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return self.text

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_at is None and self.due_on is not None and self.due_on < timezone.localdate()
        )


# --- Referrals ---------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Referral(ClientLinked):
    """A practitioner hands a client to a colleague, who accepts or declines."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="referrals_sent",
    )
    to_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred to"),
        on_delete=models.CASCADE,
        related_name="referrals_received",
        limit_choices_to={"role": Role.PRACTITIONER},
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    response = models.TextField(_("answer"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta(ClientLinked.Meta):
        ordering = ["-created_at", "-pk"]
        constraints = [
            *ClientLinked.Meta.constraints,
            models.UniqueConstraint(
                fields=["seeker"],
                condition=models.Q(status="pending"),
                name="one_pending_referral_per_seeker",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_referral_per_organisation",
            ),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.client} → {self.to_practitioner}"

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.PENDING


# --- Bulk reassignment -------------------------------------------------------------------


class Reassignment(models.Model):
    """What moved when staff changed: one row per run, one item per client moved."""

    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("all clients of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new practitioner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_office = models.ForeignKey(
        Office, verbose_name=_("new office"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("done"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reassignment")
        verbose_name_plural = _("reassignments")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} → {self.to_practitioner}"


class ReassignmentItem(ClientLinked):
    reassignment = models.ForeignKey(Reassignment, on_delete=models.CASCADE, related_name="items")
    from_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous practitioner"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    from_office = models.ForeignKey(
        Office,
        verbose_name=_("previous office"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta(ClientLinked.Meta):
        ordering = ["pk"]
        verbose_name = _("client moved")
        verbose_name_plural = _("clients moved")

    def __str__(self) -> str:
        return str(self.client)


# --- Employer group sessions -------------------------------------------------------------


class GroupSessionQuerySet(models.QuerySet["GroupSession"]):
    def visible_to(self, user: Any) -> GroupSessionQuerySet:
        """Practitioners see their office's sessions and their own; admins all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if user.role == Role.PRACTITIONER:
            office = models.Q(office_id=user.office_id) if user.office_id else models.Q(pk=None)
            return self.filter(models.Q(facilitator=user) | office)
        return self.none()


class GroupSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic factor"), max_length=32, choices=FactorKey.choices)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(SESSION_MAX_MINUTES)],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
    )
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.SET_NULL, null=True, blank=True
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="sessions_facilitated",
    )
    notes = models.TextField(_("session notes"), max_length=10000, blank=True)
    created_at = models.DateTimeField(_("scheduled"), default=timezone.now)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(online_link=""),
                name="session_has_place_or_link",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15)
                & models.Q(duration_minutes__lte=SESSION_MAX_MINUTES),
                name="session_duration_in_range",
            ),
        ]
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_past(self) -> bool:
        return self.starts_at < timezone.now()


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


class SessionAttendance(models.Model):
    """An employer invited to a session, and whether they came."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendance")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="session_attendance"
    )
    status = models.CharField(
        _("attendance"),
        max_length=12,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)
    recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"], name="invited_once_per_session"
            )
        ]
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")

    def __str__(self) -> str:
        return f"{self.organisation} @ {self.session}"


# --- Placements --------------------------------------------------------------------------


class Placement(models.Model):
    """A job seeker started with an employer in a role.

    ``fit_snapshot`` is the fit map at hire (``factors.fitmap.fit_snapshot``) and
    ``fit_score`` its overall score, copied so retention can be grouped by fit in SQL;
    ``delivery_method`` is how the seeker was served at hire. Later answers or framework
    versions never change what was true on the day.
    """

    seeker = models.ForeignKey(
        Seeker, verbose_name=_("job seeker"), on_delete=models.CASCADE, related_name="placements"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("employer"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    role = models.ForeignKey(
        "employers.JobRole",
        verbose_name=_("role"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    started_on = models.DateField(_("start date"))
    hours_per_week = models.DecimalField(
        _("hours a week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
    )
    wage = models.DecimalField(
        _("wage"), max_digits=9, decimal_places=2, validators=[MinValueValidator(0)]
    )
    wage_period = models.CharField(_("wage per"), max_length=8, choices=PayPeriod.choices)
    fit_snapshot = models.JSONField(_("fit map at hire"), default=dict)
    fit_score = models.PositiveSmallIntegerField(_("fit score at hire"), null=True, blank=True)
    delivery_method = models.CharField(
        _("how the job seeker was served"), max_length=16, choices=DeliveryMethod.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["started_on"], name="placement_started_on")]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")

    def __str__(self) -> str:
        return f"{self.seeker} → {self.role} ({self.started_on})"

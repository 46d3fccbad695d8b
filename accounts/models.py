"""People and where they work: the user keyed by email, their role, and offices."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SEEKER = "seeker", _("Job seeker")
    EMPLOYER = "employer", _("Employer")
    PRACTITIONER = "practitioner", _("Practitioner")
    ADMIN = "admin", _("Administrator")


class Office(models.Model):
    """A Nova Scotia Works centre. Practitioners belong to one; clients are served by one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    region = models.CharField(_("region"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone who signs in. The role decides which rooms of the app they may enter."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.SEEKER)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("For practitioners and admins: the office they work in."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("en", "English"), ("fr", "Français")],
        default="en",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("can use the developer admin"),
        default=False,
        help_text=_("Access to Django's developer admin. Only for administrators."),
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Staff pickers (e.g. the dashboard's practitioner filter) list a few dozen
        # practitioners among every seeker's account: find them without a full scan.
        indexes = [
            models.Index(fields=["role"], name="user_role"),
            # The caseload sorts clients by this name (practitioners.selectors.queue): with
            # the index an admin's first page of 110,000 clients reads a few rows, not all.
            models.Index(
                Lower(Coalesce(NullIf("full_name", models.Value("")), "email")),
                name="user_sort_name",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    @property
    def is_seeker(self) -> bool:
        return self.role == Role.SEEKER

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    @property
    def is_practitioner(self) -> bool:
        return self.role == Role.PRACTITIONER

    @property
    def is_program_admin(self) -> bool:
        return self.role == Role.ADMIN


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An emailed link that creates an account already in its place: a seeker in a
    practitioner's caseload, a colleague in an employer's business, a member of staff.

    Only a digest of the token is stored, so a leaked database cannot be used to accept.
    """

    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="invitations_sent"
    )
    office = models.ForeignKey(Office, on_delete=models.SET_NULL, null=True, blank=True)
    organisation = models.ForeignKey(
        "employers.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
    )
    practitioner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The practitioner whose caseload the new client joins."),
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


# --- Audit log ---------------------------------------------------------------------------


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")


class AuditSubject(models.TextChoices):
    SEEKER = "seeker", _("Job seeker record")
    EMPLOYER = "employer", _("Employer record")
    REPORT = "report", _("Report")
    CONSENT = "consent", _("Consent")


class AuditEvent(models.Model):
    """Who viewed or changed a person's record, a report or a consent, and when (UTC).

    Holds ids and fixed codes only, never free text, so the log itself carries no
    personal information beyond the actor. ``event`` is a code chosen by the program
    (``record.view``, ``note.add``, ``consent.withdraw``), never typed by a person.
    ``actor_role`` is the role at the time: roles change, the log must not.
    """

    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    actor_role = models.CharField(_("role at the time"), max_length=20, choices=Role.choices)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    subject_type = models.CharField(_("what"), max_length=12, choices=AuditSubject.choices)
    subject_id = models.CharField(_("id"), max_length=40)
    event = models.CharField(_("event"), max_length=40)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="audit_recent"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_recent"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_subject"),
        ]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_id} {self.event}"

"""A report is a database row before it is a file.

The row is created when a person asks for a PDF; a Celery worker claims it, renders
it and stores the file. Everything the pipeline needs to recover from a lost worker
or an unreachable broker lives here, so nothing depends on Celery's result backend:
``status`` and ``attempts`` say where the job is, ``lease`` and ``heartbeat_at`` say
whether a worker is still alive on it, ``dispatched_at`` says when a message was last
published for it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Could not be made")
    EXPIRED = "expired", _("Expired")


ACTIVE_STATUSES = (ReportStatus.PENDING, ReportStatus.RUNNING)


class Problem(models.TextChoices):
    """Why a report could not be made, in words for the person who asked.

    Stored as a code and shown through its label, so the message appears in the
    language the person reads the page in, not the one the worker ran in.
    """

    NOT_ALLOWED = (
        "not_allowed",
        _("You can no longer see this information, so we did not make the report."),
    )
    GONE = "gone", _("The information for this report no longer exists.")
    NO_FRAMEWORK = (
        "no_framework",
        _("The Magnetic Factors are being updated. Please try again later."),
    )
    GAVE_UP = (
        "gave_up",
        _(
            "We tried several times but could not make this report. Please try again "
            "later. If it keeps happening, tell your practitioner."
        ),
    )


class ReportQuerySet(models.QuerySet["Report"]):
    def visible_to(self, user: Any) -> ReportQuerySet:
        """Only the person who asked for a report sees it: reports are never shared by id.

        Whether the owner may *still* see the data inside is checked again by the
        report kind's ``may_render`` (a practitioner's caseload changes)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner=user)

    def active(self) -> ReportQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class Report(models.Model):
    # A random id: knowing one report's address tells nothing about another's.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The parameters as canonical JSON: identical requests have identical keys.
    params_key = models.CharField(max_length=255, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    problem = models.CharField(
        _("problem"), max_length=20, choices=Problem.choices, blank=True, default=""
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    dispatched_at = models.DateTimeField(_("last sent to a worker"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("worker last seen"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    lease = models.UUIDField(_("worker lease"), null=True, blank=True, editable=False)
    file = models.FileField(_("file"), max_length=255, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="report_owner_recent"),
            models.Index(fields=["status", "dispatched_at"], name="report_status_dispatched"),
            models.Index(fields=["status", "expires_at"], name="report_status_expiry"),
        ]
        constraints = [
            # One live request per owner, kind, parameters and language: a double
            # submit joins the job already queued instead of rendering twice.
            models.UniqueConstraint(
                fields=["owner", "kind", "params_key", "language"],
                condition=models.Q(status__in=["pending", "running"]),
                name="report_one_active_request",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done") | ~models.Q(file=""),
                name="report_done_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_ready(self) -> bool:
        return (
            self.status == ReportStatus.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )

    @property
    def subject_id(self) -> int | None:
        """The person or business the report is about, as the request form names it
        (for "try again"); None when the parameters are not a single id."""
        ids = [value for value in self.params.values() if isinstance(value, int)]
        return ids[0] if len(ids) == 1 else None

    @property
    def problem_message(self) -> str:
        return str(Problem(self.problem).label) if self.problem else ""

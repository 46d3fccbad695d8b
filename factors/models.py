"""The versioned, bilingual Magnetic Factors framework.

A framework version holds six factors; each factor holds two-sided items and
mindset prompts. Answers point at the item row of the version they were given
against, so a published version is never edited: editing means starting a
draft (a copy), changing it and publishing it as the next number. Items and
prompts keep an ``identity`` across versions so answers can be carried forward
and compared item by item.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from factors.i18n import Localized
from factors.scales import Cost, Direction, FactorKey, Side


class FrameworkLocked(Exception):
    """Raised on an attempt to change a published framework version in place."""


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FrameworkVersionQuerySet(models.QuerySet["FrameworkVersion"]):
    def published(self) -> FrameworkVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)


class FrameworkVersion(models.Model):
    number = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    note = models.TextField(_("why this version"), blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")

    def __str__(self) -> str:
        return f"v{self.number} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class _VersionedContent(models.Model):
    """Rows belonging to a version refuse to change once that version is published."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        version_id = self._version_id()
        if (
            version_id is not None
            and FrameworkVersion.objects.filter(
                pk=version_id, status=VersionStatus.PUBLISHED
            ).exists()
        ):
            raise FrameworkLocked(_("A published framework version cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if FrameworkVersion.objects.filter(
            pk=self._version_id(), status=VersionStatus.PUBLISHED
        ).exists():
            raise FrameworkLocked(_("A published framework version cannot be changed."))
        return super().delete(*args, **kwargs)

    def _version_id(self) -> int | None:
        raise NotImplementedError


class Factor(_VersionedContent):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="factors")
    key = models.CharField(_("key"), max_length=32, choices=FactorKey.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    definition_en = models.TextField(_("definition (English)"))
    definition_fr = models.TextField(_("definition (French)"), blank=True)
    guidance_en = models.TextField(_("practitioner guidance (English)"), blank=True)
    guidance_fr = models.TextField(_("practitioner guidance (French)"), blank=True)
    worker_reflection_en = models.TextField(_("reflection question for job seekers (English)"))
    worker_reflection_fr = models.TextField(
        _("reflection question for job seekers (French)"), blank=True
    )
    employer_reflection_en = models.TextField(_("reflection question for employers (English)"))
    employer_reflection_fr = models.TextField(
        _("reflection question for employers (French)"), blank=True
    )

    name = Localized()
    definition = Localized()
    guidance = Localized()
    worker_reflection = Localized()
    employer_reflection = Localized()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="factor_key_once_per_version")
        ]
        verbose_name = _("factor")
        verbose_name_plural = _("factors")

    def __str__(self) -> str:
        return str(self.name)

    def _version_id(self) -> int | None:
        return self.version_id


class Item(_VersionedContent):
    """One statement, phrased for each side, compared across the two sides item by item."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="items")
    identity = models.UUIDField(
        _("identity"),
        default=uuid.uuid4,
        help_text=_("Stays the same across versions so answers carry forward."),
    )
    code = models.SlugField(_("code"), max_length=80)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    worker_text_en = models.CharField(_("job seeker phrasing (English)"), max_length=300)
    worker_text_fr = models.CharField(_("job seeker phrasing (French)"), max_length=300, blank=True)
    employer_text_en = models.CharField(_("employer phrasing (English)"), max_length=300)
    employer_text_fr = models.CharField(_("employer phrasing (French)"), max_length=300, blank=True)
    cost = models.CharField(_("cost to offer"), max_length=8, choices=Cost.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired = models.BooleanField(
        _("retired"), default=False, help_text=_("No longer asked; kept for old answers.")
    )

    worker_text = Localized()
    employer_text = Localized()

    class Meta:
        ordering = ["factor__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["factor", "code"], name="item_code_once_per_factor"),
            models.UniqueConstraint(
                fields=["factor", "identity"], name="item_identity_once_per_factor"
            ),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return str(self.worker_text)

    def _version_id(self) -> int | None:
        return Factor.objects.filter(pk=self.factor_id).values_list("version_id", flat=True).first()

    @property
    def is_need(self) -> bool:
        """True when the worker needs it and the employer offers it."""
        return self.direction == Direction.WORKER_NEEDS


class MindsetPrompt(_VersionedContent):
    """A belief statement ("any job will do") answered on an agree/disagree scale."""

    factor = models.ForeignKey(Factor, on_delete=models.CASCADE, related_name="mindsets")
    identity = models.UUIDField(_("identity"), default=uuid.uuid4)
    code = models.SlugField(_("code"), max_length=80)
    side = models.CharField(_("asked of"), max_length=10, choices=Side.choices)
    text_en = models.CharField(_("statement (English)"), max_length=300)
    text_fr = models.CharField(_("statement (French)"), max_length=300, blank=True)
    limiting = models.BooleanField(
        _("agreeing shows a narrow mindset"),
        default=True,
        help_text=_(
            "Ticked for beliefs such as 'only pay matters' that the program aims to widen."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    retired = models.BooleanField(_("retired"), default=False)

    text = Localized()

    class Meta:
        ordering = ["factor__order", "side", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["factor", "code"], name="mindset_code_once_per_factor")
        ]
        verbose_name = _("mindset prompt")
        verbose_name_plural = _("mindset prompts")

    def __str__(self) -> str:
        return str(self.text)

    def _version_id(self) -> int | None:
        return Factor.objects.filter(pk=self.factor_id).values_list("version_id", flat=True).first()


class ChangeAction(models.TextChoices):
    """What an admin did to the framework; the history shows these in plain words."""

    DRAFT_STARTED = "draft_started", _("Started a draft")
    FACTOR_EDITED = "factor_edited", _("Edited a factor's texts")
    ITEM_ADDED = "item_added", _("Added an item")
    ITEM_EDITED = "item_edited", _("Edited an item")
    ITEM_MOVED = "item_moved", _("Moved an item")
    ITEM_RETIRED = "item_retired", _("Retired an item")
    ITEM_RESTORED = "item_restored", _("Brought back an item")
    PROMPT_ADDED = "prompt_added", _("Added a mindset prompt")
    PROMPT_EDITED = "prompt_edited", _("Edited a mindset prompt")
    PROMPT_MOVED = "prompt_moved", _("Moved a mindset prompt")
    PROMPT_RETIRED = "prompt_retired", _("Retired a mindset prompt")
    PROMPT_RESTORED = "prompt_restored", _("Brought back a mindset prompt")
    PUBLISHED = "published", _("Published")


class FrameworkChange(models.Model):
    """One line of the framework's history: who did what to which version, and when.

    Written by the editor's services in the same transaction as the change itself,
    so the history cannot disagree with the content. Never edited or deleted.
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(_("what"), max_length=20, choices=ChangeAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    factor_key = models.CharField(_("factor"), max_length=32, choices=FactorKey.choices, blank=True)
    subject = models.CharField(
        _("item or prompt"), max_length=80, blank=True, help_text=_("The item's or prompt's code.")
    )
    fields = models.JSONField(_("fields changed"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at", "-id"], name="framework_change_recent")]
        verbose_name = _("framework change")
        verbose_name_plural = _("framework changes")

    def __str__(self) -> str:
        return f"v{self.version_id} {self.action} {self.subject}"

    @property
    def fields_display(self) -> str:
        """The fields this change touched, in plain words, for the history page."""
        from factors.editor.diff import field_label

        return ", ".join(field_label(str(name)) for name in self.fields or [])

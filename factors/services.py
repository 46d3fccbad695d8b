"""Writes to the framework: start a draft from the published version, publish it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from factors.editor.history import change_record
from factors.models import (
    ChangeAction,
    Factor,
    FrameworkVersion,
    Item,
    MindsetPrompt,
    VersionStatus,
)
from factors.selectors import current_version


class FrameworkError(Exception):
    """An expected refusal, shown to the admin as it is."""


@dataclass(frozen=True)
class MissingTranslation:
    """One text that exists in one language only. ``kind`` and ``pk`` let the editor link
    straight to the empty field (its form prefixes are ``factor``, ``item-<pk>``, ``prompt-<pk>``).
    """

    where: str
    field: str
    language: str
    factor_key: str = ""
    kind: str = "factor"
    pk: int | None = None

    def __str__(self) -> str:
        from factors.editor.diff import field_label

        language = _("French") if self.language == "fr" else _("English")
        return _("%(where)s: %(field)s has no %(language)s text") % {
            "where": self.where,
            "field": field_label(self.field),
            "language": language,
        }

    @property
    def anchor(self) -> str:
        """The id of the empty input on the factor's editor page."""
        prefix = "factor" if self.kind == "factor" else f"{self.kind}-{self.pk}"
        return f"id_{prefix}-{self.field}_{self.language}"


FACTOR_TEXTS = ("name", "definition", "guidance", "worker_reflection", "employer_reflection")
ITEM_TEXTS = ("worker_text", "employer_text")
PROMPT_TEXTS = ("text",)


def _missing_in(
    obj: Factor | Item | MindsetPrompt, where: str, fields: tuple[str, ...], factor_key: str
) -> list[MissingTranslation]:
    kind = {Factor: "factor", Item: "item", MindsetPrompt: "prompt"}[type(obj)]
    missing = []
    for field in fields:
        english = (getattr(obj, f"{field}_en") or "").strip()
        french = (getattr(obj, f"{field}_fr") or "").strip()
        language = "fr" if english and not french else "en" if french and not english else ""
        if language:
            missing.append(MissingTranslation(where, field, language, factor_key, kind, obj.pk))
    return missing


def missing_translations(*, version: FrameworkVersion) -> list[MissingTranslation]:
    """Every text of the version that exists in one language only, in the editor's order."""
    missing: list[MissingTranslation] = []
    for factor in version.factors.order_by("order").prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order", "pk")),
        Prefetch("mindsets", queryset=MindsetPrompt.objects.order_by("side", "order", "pk")),
    ):
        name = factor.name_en or factor.key
        missing += _missing_in(factor, name, FACTOR_TEXTS, factor.key)
        for item in factor.items.all():
            missing += _missing_in(item, f"{name} / {item.code}", ITEM_TEXTS, factor.key)
        for prompt in factor.mindsets.all():
            missing += _missing_in(prompt, f"{name} / {prompt.code}", PROMPT_TEXTS, factor.key)
    return missing


@transaction.atomic
def draft_start(*, by: User | None) -> FrameworkVersion:
    """Copy the published version into a new draft. Only one draft exists at a time."""
    existing = FrameworkVersion.objects.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        return existing
    source = current_version()
    number = (FrameworkVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FrameworkVersion.objects.create(number=number, based_on=source, created_by=by)
    change_record(version=draft, action=ChangeAction.DRAFT_STARTED, by=by)
    if source is None:
        return draft
    for factor in source.factors.prefetch_related("items", "mindsets"):
        items = list(factor.items.all())
        prompts = list(factor.mindsets.all())
        factor.pk = None
        factor.version = draft
        factor.save()
        for item in items:
            item.pk = None
            item.factor = factor
        Item.objects.bulk_create(items)
        for prompt in prompts:
            prompt.pk = None
            prompt.factor = factor
        MindsetPrompt.objects.bulk_create(prompts)
    return draft


@transaction.atomic
def version_publish(*, version: FrameworkVersion, by: User | None, note: str) -> FrameworkVersion:
    """Publish a draft. Refused while any text lacks its other language."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise FrameworkError(_("This version is already published."))
    if not note.strip():
        raise FrameworkError(_("Please say why you are publishing this version."))
    if version.factors.count() == 0:
        raise FrameworkError(_("This version has no factors."))
    missing = missing_translations(version=version)
    if missing:
        raise FrameworkError(
            _("Publishing is refused until every text has both languages. Missing: %(list)s")
            % {"list": "; ".join(str(m) for m in missing)}
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = by
    version.note = note.strip()
    version.save(update_fields=["status", "published_at", "published_by", "note"])
    change_record(version=version, action=ChangeAction.PUBLISHED, by=by, note=version.note)
    # Nobody has finished the new version's activities yet: the re-pack below sets the
    # seekers' completion again where their answers carry over (factors.completion).
    from factors.completion import completion_clear_all

    completion_clear_all()
    # Re-pack the seekers' match vectors for the new layout once this is committed, in a
    # background task: ranking re-packs any stale vector it meets until then.
    from factors.tasks import match_vectors_refresh_dispatch

    transaction.on_commit(match_vectors_refresh_dispatch)
    return version


def factor_of(*, version: FrameworkVersion, key: str) -> Factor:
    return version.factors.get(key=key)

"""Reads for the framework editor: versions, a factor with all its rows, snapshots, history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from factors.editor.diff import (
    Change,
    FactorState,
    ItemState,
    PromptState,
    VersionContent,
    version_diff,
)
from factors.models import (
    Factor,
    FrameworkChange,
    FrameworkVersion,
    Item,
    MindsetPrompt,
    VersionStatus,
)
from factors.scales import FactorKey
from factors.selectors import current_version
from factors.services import MissingTranslation, missing_translations


def draft_version() -> FrameworkVersion | None:
    """The one open draft, if any (``draft_start`` never makes a second)."""
    return FrameworkVersion.objects.filter(status=VersionStatus.DRAFT).order_by("-number").first()


def versions_all() -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.select_related("published_by", "created_by").order_by("-number")


def version_by_number_or_404(*, number: int) -> FrameworkVersion:
    version = versions_all().filter(number=number).first()
    if version is None:
        raise Http404("No such framework version.")
    return version


def factor_for_editing_or_404(*, version: FrameworkVersion, key: str) -> Factor:
    """The factor with every item and prompt, retired ones included, in page order."""
    if key not in FactorKey.values:
        raise Http404("Unknown factor.")
    factor = (
        version.factors.filter(key=key)
        .select_related("version")
        .prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("order", "pk")),
            Prefetch("mindsets", queryset=MindsetPrompt.objects.order_by("side", "order", "pk")),
        )
        .first()
    )
    if factor is None:
        raise Http404("Unknown factor.")
    return factor


def version_factors(*, version: FrameworkVersion) -> QuerySet[Factor]:
    """The version's factors with all rows, for read-only pages (three queries)."""
    return version.factors.order_by("order").prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order", "pk")),
        Prefetch("mindsets", queryset=MindsetPrompt.objects.order_by("side", "order", "pk")),
    )


def version_content(*, version: FrameworkVersion) -> VersionContent:
    """A detached snapshot of the version, for ``version_diff``."""
    factors = list(version_factors(version=version))
    return VersionContent(
        factors=tuple(FactorState.of(f) for f in factors),
        items=tuple(ItemState.of(i, f.key) for f in factors for i in f.items.all()),
        prompts=tuple(PromptState.of(p, f.key) for f in factors for p in f.mindsets.all()),
    )


def versions_compare(*, old: FrameworkVersion, new: FrameworkVersion) -> list[Change]:
    return version_diff(old=version_content(version=old), new=version_content(version=new))


@dataclass(frozen=True)
class FactorChanges:
    """The changes of one factor, for a heading per factor on the diff page."""

    factor_key: str
    changes: list[Change]

    @property
    def title(self) -> str:
        return self.changes[0].factor_name


def changes_by_factor(changes: list[Change]) -> list[FactorChanges]:
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.factor_key, []).append(change)
    return [FactorChanges(key, rows) for key, rows in groups.items()]


def missing_by_factor(missing: list[MissingTranslation]) -> Counter[str]:
    return Counter(m.factor_key for m in missing)


def factors_with_missing(
    *, version: FrameworkVersion, missing: list[MissingTranslation] | None = None
) -> list[Factor]:
    """The version's factors, each with ``missing_count``: texts lacking a translation."""
    if missing is None:
        missing = missing_translations(version=version)
    counts = missing_by_factor(missing)
    factors = list(version.factors.order_by("order"))
    for factor in factors:
        factor.missing_count = counts.get(factor.key, 0)  # type: ignore[attr-defined]
    return factors


def draft_overview(*, draft: FrameworkVersion) -> dict[str, object]:
    """What the overview shows about the draft: its factors, what is missing, what changed."""
    missing = missing_translations(version=draft)
    published = current_version()
    return {
        "draft_factors": factors_with_missing(version=draft, missing=missing),
        "missing": missing,
        "change_count": len(versions_compare(old=published, new=draft)) if published else 0,
    }


def history(*, version: FrameworkVersion | None = None) -> QuerySet[FrameworkChange]:
    """The framework's history, newest first, with who and which version in the same query."""
    rows = FrameworkChange.objects.select_related("by", "version").order_by("-at", "-pk")
    return rows.filter(version=version) if version is not None else rows

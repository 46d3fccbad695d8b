"""Reads of the framework. The published version with the highest number is current."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt, VersionStatus
from factors.scales import FactorKey


def current_version() -> FrameworkVersion | None:
    return (
        FrameworkVersion.objects.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
    )


# Versions are numbered in the order they are made and a published one never changes, so
# whether a version older than a published one exists is settled once seen (a later
# version is always newer; were an old one deleted, an answer of "yes" only costs the
# caller a needless look). Each process keeps it, keyed like ``factors.matching.match_items``
# (database, id, publication time).
_OLDER: dict[tuple[str, int, object], bool] = {}


def has_older_versions(*, version: FrameworkVersion) -> bool:
    """Whether any version has a lower number than ``version`` (answers given against
    one may be carried forward). No query once seen for a published version."""
    key = (version._state.db or "default", version.pk, version.published_at)
    if key in _OLDER:
        return _OLDER[key]
    older = FrameworkVersion.objects.filter(number__lt=version.number).exists()
    if version.status == VersionStatus.PUBLISHED:
        if len(_OLDER) >= 64:
            _OLDER.clear()
        _OLDER[key] = older
    return older


_FACTORS_WITH_ITEMS: dict[tuple[str, int, object], list[Factor]] = {}


def factors_with_items(*, version: FrameworkVersion) -> list[Factor]:
    """The version's factors in order, each with its active items prefetched in order (two
    queries; none for a published version this process has read: its rows never change).
    Shared between requests: callers only read them."""
    key = (version._state.db or "default", version.pk, version.published_at)
    if key in _FACTORS_WITH_ITEMS:
        return _FACTORS_WITH_ITEMS[key]
    factors = list(
        version.factors.order_by("order").prefetch_related(
            Prefetch("items", queryset=Item.objects.filter(retired=False).order_by("order", "pk"))
        )
    )
    if version.status == VersionStatus.PUBLISHED:
        if len(_FACTORS_WITH_ITEMS) >= 8:
            _FACTORS_WITH_ITEMS.clear()
        _FACTORS_WITH_ITEMS[key] = factors
    return factors


def forget_versions() -> None:
    """Drop what ``has_older_versions`` and ``factors_with_items`` keep (tests, whose
    rollbacks reuse ids)."""
    _OLDER.clear()
    _FACTORS_WITH_ITEMS.clear()


def current_version_or_404() -> FrameworkVersion:
    version = current_version()
    if version is None:
        raise Http404("No framework version has been published yet.")
    return version


def factors_with_content(*, version: FrameworkVersion) -> QuerySet[Factor]:
    """The version's factors with their active items and prompts, in three queries."""
    return version.factors.order_by("order").prefetch_related(
        Prefetch("items", queryset=Item.objects.filter(retired=False).order_by("order", "pk")),
        Prefetch(
            "mindsets",
            queryset=MindsetPrompt.objects.filter(retired=False).order_by("side", "order", "pk"),
        ),
    )


def factor_by_key_or_404(*, version: FrameworkVersion, key: str) -> Factor:
    """A factor of the version by its stable key; an unknown key is a 404, not a 500."""
    if key not in FactorKey.values:
        raise Http404("Unknown factor.")
    try:
        return factors_with_content(version=version).get(key=key)
    except Factor.DoesNotExist as exc:
        raise Http404("Unknown factor.") from exc

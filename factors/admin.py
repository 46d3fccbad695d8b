"""Django's admin for the framework: drafts are editable, published versions read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from factors import services
from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt


class _DraftOnly:
    """Rows of a published version are shown but cannot be changed or deleted."""

    def _version_of(self, obj: Any) -> FrameworkVersion | None:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version_of(obj) if obj is not None else None
        if version is not None and version.is_published:
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        version = self._version_of(obj) if obj is not None else None
        if version is not None and version.is_published:
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "status", "published_at", "published_by", "note")
    readonly_fields = ("number", "status", "based_on", "published_at", "published_by")
    actions = ("start_draft", "publish")

    @admin.action(description="Start a draft from the published version")
    def start_draft(self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]) -> None:
        draft = services.draft_start(by=request.user)  # type: ignore[arg-type]
        self.message_user(request, f"Draft v{draft.number} is ready.")

    @admin.action(description="Publish the selected draft")
    def publish(self, request: HttpRequest, queryset: QuerySet[FrameworkVersion]) -> None:
        for version in queryset:
            try:
                services.version_publish(
                    version=version,
                    by=request.user,
                    note=version.note or "Published from admin",  # type: ignore[arg-type]
                )
            except services.FrameworkError as error:
                self.message_user(request, str(error), level=messages.ERROR)
            else:
                self.message_user(request, f"v{version.number} published.")


@admin.register(Factor)
class FactorAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ("name_en", "key", "version")
    list_filter = ("version",)

    def _version_of(self, obj: Factor) -> FrameworkVersion:
        return obj.version


@admin.register(Item)
class ItemAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ("code", "worker_text_en", "direction", "factor", "retired")
    list_filter = ("factor__version", "factor__key", "direction", "retired")
    search_fields = ("code", "worker_text_en", "worker_text_fr")
    readonly_fields = ("identity",)

    def _version_of(self, obj: Item) -> FrameworkVersion:
        return obj.factor.version


@admin.register(MindsetPrompt)
class MindsetPromptAdmin(_DraftOnly, admin.ModelAdmin):
    list_display = ("code", "text_en", "side", "factor")
    list_filter = ("factor__version", "side")

    def _version_of(self, obj: MindsetPrompt) -> FrameworkVersion:
        return obj.factor.version

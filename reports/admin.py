"""Report rows in the developer admin: read-only, for looking into a stuck or failed job.

The file itself is not linked: downloads only go through the owner's download view."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "owner", "language", "status", "problem", "attempts"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["id", "owner__email"]
    list_select_related = ["owner"]
    exclude = ["file", "params_key"]
    readonly_fields = [
        "owner", "kind", "params", "language", "title", "status", "problem", "attempts",
        "created_at", "dispatched_at", "started_at", "heartbeat_at", "finished_at",
        "expires_at", "lease",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

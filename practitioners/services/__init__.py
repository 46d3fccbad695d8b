"""Writes for the practitioners' workspace, one module per area.

Every function is keyword-only, checks who is acting (a view's check is not enough: the
rule belongs to the service), and either does all of its work or none of it.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

# A second identical submit within this window returns the first row instead of a copy.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


class WorkspaceError(Exception):
    """An expected refusal; its message is shown to the practitioner as it is."""


def recent_duplicate[M: models.Model](queryset: models.QuerySet[M]) -> M | None:
    """The same row made moments ago (a double click, a resent form), if any."""
    since = timezone.now() - DOUBLE_SUBMIT_WINDOW
    return queryset.filter(created_at__gte=since).order_by("-created_at").first()

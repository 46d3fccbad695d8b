"""Reads of reports, always through the person looking."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import get_for_viewer
from reports.models import Report
from reports.registry import UnknownKind, renderer_for

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger("thriving.access")


def reports_of(*, viewer: User) -> QuerySet[Report]:
    """The viewer's own reports, newest first: one query, whatever the kinds."""
    return (
        Report.objects.visible_to(viewer)
        .only(
            "id",
            "kind",
            "title",
            "status",
            "problem",
            "language",
            "created_at",
            "finished_at",
            "expires_at",
            "file",
            "owner_id",
        )
        .order_by("-created_at", "id")
    )


def report_for_viewer(*, viewer: User, report_id: object) -> Report:
    """One of the viewer's reports, if they may still see what is in it; otherwise 404.

    Owning the row is not enough: a practitioner whose caseload changed, or an employer
    who left the business, loses access to reports about data they can no longer see."""
    report = get_for_viewer(Report.objects, viewer, pk=report_id)
    try:
        renderer = renderer_for(report.kind)
    except UnknownKind as exc:
        raise Http404("Unknown report kind.") from exc
    if not renderer.may_render(report=report):
        logger.info(
            "report %s hidden from its owner %s: data no longer visible", report.pk, viewer.pk
        )
        raise Http404("No longer visible.")
    return report

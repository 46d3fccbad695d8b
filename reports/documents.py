"""One report row to PDF bytes: the kind's context, its print template, WeasyPrint.

Everything happens in the report's language (not the worker's), so a French seeker
gets French headings, French factor names and French dates whoever asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation

from reports.pdf import html_to_pdf
from reports.registry import Renderer, renderer_for

if TYPE_CHECKING:
    from reports.models import Report


def report_html(*, report: Report, renderer: Renderer | None = None) -> str:
    renderer = renderer or renderer_for(report.kind)
    with translation.override(report.language):
        context = renderer.context(report=report)
        return render_to_string(
            renderer.template,
            {**context, "report": report, "document_title": report.title},
        )


def report_pdf(*, report: Report, renderer: Renderer | None = None) -> bytes:
    return html_to_pdf(report_html(report=report, renderer=renderer))

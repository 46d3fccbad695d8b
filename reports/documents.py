"""One report row to PDF bytes: the kind's context, its print template, WeasyPrint.

Everything happens in the report's language (not the worker's), so a French seeker
gets French headings, French factor names and French dates whoever asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from factors.charts import charts_for_print
from reports.pdf import html_to_pdf
from reports.registry import Renderer, renderer_for

if TYPE_CHECKING:
    from reports.models import Report


def page_words() -> dict[str, str]:
    """The words of "Page n of m" in the active language, cut around the two numbers.

    The print stylesheet writes the footer straight into the page's margin box
    (``string(...) counter(page) string(...) counter(pages)``): a running element laid
    out again on every page cost several percent of a render. The words travel as
    attributes of ``<body>``. A translation must keep the page before the count."""
    words = _("Page %(page)s of %(pages)s")
    before, _page, rest = words.partition("%(page)s")
    between, _pages, after = rest.partition("%(pages)s")
    return {"before": before, "between": between, "after": after}


def report_html(*, report: Report, renderer: Renderer | None = None) -> str:
    renderer = renderer or renderer_for(report.kind)
    with translation.override(report.language), charts_for_print():
        context = renderer.context(report=report)
        return render_to_string(
            renderer.template,
            {
                **context,
                "report": report,
                "document_title": report.title,
                "page_words": page_words(),
            },
        )


def report_pdf(*, report: Report, renderer: Renderer | None = None) -> bytes:
    return html_to_pdf(report_html(report=report, renderer=renderer))

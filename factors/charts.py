"""One chart component, drawn on the server as SVG, used by pages and PDFs alike.

A horizontal bar per factor. A factor with no answers gets no bar and the words
"not answered yet": an empty profile must never look like a profile of zeros.
The same data is always given as text (a table) beside the drawing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

ROW_HEIGHT = 34
LABEL_WIDTH = 210
BAR_WIDTH = 300
VALUE_WIDTH = 150


# Set while a PDF report's content is built (``reports.documents``): charts made then,
# however deep in another app's code (the program report reuses the dashboard's), give
# their data as a list, which WeasyPrint lays out far faster than a table. Never cache a
# chart made inside it for a page (the dashboard's page cache is not used by the report).
_for_print: ContextVar[bool] = ContextVar("charts_for_print", default=False)
# Set where the document gives every figure of each chart in full right after it (the
# program report's tables): the chart is then the drawing and its caption only, so a
# reader does not meet the same figures twice.
_data_beside: ContextVar[bool] = ContextVar("charts_data_beside", default=False)


@contextmanager
def charts_for_print(*, data_given_beside: bool = False) -> Iterator[None]:
    token = _for_print.set(True)
    beside = _data_beside.set(data_given_beside)
    try:
        yield
    finally:
        _data_beside.reset(beside)
        _for_print.reset(token)


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: float | None  # 0..100, or None when there is nothing to show
    value_text: str  # what the number means, in words ("Important", "3 of 8 offered")


# About as many characters of the 14 px label font as fit in LABEL_WIDTH; a longer label
# is cut at a word in the drawing (it would run into the bars), and given whole in the
# table or list under it.
LABEL_CHARS = 26


def _drawn_label(label: str) -> str:
    if len(label) <= LABEL_CHARS:
        return label
    cut = label[:LABEL_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:(-\u2013")
    return cut + "…"


@dataclass(frozen=True)
class _DrawnRow:
    row: ChartRow
    y: int
    text_y: int
    bar_width: int

    @property
    def label(self) -> str:
        return _drawn_label(self.row.label)


def bar_chart(
    *,
    rows: list[ChartRow],
    title: str,
    description: str,
    chart_id: str,
    label_heading: str | None = None,
    data_as_list: bool | None = None,
) -> SafeString:
    """Render the SVG chart plus its text table. ``chart_id`` must be unique on the page;
    ``label_heading`` names the rows in the table (default: "Factor").

    ``data_as_list`` gives the same data as a list ("Values: Important") instead of a
    table: for the PDF reports, where WeasyPrint lays tables out on its slow path (the
    six-row table was about a tenth of a profile's render time). By default it is on
    inside ``charts_for_print()`` and off elsewhere."""
    if data_as_list is None:
        data_as_list = _for_print.get()
    drawn = [
        _DrawnRow(
            row=row,
            y=index * ROW_HEIGHT + 4,
            text_y=index * ROW_HEIGHT + 4 + ROW_HEIGHT // 2,
            bar_width=0
            if row.value is None
            else round(BAR_WIDTH * max(0.0, min(row.value, 100.0)) / 100),
        )
        for index, row in enumerate(rows)
    ]
    context = {
        "rows": drawn,
        "title": title,
        "description": description,
        "chart_id": chart_id,
        "width": LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH,
        "height": len(rows) * ROW_HEIGHT + 8,
        "label_width": LABEL_WIDTH,
        "bar_x": LABEL_WIDTH,
        "bar_max": BAR_WIDTH,
        "value_x": LABEL_WIDTH + BAR_WIDTH + 8,
        "bar_height": ROW_HEIGHT - 12,
        "label_heading": label_heading,
        "data_as_list": data_as_list,
        "data_beside": _data_beside.get(),
    }
    return SafeString(render_to_string("factors/charts/bars.html", context))

"""Tables the dashboard shows, exports and prints, with small cells already suppressed.

Suppression happens here, once, before anything leaves the server: the page, the CSV
and the PDF all read the same cells, so none of them can show what another hides.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

MIN_CELL = 5  # fewer people than this in a cell: the number is not shown


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None = None  # the shown number, None when suppressed or not a number
    suppressed: bool = False
    header: bool = False  # the row's label


def label(text: str) -> Cell:
    return Cell(str(text), header=True)


def blank() -> Cell:
    return Cell("—")


def fewer_than_five() -> Cell:
    return Cell(_("fewer than 5"), suppressed=True)


def count(n: int | None) -> Cell:
    """A number of people or placements; 1 to 4 is shown as "fewer than 5"."""
    n = int(n or 0)
    if 0 < n < MIN_CELL:
        return fewer_than_five()
    return Cell(str(n), value=n)


def rate(numerator: int | None, denominator: int | None) -> Cell:
    """A percentage, shown only when neither it, its complement nor its base would
    let a reader work out a group of fewer than 5 people."""
    numerator, denominator = int(numerator or 0), int(denominator or 0)
    if denominator == 0:
        return Cell(_("no one yet"))
    rest = denominator - numerator
    if denominator < MIN_CELL or 0 < numerator < MIN_CELL or 0 < rest < MIN_CELL:
        return fewer_than_five()
    percent = round(100 * numerator / denominator)
    return Cell(f"{percent} %", value=percent)


def average(value: float | None, people: int) -> Cell:
    """An average over people; hidden when fewer than 5 people answered."""
    if value is None or people == 0:
        return Cell(_("no one yet"))
    if people < MIN_CELL:
        return fewer_than_five()
    return Cell(f"{value:.1f}", value=round(value, 1))


def _escape(text: str) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper (600 calls a page)."""
    return text if isinstance(text, SafeData) else html.escape(str(text))


def _cell_html(cell: Cell) -> str:
    text = _escape(cell.text)
    if cell.header:
        return f'<th scope="row">{text}</th>'
    if cell.suppressed:
        return f'<td class="suppressed">{text}</td>'
    return f"<td>{text}</td>"


@dataclass
class Table:
    key: str  # stable, used in the CSV's address and file name
    title: str
    description: str
    columns: Sequence[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart: SafeString | None = None

    def labelled_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each row as its label and (column, value) pairs: the print layout, which
        writes rows as short paragraphs rather than a table too wide for a page."""
        return [
            (
                row[0].text,
                [(str(c), cell.text) for c, cell in zip(self.columns[1:], row[1:], strict=True)],
            )
            for row in self.rows
        ]

    def body_html(self) -> SafeString:
        """The ``<tbody>`` rows, written here rather than by three nested template loops
        (600 cells a page): label cells are row headers, hidden cells are marked. The
        markup the template wrote, texts escaped the same way."""
        return mark_safe(  # noqa: S308 - every text is escaped by _cell_html
            "".join(
                "<tr>" + "".join(_cell_html(cell) for cell in row) + "</tr>" for row in self.rows
            )
        )

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([cell.text for cell in row])
        return buffer.getvalue()

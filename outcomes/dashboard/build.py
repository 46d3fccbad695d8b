"""Turn the dashboard's numbers into tables and charts, in the active language.

Used by the page, the CSV export and the program report alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from factors.charts import ChartRow, bar_chart
from factors.delivery import DeliveryMethod
from factors.scales import FactorKey
from outcomes.dashboard import queries
from outcomes.dashboard.filters import DashboardFilter
from outcomes.dashboard.tables import Cell, Table, average, blank, count, label, rate
from outcomes.models import WhoDecided

CHART_MONTHS = 6  # the rate drawn in the retention charts; every table has all three


def _band_labels() -> dict[str, str]:
    return {
        "high": _("Fit at hire 75 to 100"),
        "middle": _("Fit at hire 50 to 74"),
        "low": _("Fit at hire below 50"),
        "none": _("No fit score (too little to compare)"),
    }


def _status_labels() -> dict[str, str]:
    return {
        "aligned": pgettext("fit status", "aligned"),
        "stretch": pgettext("fit status", "stretch"),
        "gap": pgettext("fit status", "gap"),
        "not_comparable": pgettext("fit status", "not comparable"),
    }


def _months_label(n: int) -> str:
    return _("%(n)s months") % {"n": n}


def _retention_columns(first: str) -> list[str]:
    columns = [first, _("Placements")]
    for n in queries.MONTHS:
        months = _months_label(n)
        columns += [
            _("%(months)s: started long enough ago") % {"months": months},
            _("%(months)s: still there") % {"months": months},
            _("%(months)s: left") % {"months": months},
            _("%(months)s: still there, of those whose outcome is known") % {"months": months},
        ]
    return columns


def _retention_cells(row: queries.RetentionRow | None) -> list[Cell]:
    row = row or queries.RetentionRow(placements=0, seekers=0, organisations=0)
    cells = [count(row.placements)]
    for n in queries.MONTHS:
        retained, left = row.retained.get(n, 0), row.left.get(n, 0)
        cells += [
            count(row.eligible.get(n, 0)),
            count(retained),
            count(left),
            rate(retained, retained + left),
        ]
    return cells


def _rate_at(cells: list[Cell], n: int) -> Cell:
    """The rate cell for N months in a row built by ``_retention_cells`` (after the label)."""
    return cells[1 + 1 + queries.MONTHS.index(n) * 4 + 3]


def _chart_rows(table: Table, pick: Callable[[list[Cell]], Cell]) -> list[ChartRow]:
    rows = []
    for row in table.rows:
        cell = pick(row)
        rows.append(ChartRow(row[0].text, cell.value, cell.text))
    return rows


def _retention_chart(table: Table, *, title: str, chart_id: str) -> None:
    table.chart = bar_chart(
        rows=_chart_rows(table, lambda row: _rate_at(row, CHART_MONTHS)),
        title=title,
        description=_(
            "One bar per group: the share still in the job %(n)s months after starting, among "
            "placements that started at least %(n)s months ago and whose outcome is known. "
            "Groups of fewer than 5 people have no bar."
        )
        % {"n": CHART_MONTHS},
        chart_id=chart_id,
        label_heading=_("Group"),
    )


# --- the sections ----------------------------------------------------------------------


def funnel_table(
    *,
    seekers: queries.Funnel,
    organisations: queries.Funnel,
    everyone: queries.RetentionRow | None,
) -> Table:
    everyone = everyone or queries.RetentionRow(placements=0, seekers=0, organisations=0)
    table = Table(
        key="funnel",
        title=_("From sign-up to still in the job"),
        description=_(
            "Signed up, finished and matched: people who signed up in the period, as they are "
            "today. Placed and still there: placements that started in the period. "
            "“Still there at N months” counts only placements that started at least N months "
            "ago; the last two columns say how many people that is."
        ),
        columns=[
            _("Stage"),
            _("Job seekers"),
            _("Employers"),
            _("Job seekers placed long enough ago"),
            _("Employers placed long enough ago"),
        ],
    )
    table.rows = [
        [
            label(_("Signed up")),
            count(seekers.signed_up),
            count(organisations.signed_up),
            blank(),
            blank(),
        ],
        [
            label(_("Finished the six activities")),
            count(seekers.complete),
            count(organisations.complete),
            blank(),
            blank(),
        ],
        [
            label(_("Matched (a profile shared with an employer)")),
            count(seekers.matched),
            count(organisations.matched),
            blank(),
            blank(),
        ],
        [
            label(_("Placed")),
            count(everyone.seekers),
            count(everyone.organisations),
            blank(),
            blank(),
        ],
    ]
    for n in queries.MONTHS:
        table.rows.append(
            [
                label(_("Still there at %(n)s months") % {"n": n}),
                count(everyone.seekers_retained.get(n, 0)),
                count(everyone.organisations_retained.get(n, 0)),
                count(everyone.seekers_eligible.get(n, 0)),
                count(everyone.organisations_eligible.get(n, 0)),
            ]
        )
    biggest = max((row[1].value or 0 for row in table.rows), default=0) or 1
    table.chart = bar_chart(
        rows=[
            ChartRow(
                row[0].text,
                None if row[1].value is None else 100 * row[1].value / biggest,
                row[1].text,
            )
            for row in table.rows
        ],
        title=_("Job seekers at each stage"),
        description=_(
            "One bar per stage, as long as its number of job seekers compared with the "
            "largest stage. Stages with fewer than 5 people have no bar."
        ),
        chart_id="chart-funnel",
        label_heading=_("Stage"),
    )
    return table


def retention_tables(retention: dict[str, dict[str, queries.RetentionRow]]) -> list[Table]:
    everyone = retention["all"].get("")
    all_label = label(_("All placements"))

    band = Table(
        key="retention-by-fit-score",
        title=_("Still there, by overall fit at hire"),
        description=_(
            "Placements grouped by the overall fit score of the fit map on the day of hire."
        ),
        columns=_retention_columns(_("Fit at hire")),
    )
    band.rows = [[all_label, *_retention_cells(everyone)]] + [
        [label(text), *_retention_cells(retention["band"].get(key))]
        for key, text in _band_labels().items()
    ]
    _retention_chart(
        band,
        title=_("Still there at %(n)s months, by fit at hire") % {"n": CHART_MONTHS},
        chart_id="chart-band",
    )

    factors = Table(
        key="retention-by-factor",
        title=_("Still there, by each factor's fit at hire"),
        description=_(
            "For each Magnetic Factor, placements grouped by that factor's status in the fit "
            "map on the day of hire: aligned, stretch, gap or not comparable."
        ),
        columns=_retention_columns(_("Factor and fit at hire")),
    )
    statuses = _status_labels()
    for key, factor_name in FactorKey.choices:
        for status, status_name in statuses.items():
            factors.rows.append(
                [
                    label(f"{factor_name}: {status_name}"),
                    *_retention_cells(retention[f"factor:{key}"].get(status)),
                ]
            )
    _retention_chart(
        factors,
        title=_("Still there at %(n)s months, by each factor's fit at hire") % {"n": CHART_MONTHS},
        chart_id="chart-factors",
    )

    delivery = Table(
        key="retention-by-delivery",
        title=_("Still there, by how the job seeker was served"),
        description=_("Self-serve online, one-to-one with a practitioner, or group session."),
        columns=_retention_columns(_("How they were served")),
    )
    delivery.rows = [[all_label, *_retention_cells(everyone)]] + [
        [label(text), *_retention_cells(retention["delivery"].get(key))]
        for key, text in DeliveryMethod.choices
    ]
    _retention_chart(
        delivery,
        title=_("Still there at %(n)s months, by how the job seeker was served")
        % {"n": CHART_MONTHS},
        chart_id="chart-delivery",
    )
    return [band, factors, delivery]


def leaving_tables(reasons: dict[str, dict[str, int]], decided: dict[str, int]) -> list[Table]:
    ended = reasons.get("_left", {}).get("placements", 0)
    table = Table(
        key="leaving-reasons",
        title=_("What pushed apart, when a job ended"),
        description=_(
            "Placements that ended, by the factors the worker or the employer said pushed them "
            "apart (one placement can name several factors)."
        ),
        columns=[
            _("Factor"),
            _("Placements where it pushed apart"),
            _("Said by the worker"),
            _("Said by the employer"),
            _("Share of the placements that ended"),
        ],
    )
    for key, name in FactorKey.choices:
        row = reasons.get(key, {})
        table.rows.append(
            [
                label(name),
                count(row.get("placements", 0)),
                count(row.get("worker", 0)),
                count(row.get("employer", 0)),
                rate(row.get("placements", 0), ended),
            ]
        )
    ended_row = [label(_("All placements that ended")), count(ended), blank(), blank(), blank()]
    table.rows.append(ended_row)
    table.chart = bar_chart(
        rows=_chart_rows(Table("", "", "", [], table.rows[:-1]), lambda row: row[4]),
        title=_("What pushed apart: share of the placements that ended"),
        description=_(
            "One bar per factor: the share of ended placements where it was said to push the "
            "worker and the employer apart. Fewer than 5 people: no bar."
        ),
        chart_id="chart-leaving",
    )
    who = Table(
        key="who-decided",
        title=_("Who decided the job should end"),
        description=_(
            "Placements that ended, by who decided, as the worker or the employer answered."
        ),
        columns=[_("Who decided"), _("Placements")],
        rows=[[label(name), count(decided.get(key, 0))] for key, name in WhoDecided.choices],
    )
    return [table, who]


def mindset_table(
    changes: dict[str, queries.MindsetChange], *, key: str, title: str, who: str
) -> Table:
    table = Table(
        key=key,
        title=title,
        description=_(
            "Average agreement (1 = strongly disagree, 5 = strongly agree) with narrow beliefs "
            "such as “only pay matters”, at the first check and at later checks, among %(who)s "
            "who answered a later check in the period. Lower is wider."
        )
        % {"who": who},
        columns=[_("Factor"), _("People"), _("First check"), _("Later check"), _("Change")],
    )
    for factor_key, name in FactorKey.choices:
        change = changes.get(factor_key) or queries.MindsetChange(0, None, None)
        first = average(change.first, change.people)
        later = average(change.later, change.people)
        if first.value is not None and later.value is not None:
            difference = Cell(f"{later.value - first.value:+.1f}", value=later.value - first.value)
        else:
            difference = blank()
        table.rows.append([label(name), count(change.people), first, later, difference])
    table.chart = bar_chart(
        rows=[
            ChartRow(
                row[0].text,
                None if row[3].value is None else (row[3].value - 1) * 25,
                row[3].text
                if row[2].value is None
                else _("%(later)s (first check %(first)s)")
                % {"later": row[3].text, "first": row[2].text},
            )
            for row in table.rows
        ],
        title=_("%(title)s: agreement at the later check") % {"title": title},
        description=_(
            "One bar per factor: average agreement with narrow beliefs at the later check, "
            "from 1 (no bar) to 5 (full bar). Fewer than 5 people: no bar."
        ),
        chart_id=f"chart-{key}",
    )
    return table


@dataclass(frozen=True)
class Dashboard:
    filters: DashboardFilter
    today: datetime.date
    tables: list[Table]
    computed_at: datetime.datetime  # when the figures were read from the database

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


@dataclass(frozen=True)
class Figures:
    """The dashboard's numbers before any text: the same in every language, so a
    background refresh reads them once and builds the tables for each language."""

    filters: DashboardFilter
    today: datetime.date
    computed_at: datetime.datetime
    retention: dict[str, dict[str, queries.RetentionRow]]
    seekers: queries.Funnel
    organisations: queries.Funnel
    leaving: tuple[dict[str, dict[str, int]], dict[str, int]]
    seeker_mindsets: dict[str, queries.MindsetChange]
    employer_mindsets: dict[str, queries.MindsetChange]


def dashboard_figures(*, filters: DashboardFilter, today: datetime.date) -> Figures:
    """Every number of the dashboard: a fixed number of queries (see ``queries``)."""
    return Figures(
        filters=filters,
        today=today,
        computed_at=timezone.now(),
        retention=queries.retention(f=filters, today=today),
        seekers=queries.seeker_funnel(f=filters),
        organisations=queries.organisation_funnel(f=filters),
        leaving=queries.leaving(f=filters),
        seeker_mindsets=queries.seeker_mindsets(f=filters),
        employer_mindsets=queries.employer_mindsets(f=filters),
    )


def dashboard_tables(figures: Figures) -> Dashboard:
    """The tables and charts of ``figures`` in the active language (no queries)."""
    tables = [
        funnel_table(
            seekers=figures.seekers,
            organisations=figures.organisations,
            everyone=figures.retention["all"].get(""),
        ),
        *retention_tables(figures.retention),
        *leaving_tables(*figures.leaving),
        mindset_table(
            figures.seeker_mindsets,
            key="mindset-seekers",
            title=_("Mindset change: job seekers"),
            who=_("job seekers"),
        ),
        mindset_table(
            figures.employer_mindsets,
            key="mindset-employers",
            title=_("Mindset change: employers"),
            who=_("employers"),
        ),
    ]
    return Dashboard(
        filters=figures.filters,
        today=figures.today,
        tables=tables,
        computed_at=figures.computed_at,
    )


def program_dashboard(*, filters: DashboardFilter, today: datetime.date) -> Dashboard:
    """The dashboard computed now, in the active language (the program report; the page
    reads the copy kept by ``outcomes.dashboard.kept``)."""
    return dashboard_tables(dashboard_figures(filters=filters, today=today))

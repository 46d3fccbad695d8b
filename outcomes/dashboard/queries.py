"""The dashboard's numbers, aggregated in the database: a fixed number of queries whatever
the number of people or placements.

Retention needs, per placement, whether it was still there at 3, 6 and 12 months. That
is one grouped query over placements and their follow-ups (``placement_outcomes``),
built with the ORM; the groupings the page shows (all, by fit band, by delivery method,
by each factor's status at hire) are then sums over it in one statement: a ``WITH``
over that query and a ``UNION ALL`` of ``GROUP BY``s, so the follow-ups are read once.
Definitions: docs/outcomes.md ("Retention").
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce
from django.utils import timezone

from employers.models import MindsetAnswer, Organisation
from employers.models import MindsetRound as EmployerRound
from factors.scales import FactorKey
from outcomes.dashboard.filters import DashboardFilter
from outcomes.dashboard.sql import MonthsAfter
from outcomes.models import FollowUp, FollowUpFactor, StillThere
from outcomes.services import add_months
from practitioners.models import Placement
from seekers.models import EmployerConsent, MindsetResponse, MindsetRound, Seeker

MONTHS = (3, 6, 12)
STATUSES = ("aligned", "stretch", "gap", "not_comparable")
# Overall fit score at hire, 0-100; the cut points are the fit map's own (aligned at 75 %,
# stretch at 50 %, factors.fitmap.ALIGNED_AT / STRETCH_AT).
BANDS = ("high", "middle", "low", "none")
BAND_HIGH, BAND_MIDDLE = 75, 50
MISSING = "missing"


# --- who and what the filters select ----------------------------------------------------


def _day_range(field_name: str, f: DashboardFilter) -> Q:
    """The period's days, both included, on a date field."""
    q = Q()
    if f.start:
        q &= Q(**{f"{field_name}__gte": f.start})
    if f.end:
        q &= Q(**{f"{field_name}__lte": f.end})
    return q


def _moment_range(field_name: str, f: DashboardFilter) -> Q:
    """The period's days, both included, on a moment field, read in the current time zone.

    Compared with local midnights rather than cast to a date: the same days, and the
    planner can estimate (and index) a plain comparison, where the cast made it guess
    0.5 % of rows and choose nested loops over thousands."""
    q = Q()
    if f.start:
        q &= Q(**{f"{field_name}__gte": _midnight(f.start)})
    if f.end:
        q &= Q(**{f"{field_name}__lt": _midnight(f.end + datetime.timedelta(days=1))})
    return q


def _midnight(day: datetime.date) -> datetime.datetime:
    """The start of ``day`` in the current time zone (the one the dates are read in)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def seekers_for(f: DashboardFilter) -> QuerySet[Seeker]:
    """Job seekers served by the office / practitioner who signed up in the period."""
    seekers = Seeker.objects.filter(_moment_range("created_at", f))
    if f.office_id:
        seekers = seekers.filter(office_id=f.office_id)
    if f.practitioner_id:
        seekers = seekers.filter(practitioner_id=f.practitioner_id)
    return seekers


def organisations_for(f: DashboardFilter) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(_moment_range("created_at", f))
    if f.office_id:
        organisations = organisations.filter(office_id=f.office_id)
    if f.practitioner_id:
        organisations = organisations.filter(practitioner_id=f.practitioner_id)
    return organisations


def placements_for(f: DashboardFilter) -> QuerySet[Placement]:
    """Placements that started in the period, of job seekers of the office / practitioner."""
    placements = Placement.objects.filter(_day_range("started_on", f))
    if f.office_id:
        placements = placements.filter(seeker__office_id=f.office_id)
    if f.practitioner_id:
        placements = placements.filter(seeker__practitioner_id=f.practitioner_id)
    return placements


# --- retention -------------------------------------------------------------------------


def placement_groups(*, f: DashboardFilter, today: datetime.date) -> QuerySet[Placement]:
    """One row per placement, no join: its groups (fit band, each factor's status at hire,
    delivery), ``e_N`` (1 when N months have passed since it started) and ``d_N`` (its
    N-month date)."""
    snapshot = KeyTransform("factors", "fit_snapshot")
    groups = {
        "band": Case(
            When(fit_score__isnull=True, then=Value("none")),
            When(fit_score__gte=BAND_HIGH, then=Value("high")),
            When(fit_score__gte=BAND_MIDDLE, then=Value("middle")),
            default=Value("low"),
            output_field=CharField(),
        ),
        **{
            f"s_{key}": Coalesce(
                KeyTextTransform("status", KeyTransform(key, snapshot)),
                Value(MISSING),
                output_field=CharField(),
            )
            for key in FactorKey.values
        },
        **{
            f"e_{n}": Case(
                When(started_on__lte=add_months(today, -n), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for n in MONTHS
        },
        **{f"d_{n}": MonthsAfter("started_on", n) for n in MONTHS},
    }
    return (
        placements_for(f)
        .order_by()
        .annotate(**groups)
        .values("id", "seeker_id", "organisation_id", "delivery_method", *groups)
    )


def placement_answers(*, f: DashboardFilter | None = None) -> QuerySet[FollowUp]:
    """One row per placement with a yes / left answer: the latest month answered "still
    there", the first and last ``left_on`` given, the first month that said "left" with no
    date. Four plain aggregates over the follow-ups, read once; the N-month comparisons are
    made per placement afterwards (``retention``).

    With a filter that narrows the placements, only their answers are aggregated;
    otherwise every placement's (the join with ``placement_groups`` keeps the filtered
    ones, and a semi-join with all of them would only cost)."""
    left = Q(still_there=StillThere.LEFT)
    answers = FollowUp.objects.filter(still_there__in=[StillThere.YES, StillThere.LEFT])
    if f is not None and f.as_params():
        answers = answers.filter(placement__in=placements_for(f))
    return (
        answers.order_by()
        .values("placement_id")
        .annotate(
            yes_month=Max("month", filter=Q(still_there=StillThere.YES)),
            left_first=Min("left_on", filter=left),
            left_last=Max("left_on", filter=left),
            left_undated=Min("month", filter=left & Q(left_on__isnull=True)),
        )
    )


@dataclass(frozen=True)
class RetentionRow:
    placements: int
    seekers: int
    organisations: int
    eligible: dict[int, int] = field(default_factory=dict)  # placements N months old
    retained: dict[int, int] = field(default_factory=dict)
    left: dict[int, int] = field(default_factory=dict)
    seekers_eligible: dict[int, int] = field(default_factory=dict)
    seekers_retained: dict[int, int] = field(default_factory=dict)
    organisations_eligible: dict[int, int] = field(default_factory=dict)
    organisations_retained: dict[int, int] = field(default_factory=dict)

    def unknown(self, n: int) -> int:
        return self.eligible.get(n, 0) - self.retained.get(n, 0) - self.left.get(n, 0)


def _measures(q: Any) -> list[str]:
    """The SELECT list of one grouping (``q`` quotes a column name): placements, then for
    each N eligible, still there, left (each a 0/1 column of ``outcome``). People are
    counted by ``_people``."""
    columns = ["COUNT(*)"]
    for n in MONTHS:
        columns += [f"SUM({q(f'e_{n}')})", f"SUM({q(f'r_{n}')})", f"SUM({q(f'x_{n}')})"]
    return columns


def _people(q: Any, who: str) -> str:
    """Distinct people (``who``: a seeker or business column) as one grouping: placed,
    then for each N placed long enough ago, and with a placement still there (left: 0).
    One hash aggregate per side instead of a sort per COUNT(DISTINCT)."""
    inner = [q(who)]
    outer = ["COUNT(*)"]
    for n in MONTHS:
        inner += [f"MAX({q(f'e_{n}')}) AS e{n}", f"MAX({q(f'r_{n}')}) AS k{n}"]
        outer += [f"SUM(e{n})", f"SUM(k{n})", "0"]
    return (
        f"SELECT 'people', '{who}', {', '.join(outer)} "  # noqa: S608
        f"FROM (SELECT {', '.join(inner)} FROM outcome GROUP BY {q(who)}) per_person"
    )


def _row(values: Sequence[int | None]) -> RetentionRow:
    placements, *rest = [int(v or 0) for v in values]
    per_n = {n: rest[i * 3 : (i + 1) * 3] for i, n in enumerate(MONTHS)}
    return RetentionRow(
        placements=placements,
        seekers=0,
        organisations=0,
        eligible={n: v[0] for n, v in per_n.items()},
        retained={n: v[1] for n, v in per_n.items()},
        left={n: v[2] for n, v in per_n.items()},
    )


def _with_people(
    everyone: RetentionRow | None, seekers: RetentionRow | None, organisations: RetentionRow | None
) -> RetentionRow | None:
    if everyone is None:
        return None
    empty = RetentionRow(placements=0, seekers=0, organisations=0)
    seekers, organisations = seekers or empty, organisations or empty
    return RetentionRow(
        placements=everyone.placements,
        seekers=seekers.placements,
        organisations=organisations.placements,
        eligible=everyone.eligible,
        retained=everyone.retained,
        left=everyone.left,
        seekers_eligible=seekers.eligible,
        seekers_retained=seekers.retained,
        organisations_eligible=organisations.eligible,
        organisations_retained=organisations.retained,
    )


def _grouping_sets(q: Any) -> str:
    """Every grouping in one pass over the outcomes (PostgreSQL's GROUPING SETS hash them
    together), named by which column the row is grouped by."""
    grouped = {name: column for name, column in GROUPINGS.items() if column is not None}
    name = " ".join(f"WHEN GROUPING({q(c)}) = 0 THEN '{n}'" for n, c in grouped.items())
    value = " ".join(f"WHEN GROUPING({q(c)}) = 0 THEN {q(c)}::text" for c in grouped.values())
    sets = ", ".join(["()", *(f"({q(c)})" for c in grouped.values())])
    return (
        f"SELECT CASE {name} ELSE 'all' END, CASE {value} ELSE '' END, "  # noqa: S608
        f"{', '.join(_measures(q))} FROM outcome GROUP BY GROUPING SETS ({sets})"
    )


def _people_sets(q: Any) -> str:
    """``_people`` for both sides in one pass: per seeker and per business, then summed."""
    inner = [f"GROUPING({q('seeker_id')}) AS side"]
    outer = ["COUNT(*)"]
    for n in MONTHS:
        inner += [f"MAX({q(f'e_{n}')}) AS e{n}", f"MAX({q(f'r_{n}')}) AS k{n}"]
        outer += [f"SUM(e{n})", f"SUM(k{n})", "0"]
    return (
        "SELECT 'people', CASE side WHEN 0 THEN 'seeker_id' ELSE 'organisation_id' END, "  # noqa: S608
        f"{', '.join(outer)} FROM (SELECT {', '.join(inner)} FROM outcome GROUP BY "
        f"GROUPING SETS (({q('seeker_id')}), ({q('organisation_id')}))) per_person GROUP BY side"
    )


def _unions(q: Any) -> list[str]:
    """The same rows as ``_grouping_sets`` and ``_people_sets`` for SQLite (no GROUPING
    SETS): one ``GROUP BY`` per grouping."""
    measures = ", ".join(_measures(q))
    parts = []
    for name, column in GROUPINGS.items():
        if column is None:
            parts.append(f"SELECT '{name}', '', {measures} FROM outcome")  # noqa: S608
        else:
            parts.append(
                f"SELECT '{name}', {q(column)}, {measures} FROM outcome GROUP BY {q(column)}"  # noqa: S608
            )
    return [*parts, _people(q, "seeker_id"), _people(q, "organisation_id")]


# Groupings of the retention statement: name -> the column grouped by (None: everyone).
GROUPINGS: dict[str, str | None] = {
    "all": None,
    "band": "band",
    "delivery": "delivery_method",
    **{f"factor:{key}": f"s_{key}" for key in FactorKey.values},
}


def retention(*, f: DashboardFilter, today: datetime.date) -> dict[str, dict[str, RetentionRow]]:
    """``{grouping: {group value: RetentionRow}}`` in one statement (see module docstring)."""
    groups_sql, groups_params = placement_groups(f=f, today=today).query.sql_with_params()
    flags_sql, flags_params = placement_answers(f=f).query.sql_with_params()
    q = connection.ops.quote_name
    # Still there at N (t_N): a "yes" at month N or later, or left on/after the N-month date.
    # Left by N (l_N): left before the N-month date, or "left" with no date at month <= N.
    # A comparison with NULL (no such answer) is not true, so it gives 0.
    flag_columns = ", ".join(
        f"CASE WHEN fl.{q('yes_month')} >= {n} OR fl.{q('left_last')} >= g.{q(f'd_{n}')} "
        f"THEN 1 ELSE 0 END AS {q(f't_{n}')}, "
        f"CASE WHEN fl.{q('left_first')} < g.{q(f'd_{n}')} OR fl.{q('left_undated')} <= {n} "
        f"THEN 1 ELSE 0 END AS {q(f'l_{n}')}"
        for n in MONTHS
    )
    # Per placement and N, once: eligible (e_N), still there (r_N: eligible, there and not
    # left before) and left (x_N: eligible and left before), so each grouping only sums.
    e = {n: q(f"e_{n}") for n in MONTHS}
    outcome_columns = ", ".join(
        [
            *(q(c) for c in ("seeker_id", "organisation_id", "delivery_method", "band")),
            *(q(f"s_{key}") for key in FactorKey.values),
            *(f"o.{e[n]}" for n in MONTHS),
            *(
                f"CASE WHEN o.{e[n]} = 1 AND o.{q(f't_{n}')} = 1 AND o.{q(f'l_{n}')} = 0 "
                f"THEN 1 ELSE 0 END AS {q(f'r_{n}')}"
                for n in MONTHS
            ),
            *(
                f"CASE WHEN o.{e[n]} = 1 AND o.{q(f'l_{n}')} = 1 THEN 1 ELSE 0 END AS {q(f'x_{n}')}"
                for n in MONTHS
            ),
        ]
    )
    outcome = (
        f"SELECT {outcome_columns} FROM (SELECT g.*, {flag_columns} FROM ({groups_sql}) g "  # noqa: S608
        f"LEFT JOIN ({flags_sql}) fl ON fl.{q('placement_id')} = g.{q('id')}) o"
    )
    # Only names fixed in this module go into the text; values travel as parameters.
    if connection.vendor == "postgresql":
        parts = [_grouping_sets(q), _people_sets(q)]
    else:
        parts = _unions(q)
    sql = f"WITH outcome AS ({outcome}) " + " UNION ALL ".join(parts)
    params = (*groups_params, *flags_params)
    result: dict[str, dict[str, RetentionRow]] = {name: {} for name in [*GROUPINGS, "people"]}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, value, *numbers in cursor.fetchall():
            result[grouping][str(value)] = _row(numbers)
    people = result.pop("people")
    everyone = _with_people(
        result["all"].get(""), people.get("seeker_id"), people.get("organisation_id")
    )
    result["all"] = {"": everyone} if everyone else {}
    return result


# --- the funnel's first stages -----------------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    signed_up: int
    complete: int
    matched: int


def seeker_funnel(*, f: DashboardFilter) -> Funnel:
    """Job seekers who signed up in the period, and how far they have got since.

    "Finished the activities": their answers cover every active item of the current
    version, kept as ``activities_completed_at`` in the same transaction as every answer
    (``factors.completion``), so it is a column of the rows already counted."""
    # Set lookups (hashed once by PostgreSQL), not a correlated subquery per seeker.
    # Set lookups (hashed once by PostgreSQL), not a correlated subquery per seeker.
    shared = EmployerConsent.objects.values("seeker_id")
    placed = Placement.objects.values("seeker_id")
    numbers = seekers_for(f).aggregate(
        signed_up=Count("pk"),
        complete=Count("pk", filter=Q(activities_completed_at__isnull=False)),
        matched=Count("pk", filter=Q(pk__in=shared) | Q(pk__in=placed)),
    )
    return Funnel(**numbers)


def organisation_funnel(*, f: DashboardFilter) -> Funnel:
    """Employers who signed up in the period: answered every active item of the current
    version (``activities_completed_at``, kept by ``factors.completion``); a job seeker
    shared a profile with them, or they hired through the program."""
    shared = EmployerConsent.objects.values("organisation_id")
    placed = Placement.objects.values("organisation_id")
    numbers = organisations_for(f).aggregate(
        signed_up=Count("pk"),
        complete=Count("pk", filter=Q(activities_completed_at__isnull=False)),
        matched=Count("pk", filter=Q(pk__in=shared) | Q(pk__in=placed)),
    )
    return Funnel(**numbers)


# --- why people left -------------------------------------------------------------------


def leaving(*, f: DashboardFilter) -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Why placements ended and who decided, in one statement over the "left" answers.

    First: per factor, placements where a follow-up that says "left" names it as pushing
    apart, by who said so, plus ``"_left"``: placements that ended at all. Second:
    placements that ended, by who decided (as either side answered). The filtered "left"
    answers are read once (``WITH``), not once per table."""
    left_sql, params = (
        FollowUp.objects.filter(still_there=StillThere.LEFT, placement__in=placements_for(f))
        .order_by()
        .values("id", "placement_id", "party", "who_decided")
        .query.sql_with_params()
    )
    q = connection.ops.quote_name
    placement, party = q("placement_id"), q("party")

    def distinct_placements(side: str) -> str:
        return f"COUNT(DISTINCT CASE WHEN l.{party} = '{side}' THEN l.{placement} END)"

    # Only names fixed in this module go into the text; values travel as parameters.
    factor_table = q(FollowUpFactor._meta.db_table)
    sql = (
        f"WITH left_answers AS ({left_sql}) "  # noqa: S608
        f"SELECT 'factor', ff.{q('factor_key')}, COUNT(DISTINCT l.{placement}), "
        f"{distinct_placements('worker')}, {distinct_placements('employer')} "
        f"FROM {factor_table} ff INNER JOIN left_answers l ON ff.{q('follow_up_id')} = l.{q('id')} "
        f"WHERE ff.{q('pushed_apart')} = %s GROUP BY ff.{q('factor_key')} "
        f"UNION ALL SELECT 'decided', l.{q('who_decided')}, COUNT(DISTINCT l.{placement}), 0, 0 "
        f"FROM left_answers l WHERE l.{q('who_decided')} <> '' GROUP BY l.{q('who_decided')} "
        f"UNION ALL SELECT 'left', '', COUNT(DISTINCT l.{placement}), 0, 0 FROM left_answers l"
    )
    reasons: dict[str, dict[str, int]] = {}
    decided: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, True))
        for kind, key, placements, worker, employer in cursor.fetchall():
            if kind == "factor":
                reasons[key] = {"placements": placements, "worker": worker, "employer": employer}
            elif kind == "decided":
                decided[key] = placements
            else:
                reasons["_left"] = {"placements": placements}
    return reasons, decided


# --- mindset change --------------------------------------------------------------------


@dataclass(frozen=True)
class MindsetChange:
    people: int
    first: float | None
    later: float | None


def _per_factor(per_person: QuerySet[Any]) -> dict[str, MindsetChange]:
    """Sum ``per_person`` (one row per factor and person: ``key``, ``person``, the sum and
    count of first and later agreements) per factor. Two hash aggregates instead of a
    COUNT(DISTINCT), which sorts every answer; averages are sums over counts."""
    inner_sql, params = per_person.query.sql_with_params()
    sql = (
        "SELECT per_person.key, COUNT(*), SUM(first_sum), SUM(first_n), SUM(later_sum), "  # noqa: S608
        f"SUM(later_n) FROM ({inner_sql}) per_person GROUP BY per_person.key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {
        key: MindsetChange(
            int(people),
            int(first_sum) / int(first_n) if first_n else None,
            int(later_sum) / int(later_n) if later_n else None,
        )
        for key, people, first_sum, first_n, later_sum, later_n in rows
    }


def _sums(first: Q, later: Q) -> dict[str, Any]:
    return {
        "first_sum": Sum("agreement", filter=first),
        "first_n": Count("pk", filter=first),
        "later_sum": Sum("agreement", filter=later),
        "later_n": Count("pk", filter=later),
    }


def seeker_mindsets(*, f: DashboardFilter) -> dict[str, MindsetChange]:
    """Per factor: average agreement with narrow beliefs at the first check and at later
    checks, among job seekers who answered a later check in the period."""
    later_checks = MindsetRound.objects.filter(
        Exists(MindsetResponse.objects.filter(round=OuterRef("pk"))),
        _moment_range("answered_at", f),
        occasion="retake",
    )
    if f.office_id:
        later_checks = later_checks.filter(seeker__office_id=f.office_id)
    if f.practitioner_id:
        later_checks = later_checks.filter(seeker__practitioner_id=f.practitioner_id)
    per_person = (
        MindsetResponse.objects.filter(
            prompt__limiting=True, round__seeker__in=later_checks.values("seeker_id")
        )
        .order_by()
        .values(key=F("prompt__factor__key"), person=F("round__seeker_id"))
        .annotate(**_sums(Q(round__occasion="intake"), Q(round__occasion="retake")))
    )
    return _per_factor(per_person)


def employer_mindsets(*, f: DashboardFilter) -> dict[str, MindsetChange]:
    """Per factor, for businesses with a later check in the period: average agreement with
    narrow beliefs in their first round and in their later rounds."""
    # A business's first round is the earliest it has (rounds at the same instant are all
    # first); one grouped subquery, hashed, instead of a correlated look-up per answer.
    first_round_at = (
        EmployerRound.objects.order_by()
        .values("organisation_id")
        .annotate(at=Min("created_at"))
        .values("at")
    )
    rounds = EmployerRound.objects.alias(
        first_at=Subquery(first_round_at.filter(organisation_id=OuterRef("organisation_id"))[:1])
    )
    repeat_rounds = rounds.filter(created_at__gt=F("first_at")).filter(
        _moment_range("created_at", f)
    )
    if f.office_id:
        repeat_rounds = repeat_rounds.filter(organisation__office_id=f.office_id)
    if f.practitioner_id:
        repeat_rounds = repeat_rounds.filter(organisation__practitioner_id=f.practitioner_id)
    first_rounds = rounds.filter(created_at=F("first_at")).values("pk")
    is_first = Q(round__in=first_rounds)
    per_person = (
        MindsetAnswer.objects.filter(
            prompt__limiting=True,
            round__organisation__in=repeat_rounds.values("organisation_id"),
        )
        .order_by()
        .values(key=F("prompt__factor__key"), person=F("round__organisation_id"))
        .annotate(**_sums(is_first, ~is_first))
    )
    return _per_factor(per_person)

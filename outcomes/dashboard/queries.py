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
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce

from employers.models import MindsetAnswer, OfferAnswer, Organisation
from factors.models import Item
from factors.scales import FactorKey
from factors.selectors import current_version
from outcomes.dashboard.filters import DashboardFilter
from outcomes.dashboard.sql import FirstMissingLevel, MonthsAfter
from outcomes.models import FollowUp, FollowUpFactor, StillThere
from outcomes.services import add_months
from practitioners.models import Placement
from seekers.models import EmployerConsent, MindsetResponse, Seeker, SeekerVector

MONTHS = (3, 6, 12)
STATUSES = ("aligned", "stretch", "gap", "not_comparable")
# Overall fit score at hire, 0-100; the cut points are the fit map's own (aligned at 75 %,
# stretch at 50 %, factors.fitmap.ALIGNED_AT / STRETCH_AT).
BANDS = ("high", "middle", "low", "none")
BAND_HIGH, BAND_MIDDLE = 75, 50
MISSING = "missing"


# --- who and what the filters select ----------------------------------------------------


def _day_range(field_name: str, f: DashboardFilter) -> Q:
    q = Q()
    if f.start:
        q &= Q(**{f"{field_name}__gte": f.start})
    if f.end:
        q &= Q(**{f"{field_name}__lte": f.end})
    return q


def seekers_for(f: DashboardFilter) -> QuerySet[Seeker]:
    """Job seekers served by the office / practitioner who signed up in the period."""
    seekers = Seeker.objects.filter(_day_range("created_at__date", f))
    if f.office_id:
        seekers = seekers.filter(office_id=f.office_id)
    if f.practitioner_id:
        seekers = seekers.filter(practitioner_id=f.practitioner_id)
    return seekers


def organisations_for(f: DashboardFilter) -> QuerySet[Organisation]:
    organisations = Organisation.objects.filter(_day_range("created_at__date", f))
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


def placement_answers() -> QuerySet[FollowUp]:
    """One row per placement with a yes / left answer: the latest month answered "still
    there", the first and last ``left_on`` given, the first month that said "left" with no
    date. Four plain aggregates over the follow-ups, read once; the N-month comparisons are
    made per placement afterwards (``retention``)."""
    left = Q(still_there=StillThere.LEFT)
    return (
        # Every placement's answers: the join with ``placement_groups`` keeps the filtered ones.
        FollowUp.objects.filter(still_there__in=[StillThere.YES, StillThere.LEFT])
        .order_by()
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
    each N eligible, still there, left. People are counted by ``_people``."""
    columns = ["COUNT(*)"]
    for n in MONTHS:
        e, t, left = q(f"e_{n}"), q(f"t_{n}"), q(f"l_{n}")
        columns += [
            f"SUM({e})",
            f"SUM(CASE WHEN {e} = 1 AND {t} = 1 AND {left} = 0 THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {e} = 1 AND {left} = 1 THEN 1 ELSE 0 END)",
        ]
    return columns


def _people(q: Any, who: str) -> str:
    """Distinct people (``who``: a seeker or business column) as one grouping: placed,
    then for each N placed long enough ago, and with a placement still there (left: 0).
    One hash aggregate per side instead of a sort per COUNT(DISTINCT)."""
    inner = [q(who)]
    outer = ["COUNT(*)"]
    for n in MONTHS:
        e, t, left = q(f"e_{n}"), q(f"t_{n}"), q(f"l_{n}")
        inner += [
            f"MAX({e}) AS e{n}",
            f"MAX(CASE WHEN {e} = 1 AND {t} = 1 AND {left} = 0 THEN 1 ELSE 0 END) AS k{n}",
        ]
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
    flags_sql, flags_params = placement_answers().query.sql_with_params()
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
    outcome = (
        f"SELECT g.*, {flag_columns} FROM ({groups_sql}) g "  # noqa: S608
        f"LEFT JOIN ({flags_sql}) fl ON fl.{q('placement_id')} = g.{q('id')}"
    )
    measures = ", ".join(_measures(q))
    # Only names fixed in this module go into the text; values travel as parameters.
    parts = []
    for name, column in GROUPINGS.items():
        if column is None:
            parts.append(f"SELECT '{name}', '', {measures} FROM outcome")  # noqa: S608
        else:
            parts.append(
                f"SELECT '{name}', {q(column)}, {measures} FROM outcome GROUP BY {q(column)}"  # noqa: S608
            )
    parts += [_people(q, "seeker_id"), _people(q, "organisation_id")]
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

    "Finished the activities": their answers, packed for matching in the same
    transaction as every answer, cover every active item of the current version."""
    version = current_version()
    # Set lookups (hashed once by PostgreSQL), not a correlated subquery per seeker.
    complete = (
        SeekerVector.objects.filter(version=version)
        .alias(missing_at=FirstMissingLevel("data"))
        .filter(missing_at=0)
        .values("seeker_id")
    )
    shared = EmployerConsent.objects.values("seeker_id")
    placed = Placement.objects.values("seeker_id")
    numbers = seekers_for(f).aggregate(
        signed_up=Count("pk"),
        complete=Count("pk", filter=Q(pk__in=complete)),
        matched=Count("pk", filter=Q(pk__in=shared) | Q(pk__in=placed)),
    )
    return Funnel(**numbers)


def organisation_funnel(*, f: DashboardFilter) -> Funnel:
    """Employers who signed up in the period: answered every active item of the current
    version; a job seeker shared a profile with them, or they hired through the program."""
    items = Item.objects.filter(factor__version=current_version(), retired=False)
    total = items.count()
    answered_all = (
        OfferAnswer.objects.filter(item__in=items)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=max(total, 1))
        .values("organisation_id")
    )
    shared = EmployerConsent.objects.values("organisation_id")
    placed = Placement.objects.values("organisation_id")
    numbers = organisations_for(f).aggregate(
        signed_up=Count("pk"),
        complete=Count("pk", filter=Q(pk__in=answered_all)),
        matched=Count("pk", filter=Q(pk__in=shared) | Q(pk__in=placed)),
    )
    return Funnel(**numbers)


# --- why people left -------------------------------------------------------------------


def leaving_reasons(*, f: DashboardFilter) -> dict[str, dict[str, int]]:
    """Per factor: placements where a follow-up that says "left" names it as pushing
    apart, by who said so. Plus ``"_left"``: placements that ended at all."""
    placements = placements_for(f).values("pk")
    by_factor = (
        FollowUpFactor.objects.filter(
            pushed_apart=True,
            follow_up__still_there=StillThere.LEFT,
            follow_up__placement__in=placements,
        )
        .order_by()
        .values("factor_key")
        .annotate(
            placements=Count("follow_up__placement", distinct=True),
            worker=Count(
                "follow_up__placement", filter=Q(follow_up__party="worker"), distinct=True
            ),
            employer=Count(
                "follow_up__placement", filter=Q(follow_up__party="employer"), distinct=True
            ),
        )
    )
    result = {row.pop("factor_key"): row for row in by_factor}
    left = FollowUp.objects.filter(still_there=StillThere.LEFT, placement__in=placements)
    result["_left"] = {"placements": left.aggregate(n=Count("placement", distinct=True))["n"]}
    return result


def who_decided(*, f: DashboardFilter) -> dict[str, int]:
    """Placements that ended, by who decided (as either side answered)."""
    rows = (
        FollowUp.objects.filter(
            still_there=StillThere.LEFT, placement__in=placements_for(f).values("pk")
        )
        .exclude(who_decided="")
        .order_by()
        .values("who_decided")
        .annotate(n=Count("placement", distinct=True))
    )
    return {row["who_decided"]: row["n"] for row in rows}


# --- mindset change --------------------------------------------------------------------


@dataclass(frozen=True)
class MindsetChange:
    people: int
    first: float | None
    later: float | None


def seeker_mindsets(*, f: DashboardFilter) -> dict[str, MindsetChange]:
    """Per factor: average agreement with narrow beliefs at the first check and at later
    checks, among job seekers who answered a later check in the period."""
    later = MindsetResponse.objects.filter(
        round__seeker=OuterRef("round__seeker"), round__occasion="retake"
    ).filter(_day_range("round__answered_at__date", f))
    seekers = seekers_for(DashboardFilter(office_id=f.office_id, practitioner_id=f.practitioner_id))
    rows = (
        MindsetResponse.objects.filter(prompt__limiting=True, round__seeker__in=seekers)
        .filter(Exists(later))
        .order_by()
        .values("prompt__factor__key")
        .annotate(
            people=Count("round__seeker", distinct=True),
            first=Avg("agreement", filter=Q(round__occasion="intake")),
            later=Avg("agreement", filter=Q(round__occasion="retake")),
        )
    )
    return {
        row["prompt__factor__key"]: MindsetChange(row["people"], row["first"], row["later"])
        for row in rows
    }


def employer_mindsets(*, f: DashboardFilter) -> dict[str, MindsetChange]:
    """Per factor, for businesses with a later check in the period: average agreement with
    narrow beliefs in their first round and in their later rounds."""
    from employers.models import MindsetRound

    earlier = MindsetRound.objects.filter(
        organisation=OuterRef("round__organisation"), created_at__lt=OuterRef("round__created_at")
    )
    organisations = organisations_for(
        DashboardFilter(office_id=f.office_id, practitioner_id=f.practitioner_id)
    )
    repeat_rounds = MindsetRound.objects.filter(
        Exists(
            MindsetRound.objects.filter(
                organisation=OuterRef("organisation"), created_at__lt=OuterRef("created_at")
            )
        ),
        _day_range("created_at__date", f),
        organisation__in=organisations,
    )
    rows = (
        MindsetAnswer.objects.filter(
            prompt__limiting=True, round__organisation__in=repeat_rounds.values("organisation")
        )
        .annotate(is_first=~Exists(earlier))
        .order_by()
        .values("prompt__factor__key")
        .annotate(
            people=Count("round__organisation", distinct=True),
            first=Avg("agreement", filter=Q(is_first=True)),
            later=Avg("agreement", filter=Q(is_first=False)),
        )
    )
    return {
        row["prompt__factor__key"]: MindsetChange(row["people"], row["first"], row["later"])
        for row in rows
    }

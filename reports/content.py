"""What goes into each report, built from the audience apps' own summaries.

One function per report kind, each returning plain frozen dataclasses so the print
templates never touch the ORM (no queries while rendering, nothing lazy).

The apps own what their data means: a seeker's profile comes from
``seekers.selectors.profile_summary`` (the same summary "My Magnetic Profile" shows)
and an employer's offer from ``employers.selectors.offer_summary`` (what the offer
page shows), so a PDF always says what the page says. This module only arranges those
summaries for print; it reads no answers itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from factors.models import FrameworkVersion
from factors.scales import (
    Cost,
    Direction,
    FactorKey,
    Importance,
    NeedLevel,
    OfferLevel,
    Strength,
)
from factors.selectors import current_version
from reports.models import Problem
from reports.registry import ReportRefused

if TYPE_CHECKING:
    from employers.models import JobRole, Organisation
    from seekers.models import Seeker
    from seekers.profile import ItemLine, MindsetSnapshot

TOP_NEEDS_PER_FACTOR = 3
MAX_LEVERS = 6
COST_ORDER = {Cost.LOW: 0, Cost.MEDIUM: 1, Cost.HIGH: 2, "": 1}


@dataclass(frozen=True)
class Line:
    """One answered item, in the reader's words. ``example`` is what the person typed:
    it reaches the template as plain text and is escaped there like everything else."""

    factor: str
    text: str
    level: str
    example: str = ""


@dataclass(frozen=True)
class FactorSection:
    key: str
    name: str
    definition: str
    value: float | None  # 0..100 for the chart; None = nothing answered, no bar drawn
    value_text: str
    answered: int
    lines: list[Line] = field(default_factory=list)
    extra: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class SeekerProfile:
    name: str
    version_number: int
    dated: datetime
    answered: int
    total: int
    factors: list[FactorSection]  # lines = what matters most; extra = what I offer
    must_haves: list[Line]
    deal_breakers: list[Line]
    offers: list[Line]
    talking_points: list[Line]  # what they offer well, with their examples
    sentences: list[str] = field(default_factory=list)  # the profile page's talking points
    mindset: MindsetSnapshot | None = None


@dataclass(frozen=True)
class EmployerOffer:
    name: str
    sector: str
    region: str
    size: str
    version_number: int
    dated: datetime
    answered: int
    total: int
    factors: list[FactorSection]  # lines = what we offer; extra = what we look for
    strengths: list[FactorSection]
    levers: list[Line]
    leans_on_pay: bool


def _version_or_refuse() -> FrameworkVersion:
    version = current_version()
    if version is None:
        raise ReportRefused(Problem.NO_FRAMEWORK)
    return version


def _definitions(version: FrameworkVersion) -> dict[str, str]:
    return {f.key: str(f.definition) for f in version.factors.all()}


def seeker_profile_content(*, seeker: Seeker) -> SeekerProfile:
    """The seeker's Magnetic Profile for print: per factor how much it matters and the
    needs that matter most, then must-haves, deal-breakers, what they offer, talking
    points and the mindset snapshot — from ``seekers.selectors.profile_summary``.

    A fixed number of queries whatever the number of answers."""
    from seekers.selectors import profile_summary

    version = _version_or_refuse()
    summary = profile_summary(seeker=seeker, version=version)
    definitions = _definitions(version)
    sections = []
    talking_points: list[Line] = []
    for factor in summary.factors:
        needs = [(line.level, _seeker_line(line)) for line in factor.lines if line.is_need]
        offers = [(line.level, _seeker_line(line)) for line in factor.lines if not line.is_need]
        talking_points.extend(
            line
            for level, line in offers
            if level >= Strength.VERY_WELL or (level >= Strength.WELL and line.example)
        )
        sections.append(
            FactorSection(
                key=factor.key,
                name=factor.name,
                definition=definitions.get(factor.key, ""),
                value=factor.needs_score,
                value_text=factor.needs_text if factor.answered else _("Not answered yet"),
                answered=factor.answered,
                lines=_strongest(needs, minimum=Importance.IMPORTANT),
                extra=_strongest(offers, minimum=Strength.WELL, top=None),
            )
        )
    return SeekerProfile(
        name=seeker.user.display_name,
        version_number=version.number,
        dated=timezone.localtime(),
        answered=sum(f.answered for f in summary.factors),
        total=sum(f.total for f in summary.factors),
        factors=sections,
        must_haves=[_seeker_line(line) for line in summary.must_haves],
        deal_breakers=[_seeker_line(line) for line in summary.dealbreakers],
        offers=[_seeker_line(line) for line in summary.offers],
        talking_points=talking_points,
        sentences=list(summary.talking_points),
        mindset=summary.mindset,
    )


def _seeker_line(line: ItemLine) -> Line:
    return Line(line.factor_name, line.text, line.level_text, line.example.strip())


def employer_offer_content(*, organisation: Organisation) -> EmployerOffer:
    """The organisation's offer per factor, what it looks for in a worker, its strongest
    factors and the beyond-pay levers it could add (cheapest first) — from
    ``employers.selectors.offer_summary``, the numbers the offer page shows.

    A fixed number of queries whatever the number of answers."""
    from employers.selectors import offer_summary

    version = _version_or_refuse()
    summary = offer_summary(organisation=organisation, version=version)
    sections = []
    lever_candidates: list[tuple[int, int, Line]] = []
    total = 0
    for factor_offer in summary.factors:
        factor = factor_offer.factor
        name = str(factor.name)
        everything = [*factor_offer.offers, *factor_offer.needs]
        total += len(everything)
        offered = [
            Line(name, str(a.item.employer_text), str(OfferLevel.OFFERED.label), a.example.strip())
            for a in factor_offer.offered
        ]
        looking_for = [
            (a.level, Line(name, str(a.item.employer_text), a.label))
            for a in factor_offer.needs
            if a.level is not None and a.level >= NeedLevel.IMPORTANT
        ]
        if factor.key != FactorKey.PAY_BENEFITS:
            # Not offered yet: a lever. "Could offer" first, then the cheapest.
            for answer in factor_offer.offers:
                if answer.level == OfferLevel.OFFERED:
                    continue
                rank = 0 if answer.level == OfferLevel.COULD_OFFER else 1
                line = Line(name, str(answer.item.employer_text), _offer_level(answer.level))
                lever_candidates.append((rank, COST_ORDER.get(answer.item.cost, 1), line))
        sections.append(
            FactorSection(
                key=factor.key,
                name=name,
                definition=str(factor.definition),
                value=factor_offer.score,
                value_text=str(factor_offer.summary_text),
                answered=sum(1 for a in everything if a.level is not None),
                lines=offered,
                extra=_strongest(looking_for, minimum=NeedLevel.IMPORTANT, top=None),
            )
        )
    by_key = {s.key: s for s in sections}
    strengths = sorted(
        (by_key[f.factor.key] for f in summary.strengths), key=lambda s: -(s.value or 0)
    )
    lever_candidates.sort(key=lambda c: (c[0], c[1]))
    levers = _spread([line for _rank, _cost, line in lever_candidates], per_factor=2)
    return EmployerOffer(
        name=organisation.name,
        sector=organisation.get_sector_display(),
        region=organisation.get_region_display(),
        size=organisation.get_size_display(),
        version_number=version.number,
        dated=timezone.localtime(),
        answered=sum(s.answered for s in sections),
        total=total,
        factors=sections,
        strengths=strengths,
        levers=levers,
        leans_on_pay=summary.leans_on_pay,
    )


def _spread(lines: list[Line], *, per_factor: int) -> list[Line]:
    """The best levers, at most ``per_factor`` from any one factor: a short list that
    points at several factors helps more than six ideas about the same one."""
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for line in lines:
        if taken[line.factor] < per_factor:
            taken[line.factor] += 1
            chosen.append(line)
        if len(chosen) == MAX_LEVERS:
            break
    return chosen


def _strongest(
    ranked: list[tuple[int, Line]], *, minimum: int, top: int | None = TOP_NEEDS_PER_FACTOR
) -> list[Line]:
    kept = sorted((pair for pair in ranked if pair[0] >= minimum), key=lambda pair: -pair[0])
    lines = [line for _level, line in kept]
    return lines if top is None else lines[:top]


def _importance(level: int) -> str:
    return str(Importance(level).label)


def _strength(level: int) -> str:
    return str(Strength(level).label)


def _offer_level(level: int | None) -> str:
    return _("Not answered yet") if level is None else str(OfferLevel(level).label)


# --- match summary ------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerPair:
    """One item with each side's answer in words (``seeker`` is empty when not shared)."""

    text: str
    seeker: str
    employer: str


@dataclass(frozen=True)
class FactorMatch:
    key: str
    name: str
    status: str
    status_label: str
    fit_percent: int | None
    attracts: list[str]
    pushes: list[str]
    discuss: list[str]
    missing: str
    answers: list[AnswerPair]


@dataclass(frozen=True)
class MatchSummary:
    seeker_name: str
    role_title: str
    organisation_name: str
    version_number: int
    dated: datetime
    shared: bool  # the seeker lets their practitioner read their answers
    score: int | None
    dealbreakers: list[str]
    factors: list[FactorMatch]
    across_versions: bool
    missing_factors: list[str]
    points: list[str]


def match_summary_content(*, seeker: Seeker, role: JobRole) -> MatchSummary:
    """A seeker and a role for a three-way meeting: the fit map factor by factor
    (``factors.matching.fit_for``), both sides' answers side by side and points to
    discuss, in the active language, for the seeker's practitioner.

    The seeker's own answers, and the reasons that name them, appear only while the
    seeker shares their answers with their practitioner
    (``seekers.selectors.shares_with_practitioner``); otherwise only each factor's
    status and the score are shown, with a note saying why."""
    from factors.fitmap_view import fitmap_view
    from factors.matching import fit_for, match_items, role_answers, seeker_answers
    from seekers.selectors import shares_with_practitioner

    version = _version_or_refuse()
    items = match_items(version=version)
    fit = fit_for(seeker=seeker, role=role, items=items)
    view = fitmap_view(fitmap=fit, reader="practitioner")
    shared = shares_with_practitioner(seeker=seeker)
    seeker_side = seeker_answers(seeker=seeker, items=items)
    role_side = role_answers(role=role, items=items)
    names = {f.key: str(f.name) for f in version.factors.all()}  # as the framework words it
    pairs: dict[str, list[AnswerPair]] = defaultdict(list)
    for fit_item in items.items:
        item = fit_item.item
        if item is None:
            continue
        if fit_item.direction == Direction.WORKER_NEEDS:
            mine = seeker_side.needs.get(fit_item.identity)
            seeker_text = _importance(mine[0]) if mine else _("Not answered yet")
            if mine and mine[1]:
                seeker_text = _("%(level)s, a deal-breaker") % {"level": seeker_text}
            theirs = role_side.offers.get(fit_item.identity)
            employer_text = _offer_level(theirs)
        else:
            strength = seeker_side.offers.get(fit_item.identity)
            seeker_text = _strength(strength) if strength is not None else _("Not answered yet")
            need = role_side.needs.get(fit_item.identity)
            employer_text = _("Not answered yet") if need is None else str(NeedLevel(need).label)
        pairs[fit_item.factor_key].append(
            AnswerPair(
                text=str(item.worker_text),  # type: ignore[attr-defined]
                seeker=seeker_text if shared else "",
                employer=employer_text,
            )
        )
    factors = [
        FactorMatch(
            key=row.key,
            name=names.get(row.key, row.name),
            status=row.status,
            status_label=row.status_label,
            fit_percent=row.fit_percent,
            attracts=row.attracts if shared else [],
            pushes=row.pushes if shared else [],
            discuss=row.discuss if shared else [],
            missing=row.missing,
            answers=pairs[row.key],
        )
        for row in view.factors
    ]
    return MatchSummary(
        seeker_name=seeker.user.display_name,
        role_title=role.title,
        organisation_name=role.organisation.name,
        version_number=version.number,
        dated=timezone.localtime(),
        shared=shared,
        score=view.score,
        dealbreakers=view.dealbreakers if shared else [],
        factors=factors,
        across_versions=view.across_versions,
        missing_factors=[f.name for f in factors if f.status == "not_comparable"],
        points=_points_to_discuss(view=view, factors=factors, shared=shared),
    )


def _points_to_discuss(*, view: Any, factors: list[FactorMatch], shared: bool) -> list[str]:
    """Deal-breakers first, then what pushes apart, what could be discussed, and what is
    missing; without the seeker's consent, only the factors that are not aligned."""
    points: list[str] = list(view.dealbreakers) if shared else []
    for factor in factors:
        if shared:
            points.extend(p for p in factor.pushes if p not in points)
            points.extend(factor.discuss)
        elif factor.status in ("gap", "stretch"):
            points.append(
                _("%(factor)s: %(status)s — ask what would make it work.")
                % {"factor": factor.name, "status": factor.status_label}
            )
        if factor.missing:
            points.append(
                _("%(factor)s: %(missing)s.") % {"factor": factor.name, "missing": factor.missing}
            )
    return points

"""What goes into each report, read from the audience apps' models.

Two functions, one per report kind, each returning plain frozen dataclasses so the
print templates never touch the ORM (no queries while rendering, nothing lazy).

``seeker_profile_content`` is the one place that reads a seeker's answers for the
PDF. When ``seekers.selectors.profile_summary(*, seeker)`` lands (the seekers app
owns what "a profile" means), this function's body becomes a call to it and a
mapping onto ``SeekerProfile``; nothing else in the pipeline changes. The same goes
for ``employer_offer_content`` and the employers app's offer selectors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from factors.models import Factor, FrameworkVersion, Item
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
    from employers.models import OfferAnswer, Organisation
    from seekers.models import Answer, Seeker

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
    talking_points: list[Line]


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


def _latest_per_identity(answers: Iterable[Answer | OfferAnswer]) -> dict[object, Any]:
    """Answers given against older versions carry forward by item identity; when an
    item was answered in two versions, the newer version's answer wins."""
    chosen: dict[object, Any] = {}
    for answer in answers:
        current = chosen.get(answer.item.identity)
        if current is None or (
            answer.item.factor.version.number > current.item.factor.version.number
        ):
            chosen[answer.item.identity] = answer
    return chosen


def _current_items(version: FrameworkVersion) -> list[Item]:
    return list(
        Item.objects.filter(factor__version=version, retired=False)
        .select_related("factor")
        .order_by("factor__order", "order", "pk")
    )


def seeker_profile_content(*, seeker: Seeker) -> SeekerProfile:
    """The seeker's Magnetic Profile: per factor how much it matters and the needs that
    matter most, then must-haves, deal-breakers, what they offer and talking points.

    Three queries whatever the number of answers. To be pointed at
    ``seekers.selectors.profile_summary`` once that exists (see the module docstring).
    """
    version = _version_or_refuse()
    items = _current_items(version)
    answers = _latest_per_identity(
        seeker.answers.select_related("item__factor__version").order_by("pk")
    )
    factors: list[Factor] = []
    needs_by_factor: dict[str, list[tuple[int, Line]]] = defaultdict(list)
    offers_by_factor: dict[str, list[tuple[int, Line]]] = defaultdict(list)
    must_haves: list[Line] = []
    deal_breakers: list[Line] = []
    talking_points: list[Line] = []
    answered_by_factor: dict[str, int] = defaultdict(int)
    for item in items:
        if not factors or factors[-1].pk != item.factor.pk:
            factors.append(item.factor)
        answer = answers.get(item.identity)
        if answer is None:
            continue
        key = item.factor.key
        answered_by_factor[key] += 1
        if item.direction == Direction.WORKER_NEEDS:
            line = Line(str(item.factor.name), str(item.worker_text), _importance(answer.level))
            needs_by_factor[key].append((answer.level, line))
            if answer.level == Importance.MUST_HAVE:
                must_haves.append(line)
            if answer.dealbreaker:
                deal_breakers.append(line)
        else:
            line = Line(
                str(item.factor.name),
                str(item.worker_text),
                _strength(answer.level),
                answer.example.strip(),
            )
            offers_by_factor[key].append((answer.level, line))
            if answer.level >= Strength.VERY_WELL or (
                answer.level >= Strength.WELL and line.example
            ):
                talking_points.append(line)

    sections = []
    for factor in factors:
        levels = [level for level, _line in needs_by_factor[factor.key]]
        mean = sum(levels) / len(levels) if levels else None
        sections.append(
            FactorSection(
                key=factor.key,
                name=str(factor.name),
                definition=str(factor.definition),
                value=None if mean is None else round(100 * mean / Importance.MUST_HAVE),
                value_text=_("Not answered yet") if mean is None else _importance(round(mean)),
                answered=answered_by_factor[factor.key],
                lines=_strongest(needs_by_factor[factor.key], minimum=Importance.IMPORTANT),
                extra=_strongest(offers_by_factor[factor.key], minimum=Strength.WELL, top=None),
            )
        )
    return SeekerProfile(
        name=seeker.user.display_name,
        version_number=version.number,
        dated=timezone.localtime(),
        answered=sum(answered_by_factor.values()),
        total=len(items),
        factors=sections,
        must_haves=must_haves,
        deal_breakers=deal_breakers,
        offers=[line for section in sections for line in section.extra],
        talking_points=talking_points,
    )


def employer_offer_content(*, organisation: Organisation) -> EmployerOffer:
    """The organisation's offer per factor, what it looks for in a worker, its strongest
    factors and the beyond-pay levers it could add (cheapest first).

    Three queries whatever the number of answers."""
    version = _version_or_refuse()
    items = _current_items(version)
    answers = _latest_per_identity(
        organisation.answers.select_related("item__factor__version").order_by("pk")
    )
    factors: list[Factor] = []
    offered: dict[str, list[Line]] = defaultdict(list)
    looking_for: dict[str, list[tuple[int, Line]]] = defaultdict(list)
    need_items: dict[str, int] = defaultdict(int)
    answered_by_factor: dict[str, int] = defaultdict(int)
    lever_candidates: list[tuple[int, int, Line]] = []
    for item in items:
        if not factors or factors[-1].pk != item.factor.pk:
            factors.append(item.factor)
        key = item.factor.key
        answer = answers.get(item.identity)
        level = answer.level if answer is not None else None
        if answer is not None:
            answered_by_factor[key] += 1
        if item.direction == Direction.WORKER_NEEDS:
            need_items[key] += 1
            if level == OfferLevel.OFFERED:
                offered[key].append(
                    Line(
                        str(item.factor.name),
                        str(item.employer_text),
                        str(OfferLevel.OFFERED.label),
                        answer.example.strip() if answer is not None else "",
                    )
                )
            elif key != FactorKey.PAY_BENEFITS:
                # Not offered yet: a lever. "Could offer" first, then the cheapest.
                label = _offer_level(level)
                rank = 0 if level == OfferLevel.COULD_OFFER else 1
                lever_candidates.append(
                    (
                        rank,
                        COST_ORDER.get(item.cost, 1),
                        Line(str(item.factor.name), str(item.employer_text), label),
                    )
                )
        elif level is not None and level >= NeedLevel.IMPORTANT:
            line = Line(str(item.factor.name), str(item.employer_text), str(NeedLevel(level).label))
            looking_for[key].append((level, line))

    sections = []
    for factor in factors:
        total = need_items[factor.key]
        count = len(offered[factor.key])
        answered = answered_by_factor[factor.key]
        sections.append(
            FactorSection(
                key=factor.key,
                name=str(factor.name),
                definition=str(factor.definition),
                value=round(100 * count / total) if answered and total else None,
                value_text=(
                    _("%(offered)s of %(total)s offered") % {"offered": count, "total": total}
                    if answered and total
                    else _("Not answered yet")
                ),
                answered=answered,
                lines=offered[factor.key],
                extra=_strongest(looking_for[factor.key], minimum=NeedLevel.IMPORTANT, top=None),
            )
        )
    shown = [s for s in sections if s.value is not None]
    strengths = sorted(
        (s for s in shown if s.value is not None and s.value >= 50),
        key=lambda s: -(s.value or 0),
    )
    pay = next((s for s in shown if s.key == FactorKey.PAY_BENEFITS), None)
    others = [s.value or 0 for s in shown if s.key != FactorKey.PAY_BENEFITS]
    leans_on_pay = bool(
        pay is not None and (pay.value or 0) >= 50 and others and sum(others) / len(others) < 34
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
        answered=sum(answered_by_factor.values()),
        total=len(items),
        factors=sections,
        strengths=strengths,
        levers=levers,
        leans_on_pay=leans_on_pay,
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

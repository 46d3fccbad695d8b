"""The fit map: a job seeker and a role compared factor by factor, both ways.

This module is the *reference* implementation: plain Python, one pair at a time, easy
to read and to check by hand (docs/matching.md walks through an example). The fast
ranking path (``factors.ranking``) must give exactly the same results; tests prove it.

The rule, per factor, over the factor's active items of the current framework version:

* worker-needs items: weight = how much the seeker needs it (Importance 0..3);
  satisfaction = what the employer offers (OfferLevel 0..2) / 2.
* worker-offers items: weight = how much the employer needs it (NeedLevel 0..3);
  satisfaction = min(what the seeker offers (Strength 0..3), 2) / 2 — "well" meets the need.
* fit = sum(weight x satisfaction) / sum(weight), kept as an integer in thousandths
  (rounded half up) so every implementation gives the very same numbers; a factor where
  nobody requires anything fits fully (1000).
* pushes apart (hard): a deal-breaker the role does not offer, a must-have the role does
  not offer, an employer must-have the seeker does not offer at all.
* status: any hard push -> gap; else fit >= 750 aligned; fit >= 500 stretch; else gap.
* a factor is comparable only when both sides answered all its items; otherwise it is
  "not comparable" and says what is missing.
* the overall score (0-100) is the mean fit of comparable factors in percent, rounded half
  up, shown only when at least four factors are comparable.

Answers are matched by item *identity*, so answers given against an older framework
version still compare where the item is unchanged; the fit map says when it does so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from factors.scales import Direction

MIN_COMPARABLE_FACTORS = 4
ALIGNED_AT = 750  # thousandths
STRETCH_AT = 500


class FitStatus(StrEnum):
    ALIGNED = "aligned"
    STRETCH = "stretch"
    GAP = "gap"
    NOT_COMPARABLE = "not_comparable"


class ReasonKind(StrEnum):
    # attracts
    MUST_HAVE_OFFERED = "must_have_offered"
    NEED_MET_BY_SEEKER = "need_met_by_seeker"
    # pushes apart
    DEALBREAKER_NOT_OFFERED = "dealbreaker_not_offered"
    MUST_HAVE_NOT_OFFERED = "must_have_not_offered"
    EMPLOYER_MUST_NOT_OFFERED = "employer_must_not_offered"
    # could be discussed
    COULD_OFFER = "could_offer"
    EMPLOYER_NEED_PARTLY_MET = "employer_need_partly_met"


HARD_PUSHES = frozenset(
    {
        ReasonKind.DEALBREAKER_NOT_OFFERED,
        ReasonKind.MUST_HAVE_NOT_OFFERED,
        ReasonKind.EMPLOYER_MUST_NOT_OFFERED,
    }
)


@dataclass(frozen=True)
class FitItem:
    """What the fit map needs of an item: its identity, factor and direction.

    ``item`` is the framework row (or None in pure tests); reasons use it to name the
    item in the reader's language.
    """

    identity: UUID
    factor_key: str
    direction: str
    item: object | None = None


@dataclass(frozen=True)
class SeekerAnswers:
    """needs: identity -> (importance 0..3, deal-breaker); offers: identity -> strength 0..3."""

    needs: Mapping[UUID, tuple[int, bool]]
    offers: Mapping[UUID, int]
    version_numbers: frozenset[int] = frozenset()


@dataclass(frozen=True)
class RoleAnswers:
    """offers: identity -> offer level 0..2 (with role overrides applied);
    needs: identity -> need level 0..3."""

    offers: Mapping[UUID, int]
    needs: Mapping[UUID, int]
    version_numbers: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    fit_item: FitItem

    @property
    def is_hard_push(self) -> bool:
        return self.kind in HARD_PUSHES


@dataclass
class FactorFit:
    factor_key: str
    status: FitStatus
    fit: int | None  # thousandths, 0..1000
    attracts: list[Reason] = field(default_factory=list)
    pushes: list[Reason] = field(default_factory=list)
    discuss: list[Reason] = field(default_factory=list)
    seeker_missing: int = 0
    employer_missing: int = 0

    @property
    def dealbreakers(self) -> list[Reason]:
        return [r for r in self.pushes if r.is_hard_push]


@dataclass
class FitMap:
    factors: list[FactorFit]
    score: int | None
    comparable: int
    across_versions: bool

    @property
    def dealbreakers(self) -> list[Reason]:
        """Every hard push, first in any display, whatever the score."""
        return [reason for factor in self.factors for reason in factor.dealbreakers]

    @property
    def enough_information(self) -> bool:
        return self.score is not None

    def missing_summary(self) -> list[FactorFit]:
        return [f for f in self.factors if f.status == FitStatus.NOT_COMPARABLE]


def _status(fit: int, hard_push: bool) -> FitStatus:
    if hard_push:
        return FitStatus.GAP
    if fit >= ALIGNED_AT:
        return FitStatus.ALIGNED
    if fit >= STRETCH_AT:
        return FitStatus.STRETCH
    return FitStatus.GAP


def _need_item(fit_item: FitItem, seeker: SeekerAnswers, role: RoleAnswers, out: FactorFit):
    """Returns (2 x weight, 2 x weighted satisfaction) for a worker-needs item: integers."""
    importance, dealbreaker = seeker.needs[fit_item.identity]
    offer = role.offers[fit_item.identity]
    if offer == 2 and importance == 3:
        out.attracts.append(Reason(ReasonKind.MUST_HAVE_OFFERED, fit_item))
    if offer == 0 and dealbreaker:
        out.pushes.append(Reason(ReasonKind.DEALBREAKER_NOT_OFFERED, fit_item))
    elif offer == 0 and importance == 3:
        out.pushes.append(Reason(ReasonKind.MUST_HAVE_NOT_OFFERED, fit_item))
    if offer == 1 and importance >= 2:
        out.discuss.append(Reason(ReasonKind.COULD_OFFER, fit_item))
    return 2 * importance, importance * offer


def _offer_item(fit_item: FitItem, seeker: SeekerAnswers, role: RoleAnswers, out: FactorFit):
    """Returns (2 x weight, 2 x weighted satisfaction) for a worker-offers item: integers."""
    need = role.needs[fit_item.identity]
    strength = seeker.offers[fit_item.identity]
    if need == 3 and strength >= 2:
        out.attracts.append(Reason(ReasonKind.NEED_MET_BY_SEEKER, fit_item))
    if need == 3 and strength == 0:
        out.pushes.append(Reason(ReasonKind.EMPLOYER_MUST_NOT_OFFERED, fit_item))
    elif need >= 2 and strength == 1:
        out.discuss.append(Reason(ReasonKind.EMPLOYER_NEED_PARTLY_MET, fit_item))
    return 2 * need, need * min(strength, 2)


def _missing(items: Sequence[FitItem], seeker: SeekerAnswers, role: RoleAnswers) -> tuple[int, int]:
    seeker_missing = employer_missing = 0
    for fit_item in items:
        if fit_item.direction == Direction.WORKER_NEEDS:
            seeker_missing += fit_item.identity not in seeker.needs
            employer_missing += fit_item.identity not in role.offers
        else:
            seeker_missing += fit_item.identity not in seeker.offers
            employer_missing += fit_item.identity not in role.needs
    return seeker_missing, employer_missing


def factor_fit(
    *, factor_key: str, items: Sequence[FitItem], seeker: SeekerAnswers, role: RoleAnswers
) -> FactorFit:
    seeker_missing, employer_missing = _missing(items, seeker, role)
    if seeker_missing or employer_missing or not items:
        return FactorFit(
            factor_key,
            FitStatus.NOT_COMPARABLE,
            None,
            seeker_missing=seeker_missing,
            employer_missing=employer_missing,
        )
    out = FactorFit(factor_key, FitStatus.NOT_COMPARABLE, None)
    total_weight = total_met = 0
    for fit_item in items:
        scorer = _need_item if fit_item.direction == Direction.WORKER_NEEDS else _offer_item
        weight, met = scorer(fit_item, seeker, role, out)
        total_weight += weight
        total_met += met
    out.fit = thousandths(total_met, total_weight)
    out.status = _status(out.fit, any(r.is_hard_push for r in out.pushes))
    return out


def thousandths(met: int, weight: int) -> int:
    """met / weight in thousandths, rounded half up; nothing required fits fully."""
    if weight == 0:
        return 1000
    return (2000 * met + weight) // (2 * weight)


def overall_score(fits: Iterable[int]) -> int | None:
    """Mean of factor fits (thousandths) as a percentage, rounded half up; None if too few."""
    values = list(fits)
    if len(values) < MIN_COMPARABLE_FACTORS:
        return None
    return (sum(values) + 5 * len(values)) // (10 * len(values))


def fit_map(
    *,
    factor_keys: Sequence[str],
    items: Sequence[FitItem],
    seeker: SeekerAnswers,
    role: RoleAnswers,
) -> FitMap:
    """Compare one seeker with one role over the given (current-version, active) items."""
    by_factor: dict[str, list[FitItem]] = {key: [] for key in factor_keys}
    for fit_item in items:
        by_factor.setdefault(fit_item.factor_key, []).append(fit_item)
    factors = [
        factor_fit(factor_key=key, items=by_factor[key], seeker=seeker, role=role)
        for key in factor_keys
    ]
    comparable = [f.fit for f in factors if f.fit is not None]
    versions = seeker.version_numbers | role.version_numbers
    return FitMap(
        factors=factors,
        score=overall_score(comparable),
        comparable=len(comparable),
        across_versions=len(versions) > 1,
    )


# The sentences are marked here (``gettext_noop``) and translated when used, one per reason:
# building the whole table in the reader's language for every reason cost a ranked page
# of 25 fit maps about 3,000 look-ups of seven sentences each (docs/performance.md).
_SENTENCES = {
    ReasonKind.MUST_HAVE_OFFERED: gettext_noop("A must-have is offered: %(item)s"),
    ReasonKind.NEED_MET_BY_SEEKER: gettext_noop(
        "An employer must-have is offered by the job seeker: %(item)s"
    ),
    ReasonKind.DEALBREAKER_NOT_OFFERED: gettext_noop("Deal-breaker: not offered — %(item)s"),
    ReasonKind.MUST_HAVE_NOT_OFFERED: gettext_noop("A must-have is not offered: %(item)s"),
    ReasonKind.EMPLOYER_MUST_NOT_OFFERED: gettext_noop(
        "The employer must have this, and the job seeker does not offer it yet: %(item)s"
    ),
    ReasonKind.COULD_OFFER: gettext_noop("Could be discussed — the employer could offer: %(item)s"),
    ReasonKind.EMPLOYER_NEED_PARTLY_MET: gettext_noop(
        "Could be discussed — the job seeker offers this a little: %(item)s"
    ),
}


def reason_sentence(reason: Reason, *, reader: str) -> str:
    """A reason in plain words, naming the item in the reader's language.

    ``reader`` is "worker", "employer" or "practitioner"; employers and practitioners read
    the employer's phrasing of offers, seekers their own.
    """
    item = reason.fit_item.item
    attribute = "worker_text" if reader == "worker" else "employer_text"
    name = str(getattr(item, attribute, "")) if item is not None else ""
    return _(_SENTENCES[reason.kind]) % {"item": name}


def fit_snapshot(fit: FitMap) -> dict[str, object]:
    """A fit map as plain JSON, kept with a placement so retention can be read by fit at hire.

    Only keys and identities are kept (no wording), so the snapshot reads the same whatever
    the reader's language and survives later framework versions:
    ``{"score": 72 | None, "comparable": 5, "across_versions": False,
    "factors": {"values": {"status": "aligned", "fit": 800,
    "pushes": [{"kind": ..., "item": "<uuid>"}], ...}}}``.
    """

    def reasons(items: list[Reason]) -> list[dict[str, str]]:
        return [{"kind": str(r.kind), "item": str(r.fit_item.identity)} for r in items]

    return {
        "score": fit.score,
        "comparable": fit.comparable,
        "across_versions": fit.across_versions,
        "factors": {
            f.factor_key: {
                "status": str(f.status),
                "fit": f.fit,
                "attracts": reasons(f.attracts),
                "pushes": reasons(f.pushes),
                "discuss": reasons(f.discuss),
            }
            for f in fit.factors
        },
    }

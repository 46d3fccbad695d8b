"""The fit map ready to show: every status and reason in words, in the reader's language.

Kept apart from ``factors.fitmap`` (the rule) so the rule stays plain arithmetic; the
template partial ``factors/fitmap.html`` renders what ``fitmap_view`` returns. Status is
always written out (never colour alone), deal-breakers come first, and a factor or a whole
map without enough answers says what is missing instead of showing a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from factors.fitmap import FactorFit, FitMap, FitStatus, reason_sentence
from factors.scales import FactorKey

_STATUS_LABELS = {
    FitStatus.ALIGNED: gettext_noop("Aligned"),
    FitStatus.STRETCH: gettext_noop("Stretch"),
    FitStatus.GAP: gettext_noop("Gap"),
    FitStatus.NOT_COMPARABLE: gettext_noop("Not comparable"),
}


def status_label(status: FitStatus) -> str:
    return _(_STATUS_LABELS[status])


def _missing_text(factor: FactorFit) -> str:
    parts = []
    if factor.seeker_missing:
        parts.append(
            ngettext(
                "%(n)s answer missing from the job seeker",
                "%(n)s answers missing from the job seeker",
                factor.seeker_missing,
            )
            % {"n": factor.seeker_missing}
        )
    if factor.employer_missing:
        parts.append(
            ngettext(
                "%(n)s answer missing from the employer",
                "%(n)s answers missing from the employer",
                factor.employer_missing,
            )
            % {"n": factor.employer_missing}
        )
    return "; ".join(parts)


@dataclass(frozen=True)
class FactorRow:
    key: str
    name: str
    status: str
    status_label: str
    fit_percent: int | None
    attracts: list[str]
    pushes: list[str]
    discuss: list[str]
    missing: str


@dataclass(frozen=True)
class FitMapView:
    score: int | None
    dealbreakers: list[str]
    factors: list[FactorRow]
    across_versions: bool
    missing_factors: list[str]


def fitmap_view(*, fitmap: FitMap, reader: str) -> FitMapView:
    """Words for every part of the map; ``reader`` is "worker", "employer" or "practitioner"."""
    names = dict(FactorKey.choices)
    rows = [
        FactorRow(
            key=factor.factor_key,
            name=str(names.get(factor.factor_key, factor.factor_key)),
            status=str(factor.status),
            status_label=status_label(factor.status),
            fit_percent=None if factor.fit is None else (factor.fit + 5) // 10,
            attracts=[reason_sentence(r, reader=reader) for r in factor.attracts],
            pushes=[reason_sentence(r, reader=reader) for r in factor.pushes],
            discuss=[reason_sentence(r, reader=reader) for r in factor.discuss],
            missing=_missing_text(factor),
        )
        for factor in fitmap.factors
    ]
    return FitMapView(
        score=fitmap.score,
        dealbreakers=[reason_sentence(r, reader=reader) for r in fitmap.dealbreakers],
        factors=rows,
        across_versions=fitmap.across_versions,
        missing_factors=[row.name for row in rows if row.status == FitStatus.NOT_COMPARABLE],
    )

"""Reads for the workplace bargain: the first draft of its terms, and what it holds now.

The draft is built from both profiles (the seeker's answers, the role's effective offer
and needs) and the fit map at hire: what the employer offers that matters to the worker,
what the worker brings that the employer needs, what is still to agree on, and what
pushes them apart. The practitioner edits it with both sides before anyone agrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from employers.selectors import role_factors
from factors.fitmap import reason_sentence
from factors.models import FrameworkVersion
from factors.scales import FactorKey, Importance, NeedLevel, OfferLevel, Strength
from factors.selectors import current_version
from practitioners.models import Bargain, BargainRevisit, Placement
from practitioners.selectors.placements import snapshot_fitmap
from seekers.selectors import profile_summary


@dataclass(frozen=True)
class DraftTerm:
    key: str
    name: str
    text: str


def _sentence(label: str, texts: list[str]) -> str | None:
    texts = [t.strip().rstrip(".") for t in texts if t and t.strip()]
    if not texts:
        return None
    return f"{label} {'; '.join(texts)}."


def bargain_draft(
    *, placement: Placement, language: str, version: FrameworkVersion | None = None
) -> list[DraftTerm]:
    """One prefilled text per factor of the current framework, in ``language``."""
    version = version or current_version()
    if version is None:
        return []
    with translation.override(language):
        profile = profile_summary(seeker=placement.seeker, version=version)
        seeker_lines = {
            (line.identity, line.direction): line for f in profile.factors for line in f.lines
        }
        fitmap = snapshot_fitmap(placement.fit_snapshot)
        pushes = {f.factor_key: f.pushes for f in fitmap.factors}
        terms = []
        for role_factor in role_factors(role=placement.role, version=version):
            factor = role_factor.factor
            offered, to_agree, brings = [], [], []
            for row in role_factor.offers:
                line = seeker_lines.get((str(row.item.identity), row.item.direction))
                matters = line is not None and line.level >= Importance.IMPORTANT
                if matters and row.level == OfferLevel.OFFERED:
                    offered.append(str(row.item.employer_text))
                elif matters and row.level == OfferLevel.COULD_OFFER:
                    to_agree.append(str(row.item.employer_text))
            for row in role_factor.needs:
                line = seeker_lines.get((str(row.item.identity), row.item.direction))
                strong = line is not None and line.level >= Strength.WELL
                if strong and (row.level or 0) >= NeedLevel.IMPORTANT:
                    brings.append(str(row.item.worker_text))
            gaps = [reason_sentence(r, reader="practitioner") for r in pushes.get(factor.key, [])]
            parts = [
                _sentence(_("The employer offers:"), offered),
                _sentence(_("The worker brings:"), brings),
                _sentence(_("To agree on:"), to_agree),
                _sentence(_("To work on together:"), gaps),
            ]
            text = "\n".join(p for p in parts if p) or _(
                "Nothing specific to agree on this factor yet."
            )
            terms.append(DraftTerm(factor.key, str(factor.name), text))
        return terms


def factor_names() -> dict[str, str]:
    """Factor names in the active language, by key (the framework's, else the defaults)."""
    names = {key: str(label) for key, label in FactorKey.choices}
    version = current_version()
    if version is not None:
        names.update({f.key: str(f.name) for f in version.factors.all()})
    return names


def bargain_of(*, placement: Placement) -> Bargain | None:
    return (
        Bargain.objects.filter(placement=placement)
        .select_related("agreement_recorded_by", "created_by")
        .prefetch_related("terms")
        .first()
    )


def revisits_of(*, bargain: Bargain) -> list[BargainRevisit]:
    return list(bargain.revisits.select_related("recorded_by").prefetch_related("terms"))

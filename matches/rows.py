"""What a ranked row shows of its fit map, and keeping it per pair.

A ranked page shows 25 rows, each with the score, the deal-breakers, a chip per factor
and the whole fit map in words. Building those from the answers on every request was most
of the page's time (docs/performance.md), so each row's part is kept in the cache per
pair, keyed by everything it is made of (``row_fits``). The markup is written in Python,
the same as the template includes (``matches/includes/summary.html``, ``chips.html``,
``fitmap.html``, which stay the reference: ``tests/matches/test_rows.py`` compares them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from factors.fitmap import FitMap
from factors.fitmap_html import fitmap_table_html
from factors.fitmap_view import fitmap_view
from factors.matching import MatchItems, role_side_generation
from seekers.models import SeekerVector

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StatusChip:
    name: str
    status: str
    label: str


@dataclass(frozen=True)
class RowFit:
    """What a ranked row shows of the fit map: score, hard pushes, a chip per factor and
    the whole map in words (its table's markup, ``factors.fitmap_html``), all from the
    reference fit map (``row_fit``); kept in the cache per pair (``row_fits``)."""

    score: int | None
    hard_pushes: int
    chips: tuple[StatusChip, ...]
    table: SafeString
    summary: SafeString  # matches/includes/summary.html
    chips_html: SafeString  # matches/includes/chips.html

    @property
    def rank_key(self) -> tuple[bool, int, int]:
        """The order of ``factors.ranking.rank_order``: scored first, fewer hard pushes,
        higher score."""
        return (self.score is None, self.hard_pushes, -(self.score or 0))


def row_fit(fitmap: FitMap, *, reader: str) -> RowFit:
    view = fitmap_view(fitmap=fitmap, reader=reader)
    chips = tuple(StatusChip(f.name, f.status, f.status_label) for f in view.factors)
    return RowFit(
        score=fitmap.score,
        hard_pushes=len(fitmap.dealbreakers),
        chips=chips,
        table=fitmap_table_html(view),
        summary=summary_html(score=fitmap.score, hard_pushes=len(fitmap.dealbreakers)),
        chips_html=chips_html(chips),
    )


def summary_html(*, score: int | None, hard_pushes: int) -> SafeString:
    """``matches/includes/summary.html``: the score (or why there is none) and the
    deal-breakers, in words (tested equal to the template)."""
    if score is not None:
        text = _("Overall fit %(score)s out of 100") % {"score": score}
    else:
        text = escape(_("Not enough information for an overall fit"))
    if hard_pushes:
        text += " · " + ngettext("%(n)s deal-breaker", "%(n)s deal-breakers", hard_pushes) % {
            "n": hard_pushes
        }
    return mark_safe(f"\n{text}\n")  # noqa: S308 - numbers and escaped words only


def chips_html(chips: Sequence[StatusChip]) -> SafeString:
    """``matches/includes/chips.html``: one chip per factor, its status in words."""
    items = "".join(
        f'<li class="badge matches-chip matches-chip--{escape(chip.status)}">'
        f"{escape(chip.name)}: {escape(chip.label)}</li>"
        for chip in chips
    )
    return mark_safe(  # noqa: S308 - every value is escaped
        '\n<ul class="matches-chips list-unstyled d-flex flex-wrap gap-2 mb-2" '
        f'aria-label="{escape(_("Result for each factor"))}">\n{items}\n</ul>\n'
    )


# A row's fit map is kept ten minutes per pair, keyed by everything it is made of: the
# framework version, the role side's counter (any change to a role's offer or needs), the
# seeker's vector stamp (rewritten in the same transaction as every answer write, see
# ``factors.matching.refresh_seeker_vector``), the reader and the language. Building 25
# full fit maps in words was most of a ranked page's time. Who the row is, its pair and
# consent are never kept: they are read on every request.
ROW_SECONDS = 600
ROW_FORMAT = 1  # part of the key: change it whenever ``RowFit`` or its markup changes
Stamp = str | None  # a seeker's vector stamp; None (no vector yet): computed, not kept


def generation_or_none() -> int | None:
    """The role side's counter, or None when the cache is unreachable (nothing is kept)."""
    try:
        return role_side_generation()
    except Exception:  # the reason goes to the log; the page is computed without the cache
        logger.warning("role side counter: cache unavailable", exc_info=True)
        return None


def seeker_stamps(*, seeker_ids: Sequence[int]) -> dict[int, Stamp]:
    """Each seeker's vector stamp, one query: version and time of the last answer write."""
    rows = SeekerVector.objects.filter(seeker_id__in=list(seeker_ids)).values_list(
        "seeker_id", "version_id", "updated_at"
    )
    stamps: dict[int, Stamp] = dict.fromkeys(seeker_ids)
    for seeker_id, version_id, updated_at in rows:
        stamps[seeker_id] = f"{version_id}.{updated_at.isoformat()}"
    return stamps


def row_fits(
    *,
    items: MatchItems,
    reader: str,
    pairs: Sequence[tuple[int, int, Stamp]],
    compute: Callable[[list[int]], list[FitMap]],
    generation: int | None,
) -> list[RowFit]:
    """The ``RowFit`` of each (role id, seeker id, seeker stamp): from the cache, else from
    ``compute`` (given the positions missing, returns their reference fit maps).

    The stamps and the role side's ``generation`` must have been read *before* the
    answers ``compute`` uses: a write in between then leaves its result under a key no
    one reads again, never old answers under a new key."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    prefix = (
        f"matches:row:{ROW_FORMAT}:{items.version.pk}:{items.layout().width}:{generation}:"
        f"{reader}:{language}"
    )
    keys = {
        position: f"{prefix}:{role_id}:{seeker_id}:{stamp}"
        for position, (role_id, seeker_id, stamp) in enumerate(pairs)
        if stamp is not None and generation is not None
    }
    try:
        found = cache.get_many(list(keys.values())) if keys else {}
    except Exception:  # an unreachable cache means "compute"; the reason goes to the log
        logger.warning("row fit maps: cache unavailable, computed", exc_info=True)
        found = {}
    fits: list[RowFit | None] = [
        found.get(keys.get(position, "")) for position in range(len(pairs))
    ]
    missing = [position for position, fit in enumerate(fits) if not isinstance(fit, RowFit)]
    if missing:
        fresh = {}
        for position, fitmap in zip(missing, compute(missing), strict=True):
            fits[position] = row_fit(fitmap, reader=reader)
            if position in keys:
                fresh[keys[position]] = fits[position]
        try:
            cache.set_many(fresh, ROW_SECONDS)
        except Exception:
            logger.warning("row fit maps: cache unavailable, not kept", exc_info=True)
    return [fit for fit in fits if isinstance(fit, RowFit)]

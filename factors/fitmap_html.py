"""The fit map partial written in Python, for pages that show many fit maps at once.

The ranked pages show 25 full fit maps (each in a ``<details>``): rendered through the
template partial ``factors/fitmap.html`` (wrapped by ``matches/includes/fitmap.html``) they
cost about 9 ms of a page's CPU, more than the ranking. This writes the same markup, the
same words (the template's own messages, so the same French) and the same escaping,
about six times faster. The template stays the reference, used by the pages that show one
fit map; ``tests/matching/test_fitmap_html.py`` renders both and compares them.

Escaping follows the template tags exactly: ``{% translate %}`` and ``{{ }}`` escape,
``{% blocktranslate %}`` escapes its variables but not the translated sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from factors.fitmap_view import FactorRow, FitMapView


@dataclass(frozen=True)
class _Words:
    """The partial's fixed words in one language, escaped as ``{% translate %}`` does."""

    region: str
    dealbreakers: str
    not_enough: str
    answers_needed: str
    across_versions: str
    factor: str
    result: str
    why: str
    pushes: str
    attracts: str
    discuss: str


@lru_cache(maxsize=8)
def _words(language: str) -> _Words:
    """Kept per language: a process's catalogues do not change while it runs."""
    with translation.override(language):
        return _Words(
            region=escape(_("Fit for each factor")),
            dealbreakers=escape(_("Deal-breakers")),
            not_enough=escape(_("Not enough information for an overall fit yet.")),
            answers_needed=escape(_("Answers are needed for:")),
            across_versions=escape(
                _(
                    "Compared across versions of the questions: some answers were given to "
                    "an earlier version."
                )
            ),
            factor=escape(_("Factor")),
            result=escape(_("Result")),
            why=escape(_("Why")),
            pushes=escape(_("Pushes apart:")),
            attracts=escape(_("Attracts:")),
            discuss=escape(_("Could be discussed:")),
        )


def _items(sentences: list[str]) -> str:
    return "".join(f"<li>{escape(sentence)}</li>" for sentence in sentences)


def _reasons(title: str, sentences: list[str]) -> str:
    return f"<p>{title}</p><ul>{_items(sentences)}</ul>" if sentences else ""


def _factor_row(row: FactorRow, words: _Words) -> str:
    percent = ""
    if row.fit_percent is not None:
        percent = "<br>" + _("%(percent)s out of 100") % {"percent": row.fit_percent}
    missing = f"<p>{escape(row.missing)}</p>" if row.missing else ""
    return (
        f'<tr class="fitmap-{escape(row.status)}">\n<th scope="row">{escape(row.name)}</th>\n'
        f"<td>\n<strong>{escape(row.status_label)}</strong>\n{percent}\n</td>\n"
        f"<td>\n{missing}\n{_reasons(words.pushes, row.pushes)}\n"
        f"{_reasons(words.attracts, row.attracts)}\n"
        f"{_reasons(words.discuss, row.discuss)}\n</td>\n</tr>\n"
    )


def _score(view: FitMapView, words: _Words) -> str:
    if view.score is not None:
        sentence = _("Overall fit: %(score)s out of 100") % {"score": view.score}
        return f'<p class="fitmap-score">{sentence}</p>'
    missing = ""
    if view.missing_factors:
        names = escape(", ").join(escape(name) for name in view.missing_factors)
        missing = f"{words.answers_needed} {names}"
    return f'<p class="fitmap-score">{words.not_enough}\n{missing}</p>'


def fitmap_table_html(view: FitMapView) -> SafeString:
    """The partial ``factors/fitmap.html`` (what the region of ``fitmap_html`` holds)."""
    words = _words(translation.get_language() or settings.LANGUAGE_CODE)
    parts = ['\n<div class="fitmap">\n']
    if view.dealbreakers:
        parts.append(
            f'<div class="fitmap-dealbreakers">\n<h3>{words.dealbreakers}</h3>\n'
            f"<ul>{_items(view.dealbreakers)}</ul>\n</div>\n"
        )
    parts.append(_score(view, words) + "\n")
    if view.across_versions:
        parts.append(f"<p>{words.across_versions}</p>\n")
    parts.append(
        f'<table class="fitmap-table">\n<caption>{words.region}</caption>\n'
        f'<thead>\n<tr>\n<th scope="col">{words.factor}</th>\n'
        f'<th scope="col">{words.result}</th>\n'
        f'<th scope="col">{words.why}</th>\n</tr>\n</thead>\n<tbody>\n'
    )
    parts.extend(_factor_row(row, words) for row in view.factors)
    parts.append("</tbody>\n</table>\n</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def fitmap_region_html(table: SafeString, label: object = "") -> SafeString:
    """``matches/includes/fitmap.html`` around a fit map's table (``fitmap_table_html``);
    apart so the table can be kept without the label (an employer's pseudonym)."""
    words = _words(translation.get_language() or settings.LANGUAGE_CODE)
    aria_label = words.region + (": " + conditional_escape(label) if label else "")
    return mark_safe(  # noqa: S308 - the label is escaped, the table is safe markup
        '\n<div class="table-responsive matches-fitmap" tabindex="0" role="region" '
        f'aria-label="{aria_label}">\n{conditional_escape(table)}\n</div>\n'
    )


def fitmap_html(view: FitMapView, label: object = "") -> SafeString:
    """``{% include "matches/includes/fitmap.html" with view=view label=label %}``."""
    return fitmap_region_html(fitmap_table_html(view), label)

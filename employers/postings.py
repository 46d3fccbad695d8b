"""Magnetic job postings: a draft written from the role's offer, and a checker for any text.

The draft leads with what the business offers beyond pay, then says something about every
one of the six factors — a factor with nothing offered yet gets an honest "ask us" line
rather than silence — and ends with pay and what the role needs.

The checker reads whatever the employer wrote:

* **Factors left out.** Each factor has a hand-written list of words in
  ``employers/data/factor_keywords.json`` (drawn from the employer phrasings of its items).
  A factor is covered when the text contains at least one of them; a dollar amount also
  covers pay & benefits.
* **Gender-coded words.** ``employers/data/gender_coded_words.json`` holds the masculine and
  feminine word lists of Gaucher, Friesen & Kay (2011) — with the few additions the
  open-source Gender Decoder makes, marked as such — and a short French list of our own
  (not from the paper). Research found masculine-coded wording makes a job less appealing
  to women; the checker lists the words so the employer can reread them.

Word rule, for both lists: a trailing ``*`` marks a stem (``compet*`` matches "competitive"
and "competent"); a word without it must match a whole word; an entry of several words must
appear in that order. Case and accents are ignored; a hyphenated word is tried whole first,
then part by part. All functions here are pure: no database, no request.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from employers.models import JobRole, PayPeriod
from employers.selectors import RoleFactor, RoleItem
from factors.models import Factor
from factors.scales import FactorKey, NeedLevel

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("en", "fr")
HIGHLIGHTS = 3
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DOLLARS = re.compile(r"\$\s?\d|\d\s?\$")


def fold(text: str) -> str:
    """Lower case without accents, so "Équité" and "equite" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Pattern:
    """One list entry: its words (folded), and whether the last one is a stem."""

    entry: str
    words: tuple[str, ...]
    stem: bool

    @classmethod
    def parse(cls, entry: str) -> Pattern:
        stem = entry.endswith("*")
        return cls(entry=entry, words=tuple(fold(entry.rstrip("*")).split()), stem=stem)

    def matches_word(self, word: str) -> bool:
        target = self.words[-1]
        return word.startswith(target) if self.stem else word == target

    def matches_at(self, words: list[str], index: int) -> bool:
        """True when the entry's words start at ``words[index]``."""
        size = len(self.words)
        if index + size > len(words):
            return False
        *head, _last = self.words
        return list(head) == words[index : index + size - 1] and self.matches_word(
            words[index + size - 1]
        )


@cache
def _json(name: str) -> dict:
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def factor_patterns(language: str) -> dict[str, tuple[Pattern, ...]]:
    lists = _json("factor_keywords.json")[language]
    return {key: tuple(Pattern.parse(e) for e in entries) for key, entries in lists.items()}


@cache
def gender_patterns(language: str) -> dict[str, tuple[Pattern, ...]]:
    """{"masculine": ..., "feminine": ...}; English adds the Gender Decoder's additions."""
    lists = _json("gender_coded_words.json")[language]
    result = {}
    for side in ("masculine", "feminine"):
        entries = dict.fromkeys([*lists[side], *lists.get(f"{side}_gender_decoder", [])])
        result[side] = tuple(Pattern.parse(e) for e in entries)
    return result


def words_of(text: str) -> list[str]:
    return WORD.findall(fold(text))


def _pieces(word: str) -> list[str]:
    return word.split("-") if "-" in word else []


# --- The checker -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodedWord:
    word: str
    count: int


@dataclass(frozen=True)
class PostingCheck:
    """What the checker found in one text."""

    language: str
    covered: list[Factor]
    missing: list[Factor]
    masculine: list[CodedWord]
    feminine: list[CodedWord]

    @property
    def masculine_total(self) -> int:
        return sum(w.count for w in self.masculine)

    @property
    def feminine_total(self) -> int:
        return sum(w.count for w in self.feminine)

    @property
    def verdict(self) -> str:
        """ "neutral" (no coded words), "masculine", "feminine" or "balanced"."""
        masculine, feminine = self.masculine_total, self.feminine_total
        if not masculine and not feminine:
            return "neutral"
        if masculine > feminine:
            return "masculine"
        if feminine > masculine:
            return "feminine"
        return "balanced"


def _covers(patterns: tuple[Pattern, ...], words: list[str]) -> bool:
    candidates = words + [piece for word in words for piece in _pieces(word)]
    for pattern in patterns:
        if len(pattern.words) == 1:
            if any(pattern.matches_word(w) for w in candidates):
                return True
        elif any(pattern.matches_at(words, i) for i in range(len(words))):
            return True
    return False


def _coded(patterns: tuple[Pattern, ...], words: list[str]) -> list[CodedWord]:
    """Each word matching the list, counted; a hyphenated word counts once at most."""
    found: Counter[str] = Counter()
    for word in words:
        if any(p.matches_word(word) for p in patterns):
            found[word] += 1
            continue
        for piece in _pieces(word):
            if any(p.matches_word(piece) for p in patterns):
                found[word] += 1
                break
    return [CodedWord(word, count) for word, count in sorted(found.items())]


def posting_check(*, text: str, language: str, factors: list[Factor]) -> PostingCheck:
    """Check ``text`` (in ``language``, "en" or "fr") against the six factors and the lists."""
    language = language if language in LANGUAGES else "en"
    words = words_of(text)
    keywords = factor_patterns(language)
    covered, missing = [], []
    for factor in factors:
        hit = _covers(keywords.get(factor.key, ()), words)
        if not hit and factor.key == FactorKey.PAY_BENEFITS:
            hit = bool(DOLLARS.search(text))
        (covered if hit else missing).append(factor)
    coded = gender_patterns(language)
    return PostingCheck(
        language=language,
        covered=covered,
        missing=missing,
        masculine=_coded(coded["masculine"], words),
        feminine=_coded(coded["feminine"], words),
    )


# --- The generator ---------------------------------------------------------------------------


def _headings() -> dict[str, str]:
    return {
        FactorKey.VALUES: _("What we value"),
        FactorKey.CULTURE: _("Our team and culture"),
        FactorKey.WORK_ARRANGEMENTS: _("Hours and schedule"),
        FactorKey.SKILLS_COMPETENCIES: _("Training and growth"),
        FactorKey.PRODUCTIVITY_ENGAGEMENT: _("The work: pace, variety and feedback"),
        FactorKey.PAY_BENEFITS: _("Pay and benefits"),
    }


def _fallbacks() -> dict[str, str]:
    """For a factor with nothing offered yet: an honest line that still names the topic."""
    return {
        FactorKey.VALUES: _("Ask us what we value and why."),
        FactorKey.CULTURE: _("Ask us how we welcome new people and treat each other."),
        FactorKey.WORK_ARRANGEMENTS: _("Ask us about the schedule and what can bend."),
        FactorKey.SKILLS_COMPETENCIES: _("Ask us about training and how people grow here."),
        FactorKey.PRODUCTIVITY_ENGAGEMENT: _(
            "Ask us what a good day of work looks like and how we give feedback."
        ),
        FactorKey.PAY_BENEFITS: _("Ask us about benefits beyond the wage."),
    }


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def _with_example(row: RoleItem) -> str:
    line = _sentence(str(row.item.employer_text))
    if row.example.strip():
        line += " " + _("For example: %(example)s") % {"example": _sentence(row.example)}
    return line


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an acronym: leave it
    return text[:1].lower() + text[1:]


def _money(value: Decimal, period: str) -> str:
    value = Decimal(value)
    whole = value == value.to_integral_value()
    places = 0 if whole and period == PayPeriod.YEAR else 2
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def pay_line(role: JobRole) -> str:
    """ "Pay: $18.00 to $21.00 an hour", in the active language."""
    low, high = _money(role.pay_min, role.pay_period), _money(role.pay_max, role.pay_period)
    hourly = role.pay_period == PayPeriod.HOUR
    if low == high:
        template = _("Pay: $%(low)s an hour") if hourly else _("Pay: $%(low)s a year")
    else:
        template = (
            _("Pay: $%(low)s to $%(high)s an hour")
            if hourly
            else _("Pay: $%(low)s to $%(high)s a year")
        )
    return template % {"low": low, "high": high}


def _highlights(factors: list[RoleFactor]) -> list[str]:
    """Up to three things offered beyond pay, from different factors, concrete examples first."""
    best = []
    for factor in factors:
        if factor.factor.key == FactorKey.PAY_BENEFITS:
            continue
        offered = sorted(factor.offered(), key=lambda row: not row.example.strip())
        if offered:
            best.append(offered[0])
    best.sort(key=lambda row: not row.example.strip())
    return [
        capfirst(_sentence(row.example))
        if row.example.strip()
        else _sentence(str(row.item.employer_text))
        for row in best[:HIGHLIGHTS]
    ]


def _factor_section(factor: RoleFactor, role: JobRole) -> list[str]:
    key = factor.factor.key
    lines = [_headings().get(key, str(factor.factor.name))]
    if key == FactorKey.WORK_ARRANGEMENTS:
        lines.append(
            "- " + _("This job is %(hours)s hours a week.") % {"hours": role.hours_per_week}
        )
    if key == FactorKey.PAY_BENEFITS:
        lines.append("- " + _sentence(pay_line(role)))
    lines += ["- " + _with_example(row) for row in factor.offered()]
    could = factor.could_offer()
    if could:
        lines.append(_("Ask us about these too:"))
        lines += ["- " + _sentence(str(row.item.employer_text)) for row in could]
    if not factor.offered() and not could:
        lines.append(_fallbacks().get(key, ""))
    return lines


def _needs_section(factors: list[RoleFactor]) -> list[str]:
    labels = {
        NeedLevel.MUST_HAVE: _("Must have: %(text)s"),
        NeedLevel.IMPORTANT: _("Important: %(text)s"),
        NeedLevel.NICE_TO_HAVE: _("Nice to have: %(text)s"),
    }
    needs = sorted(
        (row for f in factors for row in f.needs if row.level),
        key=lambda row: -(row.level or 0),
    )
    lines = [_("What you bring")]
    for row in needs:
        text = _sentence(_lower_first(str(row.item.employer_text)))
        lines.append("- " + labels[NeedLevel(row.level)] % {"text": text})
    if not needs:
        lines.append(_("Tell us about the skills you bring; we can teach the rest."))
    return lines


def posting_draft(*, role: JobRole, factors: list[RoleFactor], language: str) -> str:
    """A plain-text posting for the role in ``language``, from its offer (``role_factors``).

    Leads with what the business offers beyond pay; then one section per factor in
    framework order (pay & benefits last), then what the role needs, then how to apply.
    """
    language = language if language in LANGUAGES else "en"
    with translation.override(language):
        organisation = role.organisation
        where = ", ".join(p for p in (role.location, str(role.get_region_display())) if p)
        blocks: list[list[str]] = [
            [
                _("%(title)s at %(organisation)s")
                % {"title": role.title, "organisation": organisation.name},
                " · ".join(
                    [
                        where,
                        _("%(hours)s hours a week") % {"hours": role.hours_per_week},
                        pay_line(role),
                    ]
                ),
            ]
        ]
        highlights = _highlights(factors)
        lead = [_("Why work with us")]
        if highlights:
            lead.append(
                _("At %(organisation)s, we offer more than a paycheque:")
                % {"organisation": organisation.name}
            )
            lead += ["- " + line for line in highlights]
        else:
            lead.append(
                _("At %(organisation)s, we want to offer more than a paycheque. Ask us how.")
                % {"organisation": organisation.name}
            )
        blocks.append(lead)
        if role.duties.strip():
            blocks.append([_("About the job"), role.duties.strip()])
        blocks += [_factor_section(f, role) for f in factors]
        blocks.append(_needs_section(factors))
        blocks.append(
            [
                _("How to apply"),
                _("Contact %(organisation)s to apply or to ask a question.")
                % {"organisation": organisation.name},
            ]
        )
    return "\n\n".join("\n".join(line for line in block if line) for block in blocks) + "\n"

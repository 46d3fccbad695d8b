"""What a seeker's answers add up to: pure functions, no database.

The selector ``seekers.selectors.profile_summary`` gathers rows and hands them
here; everything that decides what the profile says (scores, must-haves,
talking points, what changed since last time) lives in these functions so tests
can call them directly with plain data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from factors.charts import ChartRow
from factors.scales import Agreement, Direction, Importance, Strength

SNAPSHOT_FORMAT = 1
MAX_TALKING_POINTS = 5
MIN_TALKING_POINTS = 3
STORY_LENGTH = 220


@dataclass(frozen=True)
class ItemLine:
    """One answered item, in words, ready to print."""

    identity: str
    factor_key: str
    factor_name: str
    text: str
    direction: str
    level: int
    level_text: str
    dealbreaker: bool = False
    example: str = ""
    order: int = 0

    @property
    def is_need(self) -> bool:
        return self.direction == Direction.WORKER_NEEDS


@dataclass(frozen=True)
class FactorSummary:
    """One factor of the profile. ``needs_score`` is None unless the factor is complete."""

    key: str
    name: str
    order: int
    answered: int
    total: int
    needs_score: float | None
    needs_text: str
    offers_score: float | None
    lines: tuple[ItemLine, ...] = ()
    reflection: str = ""

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.answered >= self.total

    @property
    def started(self) -> bool:
        return self.answered > 0


@dataclass(frozen=True)
class MindsetLine:
    identity: str
    factor_name: str
    text: str
    limiting: bool
    latest: int
    latest_text: str
    first: int | None
    first_text: str
    note: str = ""

    @property
    def change(self) -> str | None:
        """ "wider", "narrower" or "same" since the first check; None with one check only."""
        if self.first is None:
            return None
        before, after = openness(self.first, self.limiting), openness(self.latest, self.limiting)
        if after > before:
            return "wider"
        if after < before:
            return "narrower"
        return "same"


@dataclass(frozen=True)
class MindsetSnapshot:
    rounds: int
    first_at: datetime.datetime | None
    latest_at: datetime.datetime | None
    lines: tuple[MindsetLine, ...] = ()

    @property
    def taken(self) -> bool:
        return self.rounds > 0

    @property
    def wider_count(self) -> int:
        return sum(1 for line in self.lines if line.change == "wider")

    @property
    def narrower_count(self) -> int:
        return sum(1 for line in self.lines if line.change == "narrower")


@dataclass(frozen=True)
class ProfileSummary:
    """Everything "My Magnetic Profile" shows, in the active language.

    Built by ``seekers.selectors.profile_summary(seeker=...)``; the page and the
    PDF renderer both draw from it (activate the seeker's language first).

    - ``version_number``: the framework version the profile is read against.
    - ``factors``: one ``FactorSummary`` per factor, framework order. ``needs_score``
      (0-100, the average importance of its needs items) is None while the factor is
      incomplete, so an unfinished factor is never drawn as zero; ``needs_text`` says
      it in words ("Important", "Not finished: 5 of 11").
    - ``chart_rows``: the same, ready for ``factors.charts.bar_chart(rows=...)``.
    - ``must_haves``: needs answered "Must have". ``dealbreakers``: needs marked
      "this would push me away". ``offers``: what the seeker can offer "Well" or
      "Very well", strongest first, with their examples.
    - ``mindset``: the latest mindset check and, per prompt, the change since the first.
    - ``talking_points``: three to five sentences to use in an interview once the
      profile is complete (fewer, possibly none, before that).
    - ``finished`` / ``complete``: how many of the six activities are done / all of them.
    - ``snapshot``: the structure (identities, levels, scores; no free text) kept as
      history when the seeker starts a retake and compared by ``profile_changes``.
    """

    version_number: int
    factors: tuple[FactorSummary, ...]
    must_haves: tuple[ItemLine, ...]
    dealbreakers: tuple[ItemLine, ...]
    offers: tuple[ItemLine, ...]
    mindset: MindsetSnapshot
    talking_points: tuple[str, ...]
    snapshot: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> int:
        return sum(1 for f in self.factors if f.complete)

    @property
    def complete(self) -> bool:
        return bool(self.factors) and all(f.complete for f in self.factors)

    @property
    def chart_rows(self) -> list[ChartRow]:
        return [ChartRow(f.name, f.needs_score, f.needs_text) for f in self.factors]

    @property
    def reflections(self) -> list[FactorSummary]:
        return [f for f in self.factors if f.reflection.strip()]

    @property
    def ranked_factors(self) -> list[FactorSummary]:
        """Complete factors, the one that matters most first (ties: framework order)."""
        done = [f for f in self.factors if f.needs_score is not None]
        return sorted(done, key=lambda f: (-(f.needs_score or 0), f.order))


# --- scores and words ---------------------------------------------------------------


def level_text(direction: str, level: int) -> str:
    scale = Importance if direction == Direction.WORKER_NEEDS else Strength
    return str(scale(level).label)


def needs_score(levels: Sequence[int]) -> float | None:
    """Average importance as 0-100, or None when nothing was answered."""
    if not levels:
        return None
    return round(100 * sum(levels) / (3 * len(levels)), 1)


def needs_words(*, score: float | None, answered: int, total: int, complete: bool) -> str:
    """Short enough for the chart's value column: the bar shows the nuance."""
    if not complete:
        if answered == 0:
            return _("Not started")
        return _("Not finished: %(answered)s of %(total)s") % {
            "answered": answered,
            "total": total,
        }
    if score is None:
        return _("No needs in this activity")
    average = round(score * 3 / 100, 1)
    return str(Importance(min(3, max(0, int(average + 0.5)))).label)  # 2.5 is "Must have"


def openness(agreement: int, limiting: bool) -> int:
    """1 (narrow) to 5 (open): agreeing with a limiting belief is narrow, with an open one wide."""
    return 6 - agreement if limiting else agreement


def agreement_text(agreement: int | None) -> str:
    return "" if agreement is None else str(Agreement(agreement).label)


# --- building the summary -----------------------------------------------------------


def summarise_factor(
    *,
    key: str,
    name: str,
    order: int,
    total: int,
    lines: Sequence[ItemLine],
    reflection: str = "",
) -> FactorSummary:
    answered = len(lines)
    complete = total > 0 and answered >= total
    needs = [line.level for line in lines if line.is_need]
    offers = [line.level for line in lines if not line.is_need]
    score = needs_score(needs) if complete else None
    return FactorSummary(
        key=key,
        name=name,
        order=order,
        answered=answered,
        total=total,
        needs_score=score,
        needs_text=needs_words(score=score, answered=answered, total=total, complete=complete),
        offers_score=needs_score(offers) if complete and offers else None,
        lines=tuple(sorted(lines, key=lambda line: line.order)),
        reflection=reflection,
    )


def must_haves_of(factors: Iterable[FactorSummary]) -> tuple[ItemLine, ...]:
    return tuple(
        line
        for f in factors
        for line in f.lines
        if line.is_need and line.level == Importance.MUST_HAVE
    )


def dealbreakers_of(factors: Iterable[FactorSummary]) -> tuple[ItemLine, ...]:
    return tuple(line for f in factors for line in f.lines if line.is_need and line.dealbreaker)


def offers_of(factors: Iterable[FactorSummary]) -> tuple[ItemLine, ...]:
    """Offers answered Well or Very well: strongest first, those with an example first."""
    lines = [
        line
        for f in factors
        for line in f.lines
        if not line.is_need and line.level >= Strength.WELL
    ]
    return tuple(sorted(lines, key=lambda line: (-line.level, not line.example, line.order)))


# --- talking points -----------------------------------------------------------------


def _lower_first(text: str) -> str:
    """ "A steady schedule" -> "a steady schedule", but leave "TV" or "I can" alone."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and text[:2] != "I ":
        return text[0].lower() + text[1:]
    return text


def _shorten(text: str, limit: int = STORY_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut}…"


def _strip_stop(text: str) -> str:
    return text.rstrip(" .!?")


def point_for_offer(line: ItemLine) -> str:
    if line.example:
        return _("%(offer)s. For example: %(example)s") % {
            "offer": _strip_stop(line.text),
            "example": _shorten(line.example),
        }
    return _("%(offer)s.") % {"offer": _strip_stop(line.text)}


def point_for_top_factor(factor: FactorSummary) -> str:
    name = factor.name.lower() if factor.name[1:2].islower() else factor.name
    needs = sorted(
        (line for line in factor.lines if line.is_need and line.level > 0),
        key=lambda line: (-line.level, line.order),
    )
    if not needs:
        return _("What matters most to me in a job is %(factor)s.") % {"factor": name}
    return _("What matters most to me in a job is %(factor)s, especially %(item)s.") % {
        "factor": name,
        "item": _lower_first(_strip_stop(needs[0].text)),
    }


def point_for_needs(lines: Sequence[ItemLine]) -> str:
    listed = "; ".join(_lower_first(_strip_stop(line.text)) for line in lines)
    return _("I do my best work when I have: %(list)s.") % {"list": listed}


def point_for_dealbreaker(line: ItemLine) -> str:
    return _("A question I can ask the employer: how does this job handle “%(item)s”?") % {
        "item": _strip_stop(line.text)
    }


def point_for_story(factor: FactorSummary) -> str:
    return _("A story I can tell about %(factor)s: %(story)s") % {
        "factor": factor.name,
        "story": _shorten(factor.reflection),
    }


def point_for_growth(line: ItemLine) -> str:
    return _("Something I am working on and happy to learn more about: “%(item)s”.") % {
        "item": _strip_stop(line.text)
    }


def _important_needs(factors: Sequence[FactorSummary], ranked: Sequence[FactorSummary]) -> list:
    """Must-haves first, then "Important" needs, from the factors that matter most."""
    order = {f.key: index for index, f in enumerate(ranked)}
    needs = [line for f in factors for line in f.lines if line.is_need and line.level >= 2]
    needs.sort(key=lambda line: (-line.level, order.get(line.factor_key, 99), line.order))
    return needs[:3]


def talking_points(
    *,
    factors: Sequence[FactorSummary],
    offers: Sequence[ItemLine],
    dealbreakers: Sequence[ItemLine],
) -> tuple[str, ...]:
    """Three to five sentences for an interview, from a complete profile.

    Deterministic: the same answers always give the same points, in this order of
    priority: the strongest offer, what matters most, the needs that help the
    seeker do their best work, a second offer, a question drawn from a
    deal-breaker, a story from a reflection. Before the profile is complete only
    what is already answered is used, so there may be fewer than three.
    """
    ranked = sorted(
        (f for f in factors if f.needs_score is not None),
        key=lambda f: (-(f.needs_score or 0), f.order),
    )
    candidates: list[str] = []
    if offers:
        candidates.append(point_for_offer(offers[0]))
    if ranked and (ranked[0].needs_score or 0) > 0:
        candidates.append(point_for_top_factor(ranked[0]))
    needs = _important_needs(factors, ranked)
    if needs:
        candidates.append(point_for_needs(needs))
    if len(offers) > 1:
        candidates.append(point_for_offer(offers[1]))
    if dealbreakers:
        candidates.append(point_for_dealbreaker(dealbreakers[0]))
    storied = [f for f in (ranked or factors) if f.reflection.strip()]
    if storied:
        candidates.append(point_for_story(storied[0]))
    complete = bool(factors) and all(f.complete for f in factors)
    if complete and len(candidates) < MIN_TALKING_POINTS:
        candidates += _fallback_points(factors)
    return tuple(candidates[:MAX_TALKING_POINTS])


def _fallback_points(factors: Sequence[FactorSummary]) -> list[str]:
    """When answers are all low: name what the seeker is learning and what they can ask about."""
    offers = sorted(
        (line for f in factors for line in f.lines if not line.is_need),
        key=lambda line: (-line.level, line.order),
    )
    needs = sorted(
        (line for f in factors for line in f.lines if line.is_need),
        key=lambda line: (-line.level, line.order),
    )
    points = [point_for_growth(line) for line in offers[:2]]
    points += [point_for_dealbreaker(line) for line in needs[:2]]
    points.append(
        _("I have thought about all six parts of a good job fit, and I know what to ask about.")
    )
    points.append(_("I can explain what helps me stay in a job for the long term."))
    return points


# --- history and change -------------------------------------------------------------


def snapshot_of(*, version_number: int, factors: Sequence[FactorSummary]) -> dict[str, Any]:
    """The structure kept as history: no words, no free text (safe to keep after erasure)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "version": version_number,
        "factors": {
            f.key: {"answered": f.answered, "total": f.total, "score": f.needs_score}
            for f in factors
        },
        "answers": {
            line.identity: {
                "factor": line.factor_key,
                "direction": line.direction,
                "level": line.level,
                "dealbreaker": line.dealbreaker,
            }
            for f in factors
            for line in f.lines
        },
    }


def same_profile(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return before.get("answers") == after.get("answers") and before.get("version") == after.get(
        "version"
    )


@dataclass(frozen=True)
class ProfileChange:
    kind: str  # "factor", "level", "dealbreaker_added", "dealbreaker_removed", "new", "dropped"
    text: str


def _factor_changes(
    before: dict[str, Any], after: dict[str, Any], factor_names: dict[str, str]
) -> list[ProfileChange]:
    changes = []
    for key, now in after.get("factors", {}).items():
        was = before.get("factors", {}).get(key, {})
        old, new = was.get("score"), now.get("score")
        if old is None or new is None or abs(new - old) < 5:
            continue
        template = (
            _("%(factor)s matters more to you than before.")
            if new > old
            else _("%(factor)s matters less to you than before.")
        )
        changes.append(ProfileChange("factor", template % {"factor": factor_names.get(key, key)}))
    return changes


def _item_change(
    identity: str, was: dict[str, Any] | None, now: dict[str, Any] | None, text: str
) -> list[ProfileChange]:
    if was is None and now is not None:
        return [ProfileChange("new", _("New answer: “%(item)s”.") % {"item": text})]
    if now is None:
        return [ProfileChange("dropped", _("No longer asked: “%(item)s”.") % {"item": text})]
    changes = []
    if was["level"] != now["level"]:
        changes.append(
            ProfileChange(
                "level",
                _("“%(item)s”: now %(new)s (was %(old)s).")
                % {
                    "item": text,
                    "new": level_text(now["direction"], now["level"]),
                    "old": level_text(was["direction"], was["level"]),
                },
            )
        )
    if now.get("dealbreaker") and not was.get("dealbreaker"):
        changes.append(
            ProfileChange("dealbreaker_added", _("New deal-breaker: “%(item)s”.") % {"item": text})
        )
    elif was.get("dealbreaker") and not now.get("dealbreaker"):
        changes.append(
            ProfileChange(
                "dealbreaker_removed",
                _("No longer a deal-breaker: “%(item)s”.") % {"item": text},
            )
        )
    return changes


def profile_changes(
    *,
    before: dict[str, Any],
    after: dict[str, Any],
    item_texts: dict[str, str],
    factor_names: dict[str, str],
) -> list[ProfileChange]:
    """What changed between two snapshots, factor shifts first, then item by item.

    Items are matched by identity, so a change of framework version does not show
    every answer as new; an item the new version no longer asks shows as dropped.
    """
    changes = _factor_changes(before, after, factor_names)
    old_answers, new_answers = before.get("answers", {}), after.get("answers", {})
    for identity in list(new_answers) + [i for i in old_answers if i not in new_answers]:
        changes += _item_change(
            identity,
            old_answers.get(identity),
            new_answers.get(identity),
            item_texts.get(identity, "?"),
        )
    return changes

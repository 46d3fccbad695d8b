"""What changed between two framework versions, item by item, in plain words.

Pure: ``version_diff`` compares two ``VersionContent`` snapshots (plain dataclasses) and
touches no database, so every case can be tested directly. Items and prompts are matched
by ``identity``, which stays the same across versions; factors by their stable key.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from factors.i18n import active_content_language
from factors.scales import Cost, Direction, Side

FACTOR_FIELDS = ("name", "definition", "guidance", "worker_reflection", "employer_reflection")
ITEM_FIELDS = ("worker_text", "employer_text")
PROMPT_FIELDS = ("text",)
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class FactorState:
    key: str
    order: int
    texts: dict[str, str] = field(default_factory=dict, compare=True, hash=False)

    @classmethod
    def of(cls, factor: Any) -> FactorState:
        texts = {
            f"{f}_{lang}": getattr(factor, f"{f}_{lang}") or ""
            for f in FACTOR_FIELDS
            for lang in LANGUAGES
        }
        return cls(key=factor.key, order=factor.order, texts=texts)

    def text(self, name: str, language: str) -> str:
        return self.texts.get(f"{name}_{language}", "")


@dataclass(frozen=True)
class ItemState:
    identity: uuid.UUID
    factor_key: str
    code: str
    direction: str
    worker_text_en: str
    worker_text_fr: str
    employer_text_en: str
    employer_text_fr: str
    cost: str = ""
    order: int = 0
    retired: bool = False

    @classmethod
    def of(cls, item: Any, factor_key: str) -> ItemState:
        return cls(
            identity=item.identity,
            factor_key=factor_key,
            code=item.code,
            direction=item.direction,
            worker_text_en=item.worker_text_en or "",
            worker_text_fr=item.worker_text_fr or "",
            employer_text_en=item.employer_text_en or "",
            employer_text_fr=item.employer_text_fr or "",
            cost=item.cost or "",
            order=item.order,
            retired=item.retired,
        )

    def label(self, language: str) -> str:
        return (self.worker_text_fr if language == "fr" else "") or self.worker_text_en


@dataclass(frozen=True)
class PromptState:
    identity: uuid.UUID
    factor_key: str
    code: str
    side: str
    text_en: str
    text_fr: str
    limiting: bool = True
    order: int = 0
    retired: bool = False

    @classmethod
    def of(cls, prompt: Any, factor_key: str) -> PromptState:
        return cls(
            identity=prompt.identity,
            factor_key=factor_key,
            code=prompt.code,
            side=prompt.side,
            text_en=prompt.text_en or "",
            text_fr=prompt.text_fr or "",
            limiting=prompt.limiting,
            order=prompt.order,
            retired=prompt.retired,
        )

    def label(self, language: str) -> str:
        return (self.text_fr if language == "fr" else "") or self.text_en


@dataclass(frozen=True)
class VersionContent:
    """Everything a version says, detached from the database."""

    factors: tuple[FactorState, ...] = ()
    items: tuple[ItemState, ...] = ()
    prompts: tuple[PromptState, ...] = ()


class ChangeKind(StrEnum):
    ADDED = "added"
    RETIRED = "retired"
    RESTORED = "restored"
    MOVED = "moved"
    TEXT = "text"
    DIRECTION = "direction"
    COST = "cost"
    SIDE = "side"
    LIMITING = "limiting"


def field_label(name: str) -> str:
    """A field's name in plain words: ``worker_text`` → "job seeker wording",
    ``worker_text_fr`` → "job seeker wording (French)"."""
    base, _sep, language = name.rpartition("_")
    if language in LANGUAGES and base:
        return _("%(field)s (%(language)s)") % {
            "field": field_label(base),
            "language": _language_name(language),
        }
    return {
        "name": _("name"),
        "definition": _("definition"),
        "guidance": _("practitioner guidance"),
        "worker_reflection": _("reflection question for job seekers"),
        "employer_reflection": _("reflection question for employers"),
        "worker_text": _("job seeker wording"),
        "employer_text": _("employer wording"),
        "text": _("statement"),
        "direction": _("direction"),
        "cost": _("cost to offer"),
        "side": _("who is asked"),
        "limiting": _("whether agreeing shows a narrow mindset"),
    }.get(name, name)


def _language_name(code: str) -> str:
    return _("French") if code == "fr" else _("English")


def _choice_label(choices: Any, value: str) -> str:
    if not value:
        return _("not set")
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(frozen=True)
class Change:
    """One difference, ready to be read aloud as a sentence in the reader's language."""

    kind: ChangeKind
    subject: str  # "factor", "item" or "prompt"
    factor_key: str
    factor_en: str = ""
    factor_fr: str = ""
    code: str = ""
    label_en: str = ""
    label_fr: str = ""
    field: str = ""
    language: str = ""
    before: str = ""
    after: str = ""
    position: int = 0
    was_position: int = 0

    def _factor(self) -> str:
        return (self.factor_fr if active_content_language() == "fr" else "") or self.factor_en

    @property
    def factor_name(self) -> str:
        return self._factor()

    def _label(self) -> str:
        return (self.label_fr if active_content_language() == "fr" else "") or self.label_en

    def _subject(self) -> str:
        if self.subject == "item":
            return _("Item “%(label)s”") % {"label": self._label()}
        if self.subject == "prompt":
            return _("Mindset prompt “%(label)s”") % {"label": self._label()}
        return self._factor()

    def _words(self) -> dict[str, Any]:
        return {
            "subject": self._subject(),
            "factor": self._factor(),
            "label": self._label(),
            "before": self.before,
            "after": self.after,
            "position": self.position,
            "was": self.was_position,
        }

    @property
    def sentence(self) -> str:
        """The change in plain words, in the active language."""
        return _SENTENCES[self.kind](self, self._words())


def _added(change: Change, words: dict[str, Any]) -> str:
    if change.subject == "prompt":
        return _("New mindset prompt in %(factor)s: “%(label)s”.") % words
    return _("New item in %(factor)s: “%(label)s”.") % words


def _retired(change: Change, words: dict[str, Any]) -> str:
    return (
        _("Retired: %(subject)s in %(factor)s is no longer asked; earlier answers keep it.") % words
    )


def _restored(change: Change, words: dict[str, Any]) -> str:
    return _("Brought back: %(subject)s in %(factor)s is asked again.") % words


def _moved(change: Change, words: dict[str, Any]) -> str:
    return (
        _("Moved: %(subject)s is now number %(position)s in %(factor)s (it was number %(was)s).")
        % words
    )


def _text(change: Change, words: dict[str, Any]) -> str:
    words |= {"field": field_label(change.field), "language": _language_name(change.language)}
    if not change.before.strip():
        return _("%(subject)s: %(field)s in %(language)s added: “%(after)s”.") % words
    if not change.after.strip():
        return _("%(subject)s: %(field)s in %(language)s removed (it was “%(before)s”).") % words
    return (
        _("%(subject)s: %(field)s in %(language)s changed from “%(before)s” to “%(after)s”.")
        % words
    )


def _direction(change: Change, words: dict[str, Any]) -> str:
    words |= {
        "before": _choice_label(Direction, change.before),
        "after": _choice_label(Direction, change.after),
    }
    return _("%(subject)s: direction changed from “%(before)s” to “%(after)s”.") % words


def _cost(change: Change, words: dict[str, Any]) -> str:
    words |= {
        "before": _choice_label(Cost, change.before),
        "after": _choice_label(Cost, change.after),
    }
    return _("%(subject)s: cost to offer changed from “%(before)s” to “%(after)s”.") % words


def _side(change: Change, words: dict[str, Any]) -> str:
    words |= {
        "before": _choice_label(Side, change.before),
        "after": _choice_label(Side, change.after),
    }
    return _("%(subject)s: now asked of “%(after)s” (it was “%(before)s”).") % words


def _limiting(change: Change, words: dict[str, Any]) -> str:
    if change.after:
        return _("%(subject)s: agreeing now shows a narrow mindset.") % words
    return _("%(subject)s: agreeing no longer shows a narrow mindset.") % words


_SENTENCES = {
    ChangeKind.ADDED: _added,
    ChangeKind.RETIRED: _retired,
    ChangeKind.RESTORED: _restored,
    ChangeKind.MOVED: _moved,
    ChangeKind.TEXT: _text,
    ChangeKind.DIRECTION: _direction,
    ChangeKind.COST: _cost,
    ChangeKind.SIDE: _side,
    ChangeKind.LIMITING: _limiting,
}


def _stayed_in_place(sequence: Sequence[int]) -> set[int]:
    """Indexes of one longest increasing subsequence: the items that did not move.

    Everything outside it moved. Reporting only those keeps one swap to one line
    instead of renumbering every item after an addition or a move.
    """
    if not sequence:
        return set()
    best = [1] * len(sequence)
    previous = [-1] * len(sequence)
    for i, value in enumerate(sequence):
        for j in range(i):
            if sequence[j] < value and best[j] + 1 > best[i]:
                best[i], previous[i] = best[j] + 1, j
    end = max(range(len(sequence)), key=lambda i: (best[i], -i))
    kept = set()
    while end != -1:
        kept.add(end)
        end = previous[end]
    return kept


def _ranked(rows: Iterable[Any], group: Any) -> dict[uuid.UUID, int]:
    """1-based position of each active row within its group (factor, or factor and side)."""
    groups: dict[Any, list[Any]] = {}
    for row in rows:
        if not row.retired:
            groups.setdefault(group(row), []).append(row)
    positions = {}
    for members in groups.values():
        for index, row in enumerate(sorted(members, key=lambda r: (r.order, r.code)), start=1):
            positions[row.identity] = index
    return positions


def _moves(old: Sequence[Any], new: Sequence[Any], group: Any) -> dict[uuid.UUID, tuple[int, int]]:
    """identity -> (was, now) for rows active in both whose relative order changed."""
    was, now = _ranked(old, group), _ranked(new, group)
    common = [row for row in new if row.identity in was and row.identity in now]
    moved: dict[uuid.UUID, tuple[int, int]] = {}
    by_group: dict[Any, list[Any]] = {}
    for row in common:
        by_group.setdefault(group(row), []).append(row)
    for members in by_group.values():
        members.sort(key=lambda r: now[r.identity])
        kept = _stayed_in_place([was[r.identity] for r in members])
        for index, row in enumerate(members):
            if index not in kept:
                moved[row.identity] = (was[row.identity], now[row.identity])
    return moved


def _text_changes(
    old: Any, new: Any, fields: tuple[str, ...], getter: Any, base: dict[str, Any]
) -> list[Change]:
    changes = []
    for name in fields:
        for language in LANGUAGES:
            before, after = getter(old, name, language), getter(new, name, language)
            if before.strip() != after.strip():
                changes.append(
                    Change(
                        kind=ChangeKind.TEXT,
                        field=name,
                        language=language,
                        before=before,
                        after=after,
                        **base,
                    )
                )
    return changes


def _attribute_changes(old: Any, new: Any, *, subject: str, base: dict[str, Any]) -> list[Change]:
    """Direction and cost of an item; side and narrow-mindset flag of a prompt."""
    if subject == "item":
        pairs = [
            (ChangeKind.DIRECTION, old.direction, new.direction),
            (ChangeKind.COST, old.cost, new.cost),
        ]
    else:
        pairs = [
            (ChangeKind.SIDE, old.side, new.side),
            (ChangeKind.LIMITING, "1" if old.limiting else "", "1" if new.limiting else ""),
        ]
    return [
        Change(kind=kind, subject=subject, before=before, after=after, **base)
        for kind, before, after in pairs
        if before != after
    ]


def _row_changes(
    old: Any | None,
    new: Any | None,
    *,
    subject: str,
    base: dict[str, Any],
    moved: tuple[int, int] | None,
) -> list[Change]:
    if new is None:  # not in the new version at all: gone, unless it was already retired
        retired_now = old is not None and not old.retired
        return [Change(kind=ChangeKind.RETIRED, subject=subject, **base)] if retired_now else []
    if old is None:  # added; if retired before anyone saw it, nothing changed for anyone
        return [] if new.retired else [Change(kind=ChangeKind.ADDED, subject=subject, **base)]
    if new.retired:
        return [] if old.retired else [Change(kind=ChangeKind.RETIRED, subject=subject, **base)]
    changes = []
    if old.retired:
        changes.append(Change(kind=ChangeKind.RESTORED, subject=subject, **base))
    fields = ITEM_FIELDS if subject == "item" else PROMPT_FIELDS
    changes += _text_changes(
        old,
        new,
        fields,
        lambda row, name, language: getattr(row, f"{name}_{language}"),
        {"subject": subject, **base},
    )
    changes += _attribute_changes(old, new, subject=subject, base=base)
    if moved is not None:
        was, now = moved
        changes.append(
            Change(kind=ChangeKind.MOVED, subject=subject, position=now, was_position=was, **base)
        )
    return changes


def version_diff(*, old: VersionContent, new: VersionContent) -> list[Change]:
    """Every difference from ``old`` to ``new``: factor texts, then items, then prompts,
    factor by factor in the new version's order."""
    old_factors = {f.key: f for f in old.factors}
    new_factors = {f.key: f for f in new.factors}
    factor_order = {f.key: f.order for f in old.factors} | {f.key: f.order for f in new.factors}

    def factor_names(key: str) -> dict[str, str]:
        factor = new_factors.get(key) or old_factors.get(key)
        if factor is None:
            return {"factor_key": key, "factor_en": key, "factor_fr": key}
        return {
            "factor_key": key,
            "factor_en": factor.text("name", "en") or key,
            "factor_fr": factor.text("name", "fr"),
        }

    changes: list[tuple[tuple[Any, ...], Change]] = []
    for key, factor in new_factors.items():
        if key in old_factors:
            for change in _text_changes(
                old_factors[key],
                factor,
                FACTOR_FIELDS,
                lambda f, n, lang: f.text(n, lang),
                {"subject": "factor", **factor_names(key)},
            ):
                changes.append(((factor_order[key], 0, 0, 0), change))

    for subject, old_rows, new_rows, group, rank in (
        ("item", old.items, new.items, lambda r: r.factor_key, 1),
        ("prompt", old.prompts, new.prompts, lambda r: (r.factor_key, r.side), 2),
    ):
        before = {row.identity: row for row in old_rows}
        after = {row.identity: row for row in new_rows}
        moves = _moves(old_rows, new_rows, group)
        for identity in list(after) + [i for i in before if i not in after]:
            old_row, new_row = before.get(identity), after.get(identity)
            shown: Any = new_row or old_row
            base = {
                **factor_names(shown.factor_key),
                "code": shown.code,
                "label_en": (old_row or shown).label("en"),
                "label_fr": (old_row or shown).label("fr"),
            }
            for change in _row_changes(
                old_row, new_row, subject=subject, base=base, moved=moves.get(identity)
            ):
                sort = (
                    factor_order.get(shown.factor_key, 99),
                    rank,
                    getattr(shown, "side", ""),
                    shown.order,
                )
                changes.append((sort, change))
    changes.sort(key=lambda pair: pair[0])
    return [change for _, change in changes]

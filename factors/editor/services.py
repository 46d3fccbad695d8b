"""Writes of the framework editor. Each public function is one transaction and logs what it did.

Every write first locks the version row and checks it is still a draft: publishing takes the
same lock, so an edit can never land in a version that was published a moment before.
Rows are re-read under that lock, never trusted from a form's instance.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from factors.editor.history import change_record
from factors.models import (
    ChangeAction,
    Factor,
    FrameworkVersion,
    Item,
    MindsetPrompt,
)
from factors.services import FrameworkError

FACTOR_EDITABLE = tuple(
    f"{name}_{language}"
    for name in ("name", "definition", "guidance", "worker_reflection", "employer_reflection")
    for language in ("en", "fr")
)
ITEM_EDITABLE = (
    "worker_text_en",
    "worker_text_fr",
    "employer_text_en",
    "employer_text_fr",
    "direction",
    "cost",
)
PROMPT_EDITABLE = ("text_en", "text_fr", "side", "limiting")


class EditorError(FrameworkError):
    """An edit refused for a reason the admin can act on; shown to them as it is."""

    @classmethod
    def published(cls, version: FrameworkVersion) -> EditorError:
        return cls(
            _(
                "Version %(n)s is published, so it can't be changed. "
                "Start a draft of the next version to make changes."
            )
            % {"n": version.number}
        )


@dataclass(frozen=True)
class EditorAction:
    """A button on the factor page other than "Save": move, retire or bring back one row."""

    kind: str  # "item" or "prompt"
    verb: str  # "up", "down", "retire" or "restore"
    pk: int


@dataclass(frozen=True)
class FactorPageEdit:
    """Everything one post of a factor's editor page asks for, already validated by forms."""

    texts: Mapping[str, Any] | None = None
    items: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    prompts: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    new_item: Mapping[str, Any] | None = None
    new_prompt: Mapping[str, Any] | None = None
    action: EditorAction | None = None


def _draft_locked(version_id: int) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_for_update().get(pk=version_id)
    if version.is_published:
        raise EditorError.published(version)
    return version


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _apply(row: Any, data: Mapping[str, Any], editable: tuple[str, ...]) -> list[str]:
    """Set the editable fields that differ; return their names (nothing else is touched)."""
    changed = []
    for name in editable:
        if name not in data:
            continue
        value = _clean(data[name])
        if value is None and isinstance(getattr(row, name), str):
            value = ""
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def _refused_row(model: type[Item] | type[MindsetPrompt], pk: int, factor: Factor) -> EditorError:
    """Say plainly why a row id cannot be changed from this page."""
    row = model.objects.filter(pk=pk).select_related("factor__version").first()
    noun = _("item") if model is Item else _("mindset prompt")
    if row is not None and row.factor.version.is_published:
        return EditorError(
            _(
                "That %(noun)s belongs to version %(n)s, which is published and can't be "
                "changed. Edit it in the draft instead."
            )
            % {"noun": noun, "n": row.factor.version.number}
        )
    if row is not None and row.factor_id != factor.pk:
        return EditorError(
            _("That %(noun)s is not part of this factor in this draft.") % {"noun": noun}
        )
    return EditorError(_("That %(noun)s does not exist any more.") % {"noun": noun})


def _row_of(model: type[Any], pk: int, factor: Factor) -> Any:
    row = model.objects.select_for_update().filter(pk=pk, factor=factor).first()
    if row is None:
        raise _refused_row(model, pk, factor)
    return row


def _code_prefix(factor: Factor) -> str:
    """New codes follow the factor's existing ones (``values-…``, ``arrange-…``)."""
    first = (
        Item.objects.filter(factor__key=factor.key)
        .order_by("factor__version__number", "order", "pk")
        .values_list("code", flat=True)
        .first()
    )
    return first.split("-")[0] if first else slugify(factor.key) or "item"


def _new_code(model: type[Any], factor: Factor, text: str, middle: str = "") -> str:
    """A readable code, unique for this factor across every version, so a new identity
    never reuses a code an older version gave to a different item."""
    base = "-".join(p for p in (_code_prefix(factor), middle, slugify(text)[:50]) if p)
    base = base[:70].rstrip("-")
    taken = set(
        model.objects.filter(factor__key=factor.key, code__startswith=base).values_list(
            "code", flat=True
        )
    )
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _refuse_duplicate(rows: QuerySet[Any], field: str, text: str) -> None:
    """The same English wording twice in a factor is a double submit or a mistake."""
    twin = rows.filter(**{f"{field}__iexact": _clean(text)}).first()
    if twin is not None:
        hint = _(" It is retired: bring it back instead.") if twin.retired else ""
        raise EditorError(_("This factor already has “%(text)s”.") % {"text": _clean(text)} + hint)


def _next_order(rows: QuerySet[Any]) -> int:
    highest = rows.aggregate(n=Max("order"))["n"]
    return 0 if highest is None else highest + 1


# --- Factor texts ---------------------------------------------------------------------


@transaction.atomic
def factor_texts_update(*, factor: Factor, data: Mapping[str, Any], by: User | None) -> list[str]:
    """Change a factor's name, definition, guidance and reflection questions."""
    version = _draft_locked(factor.version_id)
    row = Factor.objects.select_for_update().get(pk=factor.pk)
    changed = _apply(row, data, FACTOR_EDITABLE)
    if changed:
        row.save(update_fields=changed)
        change_record(
            version=version,
            action=ChangeAction.FACTOR_EDITED,
            by=by,
            factor_key=row.key,
            fields=changed,
        )
    return changed


# --- Items ----------------------------------------------------------------------------


@transaction.atomic
def item_update(*, item: Item, data: Mapping[str, Any], by: User | None) -> list[str]:
    """Change an item's phrasings, direction or cost. A retired item is not edited."""
    version = _draft_locked(item.factor.version_id)
    row = _row_of(Item, item.pk, item.factor)
    if row.retired:
        raise EditorError(_("A retired item can't be edited. Bring it back first."))
    changed = _apply(row, data, ITEM_EDITABLE)
    if changed:
        row.save(update_fields=changed)
        change_record(
            version=version,
            action=ChangeAction.ITEM_EDITED,
            by=by,
            factor_key=item.factor.key,
            subject=row.code,
            fields=changed,
        )
    return changed


@transaction.atomic
def item_add(*, factor: Factor, data: Mapping[str, Any], by: User | None) -> Item:
    """A new item with a new identity, asked from this version on, placed last."""
    version = _draft_locked(factor.version_id)
    if not _clean(data.get("worker_text_en")) or not data.get("direction"):
        raise EditorError(_("A new item needs its job seeker wording and its direction."))
    _refuse_duplicate(factor.items.all(), "worker_text_en", data["worker_text_en"])
    row = Item(
        factor=factor,
        identity=uuid.uuid4(),
        code=_new_code(Item, factor, data["worker_text_en"]),
        order=_next_order(factor.items.all()),
    )
    _apply(row, data, ITEM_EDITABLE)
    row.save()
    change_record(
        version=version,
        action=ChangeAction.ITEM_ADDED,
        by=by,
        factor_key=factor.key,
        subject=row.code,
    )
    return row


def _retire(model: type[Any], row: Any, version: FrameworkVersion, by: User | None) -> None:
    if row.retired:
        return  # a double click: already done, nothing more to do or log
    row.retired = True
    row.save(update_fields=["retired"])
    action = ChangeAction.ITEM_RETIRED if model is Item else ChangeAction.PROMPT_RETIRED
    change_record(
        version=version, action=action, by=by, factor_key=row.factor.key, subject=row.code
    )


def _restore(
    model: type[Any], row: Any, siblings: QuerySet[Any], version: FrameworkVersion, by: User | None
) -> None:
    if not row.retired:
        return  # a double click: already back
    row.retired = False
    row.order = _next_order(siblings.filter(retired=False))
    row.save(update_fields=["retired", "order"])
    action = ChangeAction.ITEM_RESTORED if model is Item else ChangeAction.PROMPT_RESTORED
    change_record(
        version=version, action=action, by=by, factor_key=row.factor.key, subject=row.code
    )


def _move(row: Any, siblings: QuerySet[Any], step: int) -> None:
    """Swap with the neighbour among active siblings, numbering them 0..n-1 on the way."""
    if row.retired:
        raise EditorError(_("A retired row can't be moved. Bring it back first."))
    ordered = list(siblings.filter(retired=False).order_by("order", "pk"))
    index = next(i for i, other in enumerate(ordered) if other.pk == row.pk)
    target = index + step
    if not 0 <= target < len(ordered):
        raise EditorError(
            _("“%(text)s” is already first.") % {"text": row.code}
            if step < 0
            else _("“%(text)s” is already last.") % {"text": row.code}
        )
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, other in enumerate(ordered):
        other.order = position
    # The version is locked and checked to be a draft above, so the bulk write is safe.
    type(row).objects.bulk_update(ordered, ["order"])


@transaction.atomic
def item_retire(*, item: Item, by: User | None) -> None:
    """No longer asked from this version on; kept, so earlier answers still read."""
    version = _draft_locked(item.factor.version_id)
    _retire(Item, _row_of(Item, item.pk, item.factor), version, by)


@transaction.atomic
def item_restore(*, item: Item, by: User | None) -> None:
    version = _draft_locked(item.factor.version_id)
    row = _row_of(Item, item.pk, item.factor)
    _restore(Item, row, Item.objects.filter(factor_id=row.factor_id), version, by)


@transaction.atomic
def item_move(*, item: Item, step: int, by: User | None) -> None:
    """``step`` -1 moves the item up one place, +1 down one place."""
    version = _draft_locked(item.factor.version_id)
    row = _row_of(Item, item.pk, item.factor)
    _move(row, Item.objects.filter(factor_id=row.factor_id), step)
    change_record(
        version=version,
        action=ChangeAction.ITEM_MOVED,
        by=by,
        factor_key=item.factor.key,
        subject=row.code,
    )


# --- Mindset prompts ------------------------------------------------------------------


@transaction.atomic
def prompt_update(*, prompt: MindsetPrompt, data: Mapping[str, Any], by: User | None) -> list[str]:
    version = _draft_locked(prompt.factor.version_id)
    row = _row_of(MindsetPrompt, prompt.pk, prompt.factor)
    if row.retired:
        raise EditorError(_("A retired prompt can't be edited. Bring it back first."))
    changed = _apply(row, data, PROMPT_EDITABLE)
    if "side" in changed:
        # A prompt that changes side goes to the end of its new group.
        row.order = _next_order(
            MindsetPrompt.objects.filter(factor_id=row.factor_id, side=row.side).exclude(pk=row.pk)
        )
        changed_fields = [*changed, "order"]
    else:
        changed_fields = changed
    if changed:
        row.save(update_fields=changed_fields)
        change_record(
            version=version,
            action=ChangeAction.PROMPT_EDITED,
            by=by,
            factor_key=prompt.factor.key,
            subject=row.code,
            fields=changed,
        )
    return changed


@transaction.atomic
def prompt_add(*, factor: Factor, data: Mapping[str, Any], by: User | None) -> MindsetPrompt:
    version = _draft_locked(factor.version_id)
    if not _clean(data.get("text_en")) or not data.get("side"):
        raise EditorError(_("A new mindset prompt needs its English statement and who is asked."))
    _refuse_duplicate(factor.mindsets.all(), "text_en", data["text_en"])
    row = MindsetPrompt(
        factor=factor,
        identity=uuid.uuid4(),
        code=_new_code(MindsetPrompt, factor, data["text_en"], middle="mindset"),
        order=_next_order(factor.mindsets.filter(side=data["side"])),
    )
    _apply(row, data, PROMPT_EDITABLE)
    row.save()
    change_record(
        version=version,
        action=ChangeAction.PROMPT_ADDED,
        by=by,
        factor_key=factor.key,
        subject=row.code,
    )
    return row


@transaction.atomic
def prompt_retire(*, prompt: MindsetPrompt, by: User | None) -> None:
    version = _draft_locked(prompt.factor.version_id)
    _retire(MindsetPrompt, _row_of(MindsetPrompt, prompt.pk, prompt.factor), version, by)


@transaction.atomic
def prompt_restore(*, prompt: MindsetPrompt, by: User | None) -> None:
    version = _draft_locked(prompt.factor.version_id)
    row = _row_of(MindsetPrompt, prompt.pk, prompt.factor)
    siblings = MindsetPrompt.objects.filter(factor_id=row.factor_id, side=row.side)
    _restore(MindsetPrompt, row, siblings, version, by)


@transaction.atomic
def prompt_move(*, prompt: MindsetPrompt, step: int, by: User | None) -> None:
    """Prompts move within the group asked of the same side."""
    version = _draft_locked(prompt.factor.version_id)
    row = _row_of(MindsetPrompt, prompt.pk, prompt.factor)
    _move(row, MindsetPrompt.objects.filter(factor_id=row.factor_id, side=row.side), step)
    change_record(
        version=version,
        action=ChangeAction.PROMPT_MOVED,
        by=by,
        factor_key=prompt.factor.key,
        subject=row.code,
    )


# --- One post of the factor page ------------------------------------------------------


def _action_apply(factor: Factor, action: EditorAction, by: User | None) -> None:
    model = Item if action.kind == "item" else MindsetPrompt
    row = _row_of(model, action.pk, factor)
    row.factor = factor
    if action.kind == "item":
        handlers: dict[str, Any] = {
            "up": lambda: item_move(item=row, step=-1, by=by),
            "down": lambda: item_move(item=row, step=1, by=by),
            "retire": lambda: item_retire(item=row, by=by),
            "restore": lambda: item_restore(item=row, by=by),
        }
    else:
        handlers = {
            "up": lambda: prompt_move(prompt=row, step=-1, by=by),
            "down": lambda: prompt_move(prompt=row, step=1, by=by),
            "retire": lambda: prompt_retire(prompt=row, by=by),
            "restore": lambda: prompt_restore(prompt=row, by=by),
        }
    if action.verb not in handlers:
        raise EditorError(_("That button is not one this page knows."))
    handlers[action.verb]()


@transaction.atomic
def factor_page_save(*, factor: Factor, edit: FactorPageEdit, by: User | None) -> None:
    """Save everything one post of a factor's page asks for, or nothing at all.

    Texts first, then each item and prompt, then the additions, then the button pressed
    (move, retire, bring back), so a move never loses wording typed in the same post.
    """
    _draft_locked(factor.version_id)
    if edit.action is not None:
        # Refuse an unknown or foreign row before writing anything.
        _row_of(Item if edit.action.kind == "item" else MindsetPrompt, edit.action.pk, factor)
    if edit.texts is not None:
        factor_texts_update(factor=factor, data=edit.texts, by=by)
    items = {row.pk: row for row in factor.items.filter(pk__in=list(edit.items))}
    for pk, data in edit.items.items():
        if pk not in items:
            raise _refused_row(Item, pk, factor)
        items[pk].factor = factor
        item_update(item=items[pk], data=data, by=by)
    prompts = {row.pk: row for row in factor.mindsets.filter(pk__in=list(edit.prompts))}
    for pk, data in edit.prompts.items():
        if pk not in prompts:
            raise _refused_row(MindsetPrompt, pk, factor)
        prompts[pk].factor = factor
        prompt_update(prompt=prompts[pk], data=data, by=by)
    if edit.new_item is not None:
        item_add(factor=factor, data=edit.new_item, by=by)
    if edit.new_prompt is not None:
        prompt_add(factor=factor, data=edit.new_prompt, by=by)
    if edit.action is not None:
        _action_apply(factor, edit.action, by)

"""Forms of the framework editor: English and French side by side, one page per factor.

Each item and prompt has its own form, prefixed with its primary key (``item-12``), and the
page builds those forms from the database, never from the posted data: a forged or stale
management count cannot create rows, and a foreign id simply has no form. Only the two
"add" forms create rows, and only when something was typed in them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from factors.editor.diff import field_label
from factors.editor.services import (
    FACTOR_EDITABLE,
    ITEM_EDITABLE,
    PROMPT_EDITABLE,
    EditorAction,
    FactorPageEdit,
)
from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt
from factors.scales import Side

FACTOR_LIMITS = {
    "name": 120,
    "definition": 2000,
    "guidance": 4000,
    "worker_reflection": 500,
    "employer_reflection": 500,
}
ACTION = re.compile(r"^(item|prompt)-(up|down|retire|restore)-([0-9]{1,12})$")
SAVE_ACTIONS = {"", "save", "add-item", "add-prompt"}


@dataclass(frozen=True)
class BilingualPair:
    """One text in both languages, and which language (if any) is missing."""

    name: str
    en: BoundField
    fr: BoundField
    missing: str

    @property
    def label(self) -> str:
        return str(capfirst(field_label(self.name)))


class BilingualForm(forms.ModelForm):
    """A model form whose ``<text>_en`` / ``<text>_fr`` fields are shown in pairs."""

    bilingual: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = {
                forms.CheckboxInput: "form-check-input",
                forms.Select: "form-select",
            }.get(type(widget), "form-control")
            widget.attrs["class"] = css

    def pairs(self) -> list[BilingualPair]:
        pairs = []
        for name in self.bilingual:
            en, fr = self[f"{name}_en"], self[f"{name}_fr"]
            english = str(en.value() or "").strip()
            french = str(fr.value() or "").strip()
            missing = "fr" if english and not french else "en" if french and not english else ""
            pairs.append(BilingualPair(name, en, fr, missing))
        return pairs

    @property
    def missing_count(self) -> int:
        return sum(1 for pair in self.pairs() if pair.missing)


def _label(name: str) -> Any:
    """The label the diff and history use too, so an admin reads one word for one thing."""
    return _lazy_label(name)


_lazy_label = lazy(lambda name: str(capfirst(field_label(name))), str)


def _text(model: type[Any], name: str, *, max_length: int, rows: int) -> forms.CharField:
    field = model._meta.get_field(name)
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=_label(name),
        required=not field.blank,
        max_length=max_length,
        widget=widget,
    )


class FactorTextsForm(BilingualForm):
    bilingual = tuple(FACTOR_LIMITS)

    name_en = _text(Factor, "name_en", max_length=120, rows=0)
    name_fr = _text(Factor, "name_fr", max_length=120, rows=0)
    definition_en = _text(Factor, "definition_en", max_length=2000, rows=3)
    definition_fr = _text(Factor, "definition_fr", max_length=2000, rows=3)
    guidance_en = _text(Factor, "guidance_en", max_length=4000, rows=3)
    guidance_fr = _text(Factor, "guidance_fr", max_length=4000, rows=3)
    worker_reflection_en = _text(Factor, "worker_reflection_en", max_length=500, rows=2)
    worker_reflection_fr = _text(Factor, "worker_reflection_fr", max_length=500, rows=2)
    employer_reflection_en = _text(Factor, "employer_reflection_en", max_length=500, rows=2)
    employer_reflection_fr = _text(Factor, "employer_reflection_fr", max_length=500, rows=2)

    class Meta:
        model = Factor
        fields = FACTOR_EDITABLE


class ItemForm(BilingualForm):
    bilingual = ("worker_text", "employer_text")

    class Meta:
        model = Item
        fields = ITEM_EDITABLE
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ITEM_EDITABLE[:4]}
        labels = {name: _label(name) for name in ITEM_EDITABLE}
        help_texts = {
            "direction": _(
                "Which side needs it and which side offers it. It decides the answer scale."
            ),
        }


class PromptForm(BilingualForm):
    bilingual = ("text",)

    class Meta:
        model = MindsetPrompt
        fields = PROMPT_EDITABLE
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in PROMPT_EDITABLE[:2]}
        labels = {name: _label(name) for name in PROMPT_EDITABLE[:3]}


class _AddForm:
    """Optional as a whole: left blank, it adds nothing; started, it must be complete."""

    texts: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        data = self.data  # type: ignore[attr-defined]
        return any(str(data.get(self.add_prefix(name), "")).strip() for name in self.texts)  # type: ignore[attr-defined]


class NewItemForm(_AddForm, ItemForm):
    texts = ITEM_EDITABLE[:4]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, empty_permitted=True, use_required_attribute=False, **kwargs)


class NewPromptForm(_AddForm, PromptForm):
    texts = PROMPT_EDITABLE[:2]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, empty_permitted=True, use_required_attribute=False, **kwargs)


@dataclass(frozen=True)
class RowForm:
    """One item's or prompt's form with its place on the page."""

    form: BilingualForm
    row: Item | MindsetPrompt
    number: int
    first: bool
    last: bool


@dataclass(frozen=True)
class PromptGroup:
    side: str
    label: str
    rows: list[RowForm]


@dataclass(frozen=True)
class ErrorLink:
    anchor: str
    text: str


def action_parse(value: str) -> EditorAction | None:
    """``item-up-12`` → an action; "save" or an add button → None; anything else → ValueError."""
    value = (value or "").strip()
    if value in SAVE_ACTIONS:
        return None
    match = ACTION.match(value)
    if match is None:
        raise ValueError(value)
    return EditorAction(kind=match[1], verb=match[2], pk=int(match[3]))


def _rows(forms_: list[BilingualForm], rows: list[Any]) -> list[RowForm]:
    last = len(rows) - 1
    return [
        RowForm(form, row, index + 1, index == 0, index == last)
        for index, (form, row) in enumerate(zip(forms_, rows, strict=True))
    ]


class FactorPage:
    """All the forms of one factor's editor page, bound together to one post."""

    def __init__(self, factor: Factor, data: Any = None) -> None:
        self.factor = factor
        self.bound = data is not None
        self.texts = FactorTextsForm(data, instance=factor, prefix="factor")
        items = [i for i in factor.items.all() if not i.retired]
        self.retired_items = [i for i in factor.items.all() if i.retired]
        self.items = _rows([self._row_form(ItemForm, i, "item", data) for i in items], items)
        prompts = [p for p in factor.mindsets.all() if not p.retired]
        self.retired_prompts = [p for p in factor.mindsets.all() if p.retired]
        self.prompt_groups = []
        headings = {Side.WORKER: _("Asked of job seekers"), Side.EMPLOYER: _("Asked of employers")}
        for side, label in headings.items():
            mine = [p for p in prompts if p.side == side]
            self.prompt_groups.append(
                PromptGroup(
                    side,
                    str(label),
                    _rows([self._row_form(PromptForm, p, "prompt", data) for p in mine], mine),
                )
            )
        self.new_item = NewItemForm(data, prefix="new-item")
        self.new_prompt = NewPromptForm(data, prefix="new-prompt")

    @staticmethod
    def _row_form(form_class: type[BilingualForm], row: Any, kind: str, data: Any) -> Any:
        """Bound only when the post carries this row (a row added meanwhile is left as is)."""
        prefix = f"{kind}-{row.pk}"
        carried = data is not None and any(key.startswith(f"{prefix}-") for key in data)
        return form_class(data if carried else None, instance=row, prefix=prefix)

    def _prompt_rows(self) -> Iterator[RowForm]:
        for group in self.prompt_groups:
            yield from group.rows

    def _labelled_forms(self) -> Iterator[tuple[str, forms.BaseForm]]:
        yield str(_("About this factor")), self.texts
        for row in self.items:
            yield str(_("Item %(n)s") % {"n": row.number}), row.form
        yield str(_("New item")), self.new_item
        for row in self._prompt_rows():
            yield str(_("Mindset prompt %(n)s") % {"n": row.number}), row.form
        yield str(_("New mindset prompt")), self.new_prompt

    def is_valid(self) -> bool:
        results = [form.is_valid() for _, form in self._labelled_forms() if form.is_bound]
        return all(results)

    def edit(self, action: EditorAction | None) -> FactorPageEdit:
        """The validated post, as plain data for ``services.factor_page_save``."""
        return FactorPageEdit(
            texts=self.texts.cleaned_data,
            items={r.row.pk: r.form.cleaned_data for r in self.items if r.form.is_bound},
            prompts={r.row.pk: r.form.cleaned_data for r in self._prompt_rows() if r.form.is_bound},
            new_item=self.new_item.cleaned_data if self.new_item.has_changed() else None,
            new_prompt=self.new_prompt.cleaned_data if self.new_prompt.has_changed() else None,
            action=action,
        )

    def error_links(self) -> list[ErrorLink]:
        """The error summary at the top of the page, each line linked to its field."""
        links = []
        for where, form in self._labelled_forms():
            if not form.is_bound:
                continue
            for name, errors in form.errors.items():
                anchor = form[name].auto_id if name in form.fields else ""
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    text = f"{where} — {label}: {error}" if label else f"{where}: {error}"
                    links.append(ErrorLink(anchor, text))
        return links

    @property
    def missing_count(self) -> int:
        return (
            self.texts.missing_count
            + sum(r.form.missing_count for r in self.items)
            + sum(r.form.missing_count for r in self._prompt_rows())
        )


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Why this version? (shown in the framework's history)"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        max_length=2000,
        error_messages={"required": _("Please say why you are publishing this version.")},
    )


class CompareForm(forms.Form):
    """Pick any two versions to compare; numbers, so the address reads well."""

    old = forms.TypedChoiceField(
        label=_("Compare version"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    new = forms.TypedChoiceField(
        label=_("with version"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, versions: list[FrameworkVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(v.number, str(v)) for v in versions]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices

"""Forms of the seeker's journey.

The scales are drawn by hand in the templates (fieldset, legend, one label per
radio) but parsed and validated here, so a hostile post gets the same clear
errors as a slip of the finger. Each error carries the id of the control it is
about, for the error summary at the top of the page.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from factors.models import Factor, Item, MindsetPrompt
from factors.scales import Agreement, Importance, Strength
from seekers.services import (
    EXAMPLE_MAX,
    NOTE_MAX,
    REFLECTION_MAX,
    AnswerInput,
    MindsetInput,
    SeekerError,
    check_answer,
)

ITEM_FIELD = re.compile(r"^item-(\d+)-")


@dataclass(frozen=True)
class SummaryError:
    """One line of the error summary: the message and the control it points at."""

    anchor: str
    message: str


def _scale_for(item: Item) -> type[Importance] | type[Strength]:
    return Importance if item.is_need else Strength


class WelcomeForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I agree that Thriving Workplaces may keep and use my answers as described above."),
        error_messages={"required": _("Tick the box to agree, or leave this page.")},
    )
    share = forms.BooleanField(
        label=_("Share my answers and profile with my practitioner."),
        required=False,
        help_text=_("You can change this at any time on your profile page."),
    )


class SharingForm(forms.Form):
    share = forms.TypedChoiceField(
        choices=[("yes", "yes"), ("no", "no")], coerce=lambda value: value == "yes"
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I understand."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class ActivityForm(forms.Form):
    """One factor's items (level, deal-breaker or example) and its reflection.

    Built from the activity's items; a post that mentions an item of another
    activity or version is refused as a whole, not silently ignored. The
    one-item autosave uses ``strict=False``: htmx sends the whole form, and only
    the named item's fields are read.
    """

    def __init__(
        self,
        *args: Any,
        items: Sequence[Item],
        factor: Factor,
        with_reflection: bool = True,
        strict: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.factor = factor
        self.with_reflection = with_reflection
        self.strict = strict
        for item in self.items:
            scale = _scale_for(item)
            self.fields[f"item-{item.pk}-level"] = forms.TypedChoiceField(
                label=item.worker_text,
                choices=scale.choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the answers shown.")},
            )
            if item.is_need:
                self.fields[f"item-{item.pk}-dealbreaker"] = forms.BooleanField(required=False)
            else:
                self.fields[f"item-{item.pk}-example"] = forms.CharField(
                    required=False,
                    max_length=EXAMPLE_MAX,
                    error_messages={
                        "max_length": _("Keep the example under %(limit_value)s characters.")
                    },
                )
        if with_reflection:
            self.fields["reflection"] = forms.CharField(
                required=False,
                max_length=REFLECTION_MAX,
                error_messages={
                    "max_length": _("Keep your reflection under %(limit_value)s characters.")
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        known = {str(item.pk) for item in self.items}
        strangers = {
            match.group(1)
            for key in self.data
            if (match := ITEM_FIELD.match(key)) and match.group(1) not in known
        }
        if self.strict and strangers:
            raise forms.ValidationError(
                _("Some answers were for questions that are not in this activity.")
            )
        for item in self.items:
            self._check_item(item, data)
        return data

    def _check_item(self, item: Item, data: dict[str, Any]) -> None:
        level_name = f"item-{item.pk}-level"
        if level_name in self.errors:
            return
        answer = self._input_for(item, data)
        if answer is None:
            return
        try:
            check_answer(factor=self.factor, answer=answer)
        except SeekerError as error:
            self.add_error(level_name, str(error))

    def _input_for(self, item: Item, data: dict[str, Any]) -> AnswerInput | None:
        level = data.get(f"item-{item.pk}-level")
        dealbreaker = bool(data.get(f"item-{item.pk}-dealbreaker"))
        example = (data.get(f"item-{item.pk}-example") or "").strip()
        if level is None and not dealbreaker and not example:
            return None  # not answered yet: the seeker can come back to it
        return AnswerInput(item=item, level=level, dealbreaker=dealbreaker, example=example)

    def answers(self) -> list[AnswerInput]:
        inputs = (self._input_for(item, self.cleaned_data) for item in self.items)
        return [answer for answer in inputs if answer is not None]

    def reflection(self) -> str | None:
        if not self.with_reflection:
            return None
        return self.cleaned_data.get("reflection", "")

    def summary(self) -> list[SummaryError]:
        """Errors in page order, each pointing at its control."""
        lines = [SummaryError("activity-form", str(e)) for e in self.non_field_errors()]
        for item in self.items:
            for suffix, anchor in (("level", "level_0"), ("example", "example")):
                name = f"item-{item.pk}-{suffix}"
                for error in self.errors.get(name, []):
                    lines.append(
                        SummaryError(f"id_item-{item.pk}-{anchor}", f"{item.worker_text}: {error}")
                    )
        for error in self.errors.get("reflection", []):
            lines.append(SummaryError("id_reflection", str(error)))
        return lines


class MindsetForm(forms.Form):
    """Every worker-side prompt of the version: agreement (required) and a note."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, prompts: Sequence[MindsetPrompt], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prompts = list(prompts)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        for prompt in self.prompts:
            self.fields[f"prompt-{prompt.pk}-agreement"] = forms.TypedChoiceField(
                label=prompt.text,
                choices=Agreement.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how much you agree."),
                    "invalid_choice": _("Choose one of the answers shown."),
                },
            )
            self.fields[f"prompt-{prompt.pk}-note"] = forms.CharField(
                label=_("Anything to add? (optional)"),
                required=False,
                max_length=NOTE_MAX,
                error_messages={"max_length": _("Keep the note under %(limit_value)s characters.")},
            )

    def responses(self) -> list[MindsetInput]:
        return [
            MindsetInput(
                prompt=prompt,
                agreement=self.cleaned_data[f"prompt-{prompt.pk}-agreement"],
                note=self.cleaned_data.get(f"prompt-{prompt.pk}-note", ""),
            )
            for prompt in self.prompts
        ]

    def summary(self) -> list[SummaryError]:
        lines = [SummaryError("mindset-form", str(e)) for e in self.non_field_errors()]
        for error in self.errors.get("token", []):
            lines.append(SummaryError("mindset-form", str(error)))
        for prompt in self.prompts:
            for suffix, anchor in (("agreement", "agreement_0"), ("note", "note")):
                for error in self.errors.get(f"prompt-{prompt.pk}-{suffix}", []):
                    lines.append(
                        SummaryError(f"id_prompt-{prompt.pk}-{anchor}", f"{prompt.text}: {error}")
                    )
        return lines


# --- rows for the hand-drawn scales -------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    id: str
    checked: bool


@dataclass(frozen=True)
class ScaleRow:
    """One fieldset of a scale page: the question, its radios, and its extra control."""

    pk: int
    text: str
    is_need: bool
    name: str
    options: list[Option]
    errors: list[str]
    extra_name: str
    extra_id: str
    extra_value: Any
    extra_errors: list[str]


def _options(form: forms.Form, name: str) -> list[Option]:
    field = form.fields[name]
    current = form.data.get(name) if form.is_bound else form.initial.get(name)
    current = "" if current is None else str(current)
    return [
        Option(str(value), str(label), f"id_{name}_{index}", str(value) == current)
        for index, (value, label) in enumerate(field.choices)
    ]


def _value(form: forms.Form, name: str) -> Any:
    return form.data.get(name, "") if form.is_bound else form.initial.get(name, "")


def activity_rows(form: ActivityForm) -> list[ScaleRow]:
    rows = []
    for item in form.items:
        level = f"item-{item.pk}-level"
        extra = f"item-{item.pk}-{'dealbreaker' if item.is_need else 'example'}"
        value = _value(form, extra)
        if item.is_need:
            value = str(value).lower() in ("on", "true", "1")
        rows.append(
            ScaleRow(
                pk=item.pk,
                text=str(item.worker_text),
                is_need=item.is_need,
                name=level,
                options=_options(form, level),
                errors=[str(e) for e in form.errors.get(level, [])],
                extra_name=extra,
                extra_id=f"id_{extra}",
                extra_value=value,
                extra_errors=[str(e) for e in form.errors.get(extra, [])],
            )
        )
    return rows


def mindset_rows(form: MindsetForm) -> list[tuple[MindsetPrompt, ScaleRow]]:
    rows = []
    for prompt in form.prompts:
        name, note = f"prompt-{prompt.pk}-agreement", f"prompt-{prompt.pk}-note"
        rows.append(
            (
                prompt,
                ScaleRow(
                    pk=prompt.pk,
                    text=str(prompt.text),
                    is_need=False,
                    name=name,
                    options=_options(form, name),
                    errors=[str(e) for e in form.errors.get(name, [])],
                    extra_name=note,
                    extra_id=f"id_{note}",
                    extra_value=_value(form, note),
                    extra_errors=[str(e) for e in form.errors.get(note, [])],
                ),
            )
        )
    return rows

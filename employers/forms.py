"""Forms of the employer's room. They parse and validate; services do the writing."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from employers.models import POSTING_MAX_LENGTH, JobRole
from employers.selectors import ItemAnswer, RoleFactor, level_label
from employers.services import MindsetInput, OfferInput, RoleLevelInput
from factors.models import Factor, Item, MindsetPrompt
from factors.scales import Agreement, NeedLevel, OfferLevel

EXAMPLE_MAX = 500
NOTE_MAX = 500
ANSWER_KEY = re.compile(r"^(level|example)-")


def scale_for(item: Item) -> list[tuple[int, str]]:
    """The answers an item takes: what the employer offers, or how much they need it."""
    return list((OfferLevel if item.is_need else NeedLevel).choices)


class OfferActivityForm(forms.Form):
    """One offer activity: a level for every item, and an example for what is offered.

    With ``strict`` (the full-page save) any answer field for an item outside this
    activity is refused, so a tampered form saves nothing at all. The autosave of one
    item is not strict: htmx sends the whole form, and only that item is read.
    """

    def __init__(self, *args: Any, items: list[Item], strict: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.strict = strict
        for item in items:
            self.fields[f"level-{item.pk}"] = forms.TypedChoiceField(
                label=item.employer_text,
                choices=[(str(v), label) for v, label in scale_for(item)],
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={"invalid_choice": _("Choose one of the answers shown.")},
            )
            if item.is_need:
                self.fields[f"example-{item.pk}"] = forms.CharField(
                    label=_("A concrete example (optional)"),
                    max_length=EXAMPLE_MAX,
                    required=False,
                    error_messages={
                        "max_length": _("Keep the example to %(limit_value)s characters or fewer.")
                    },
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.strict:
            unknown = [k for k in self.data if ANSWER_KEY.match(k) and k not in self.fields]
            if unknown:
                raise forms.ValidationError(
                    _(
                        "This form had answers to questions that are not in this activity. "
                        "Nothing was saved. Please reload the page and try again."
                    )
                )
        for item in self.items:
            example = data.get(f"example-{item.pk}")
            if example and data.get(f"level-{item.pk}") is None:
                self.add_error(
                    f"example-{item.pk}",
                    _("Choose whether you offer this before you add an example."),
                )
        return data

    def answers(self) -> list[OfferInput]:
        result = []
        for item in self.items:
            level = self.cleaned_data.get(f"level-{item.pk}")
            if level is not None:
                example = self.cleaned_data.get(f"example-{item.pk}", "") or ""
                result.append(OfferInput(item=item, level=level, example=example))
        return result

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) pairs for the error summary at the top of the page."""
        errors = [("activity-form", str(e)) for e in self.non_field_errors()]
        for item in self.items:
            for name, anchor in (
                (f"level-{item.pk}", f"level-{item.pk}-0"),
                (f"example-{item.pk}", f"example-{item.pk}"),
            ):
                for error in self.errors.get(name, []):
                    errors.append((anchor, f"{item.employer_text}: {error}"))
        return errors

    def rows(self, answers: list[ItemAnswer]) -> list[dict[str, Any]]:
        """What the template draws per item: the stored answer, or what was just sent."""
        rows = []
        for answer in answers:
            item = answer.item
            level: Any = answer.level
            example = answer.example
            if self.is_bound:
                level = self.data.get(f"level-{item.pk}", level)
                example = self.data.get(f"example-{item.pk}", example)
            rows.append(
                {
                    "item": item,
                    "level": str(level) if level is not None else "",
                    "example": example,
                    "choices": [(str(v), label) for v, label in scale_for(item)],
                    "level_errors": self.errors.get(f"level-{item.pk}", [])
                    if self.is_bound
                    else [],
                    "example_errors": self.errors.get(f"example-{item.pk}", [])
                    if self.is_bound
                    else [],
                }
            )
        return rows


class MindsetForm(forms.Form):
    """Every employer belief statement on the 1-5 agreement scale, with an optional note."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, prompts: list[MindsetPrompt], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prompts = prompts
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
        for prompt in prompts:
            self.fields[f"agreement-{prompt.pk}"] = forms.TypedChoiceField(
                label=prompt.text,
                choices=[(str(v), label) for v, label in Agreement.choices],
                coerce=int,
                error_messages={
                    "required": _("Choose how much you agree with this statement."),
                    "invalid_choice": _("Choose one of the answers shown."),
                },
            )
            self.fields[f"note-{prompt.pk}"] = forms.CharField(
                label=_("Anything to add? (optional)"),
                max_length=NOTE_MAX,
                required=False,
                error_messages={
                    "max_length": _("Keep the note to %(limit_value)s characters or fewer.")
                },
            )

    def answers(self) -> list[MindsetInput]:
        return [
            MindsetInput(
                prompt=prompt,
                agreement=self.cleaned_data[f"agreement-{prompt.pk}"],
                note=self.cleaned_data.get(f"note-{prompt.pk}", ""),
            )
            for prompt in self.prompts
        ]

    def error_list(self) -> list[tuple[str, str]]:
        errors = [("mindset-form", str(e)) for e in self.non_field_errors()]
        if "token" in self.errors:
            errors.append(("mindset-form", str(_("This form has expired. Please try again."))))
        for prompt in self.prompts:
            for name, anchor in (
                (f"agreement-{prompt.pk}", f"agreement-{prompt.pk}-1"),
                (f"note-{prompt.pk}", f"note-{prompt.pk}"),
            ):
                for error in self.errors.get(name, []):
                    errors.append((anchor, f"{prompt.text}: {error}"))
        return errors

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        for prompt in self.prompts:
            rows.append(
                {
                    "prompt": prompt,
                    "value": str(self.data.get(f"agreement-{prompt.pk}", ""))
                    if self.is_bound
                    else "",
                    "note": self.data.get(f"note-{prompt.pk}", "") if self.is_bound else "",
                    "choices": [(str(v), label) for v, label in Agreement.choices],
                    "errors": self.errors.get(f"agreement-{prompt.pk}", [])
                    if self.is_bound
                    else [],
                    "note_errors": self.errors.get(f"note-{prompt.pk}", [])
                    if self.is_bound
                    else [],
                }
            )
        return rows


class AdoptForm(forms.Form):
    item = forms.IntegerField(min_value=1, max_value=2**62)
    level = forms.TypedChoiceField(
        choices=[(str(OfferLevel.OFFERED), ""), (str(OfferLevel.COULD_OFFER), "")], coerce=int
    )


class JobRoleForm(forms.ModelForm):
    """A role's basic facts. ``token`` makes creating a role safe to submit twice."""

    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = JobRole
        fields = [
            "title",
            "duties",
            "hours_per_week",
            "location",
            "region",
            "pay_min",
            "pay_max",
            "pay_period",
        ]
        widgets = {"duties": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "title": _("For example: Line cook, or Store clerk."),
            "duties": _("A few sentences on the main tasks. Optional."),
            "location": _("The town or street where the work is done."),
            "pay_min": _("In dollars, for example 17.50."),
            "pay_max": _("The same as the lowest if the pay is fixed."),
        }
        error_messages = {
            "title": {"required": _("Give the role a title.")},
            "hours_per_week": {
                "required": _("Say how many hours a week the role is."),
                "min_value": _("Enter at least 1 hour a week."),
                "max_value": _("Enter at most 80 hours a week."),
            },
            "location": {"required": _("Say where the work is done.")},
            "pay_min": {
                "required": _("Enter the lowest pay."),
                "min_value": _("Enter an amount above zero."),
                "max_value": _("Enter a smaller amount."),
                "max_digits": _("Enter a smaller amount."),
                "max_decimal_places": _("Use at most two digits after the decimal point."),
            },
            "pay_max": {
                "required": _("Enter the highest pay."),
                "min_value": _("Enter an amount above zero."),
                "max_value": _("Enter a smaller amount."),
                "max_digits": _("Enter a smaller amount."),
                "max_decimal_places": _("Use at most two digits after the decimal point."),
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk is None:
            self.initial.setdefault("token", uuid.uuid4())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("pay_min"), data.get("pay_max")
        if low is not None and high is not None and low > high:
            self.add_error("pay_max", _("The highest pay must be at least the lowest pay."))
        return data


class RoleOfferForm(forms.Form):
    """Per-role levels: an override of the business's offer, or the role's own need.

    An empty choice means "same as the business"; the label says what that currently is.
    """

    def __init__(self, *args: Any, factors: list[RoleFactor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.role_factors = factors
        self.items: dict[str, Item] = {}
        for factor in factors:
            for row in [*factor.offers, *factor.needs]:
                item = row.item
                name = f"{'offer' if item.is_need else 'need'}-{item.pk}"
                same = _("Same as the business (%(label)s)") % {
                    "label": level_label(item, row.organisation_level)
                }
                self.fields[name] = forms.TypedChoiceField(
                    label=item.employer_text,
                    choices=[("", same), *[(str(v), label) for v, label in scale_for(item)]],
                    coerce=int,
                    required=False,
                    empty_value=None,
                    initial="" if row.role_level is None else str(row.role_level),
                    error_messages={"invalid_choice": _("Choose one of the answers shown.")},
                )
                self.items[name] = item

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unknown = [k for k in self.data if re.match(r"^(offer|need)-", k) and k not in self.fields]
        if unknown:
            raise forms.ValidationError(
                _("This form had questions that are not asked any more. Nothing was saved.")
            )
        return data

    def groups(self) -> list[tuple[Factor, list[forms.BoundField], list[forms.BoundField], bool]]:
        """(factor, offer fields, need fields, open): open when the role differs there."""
        groups = []
        for factor in self.role_factors:
            offers = [self[f"offer-{row.item.pk}"] for row in factor.offers]
            needs = [self[f"need-{row.item.pk}"] for row in factor.needs]
            is_open = any(f.value() not in (None, "") or f.errors for f in [*offers, *needs])
            groups.append((factor.factor, offers, needs, is_open))
        return groups

    def levels(self) -> list[RoleLevelInput]:
        return [
            RoleLevelInput(item=item, level=self.cleaned_data.get(name))
            for name, item in self.items.items()
        ]


class PostingForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the posting"), choices=[("en", "English"), ("fr", "Français")]
    )
    text = forms.CharField(
        label=_("Your job posting"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        max_length=POSTING_MAX_LENGTH,
        required=False,
        strip=False,
        error_messages={
            "max_length": _("Keep the posting to %(limit_value)s characters or fewer.")
        },
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Your colleague's email address"),
        max_length=254,
        help_text=_("We will email them a link to join your business on this service."),
    )

"""The follow-up form, for the person through their link and for a practitioner after a call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from employers.models import PayPeriod
from factors.models import MindsetPrompt
from factors.scales import Agreement, FactorKey
from outcomes.models import FollowUpSource, StillThere, WhoDecided
from outcomes.services import FollowUpAnswer

SATISFACTION = [(str(n), str(n)) for n in range(1, 6)]
STAFF_SOURCES = [
    (v, label) for v, label in FollowUpSource.choices if v != FollowUpSource.ONLINE_LINK
]


class FollowUpForm(forms.Form):
    still_there = forms.ChoiceField(
        label=_("Is the person still in the job?"),
        choices=StillThere.choices,
        widget=forms.RadioSelect,
    )
    hours_now = forms.DecimalField(
        label=_("Hours a week now"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(80),
        max_digits=4,
        decimal_places=1,
    )
    wage_now = forms.DecimalField(
        label=_("Wage now"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("9999999"),
        max_digits=9,
        decimal_places=2,
    )
    wage_period_now = forms.ChoiceField(
        label=_("The wage is"),
        choices=[("", _("—")), *PayPeriod.choices],
        required=False,
    )
    left_on = forms.DateField(
        label=_("If they left: the last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    pushed_apart = forms.MultipleChoiceField(
        label=_("If they left: what pushed them apart?"),
        choices=FactorKey.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    who_decided = forms.ChoiceField(
        label=_("If they left: who decided?"),
        choices=[("", _("—")), *WhoDecided.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("Anything else?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        prompts: list[MindsetPrompt] | None = None,
        staff: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.prompts = prompts or []
        if staff:
            self.fields["source"] = forms.ChoiceField(
                label=_("How was the answer given?"),
                choices=STAFF_SOURCES,
                initial=FollowUpSource.PHONE,
                widget=forms.RadioSelect,
            )
        for key, label in FactorKey.choices:
            self.fields[f"sat_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=SATISFACTION,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
        for prompt in self.prompts:
            self.fields[f"mind_{prompt.pk}"] = forms.TypedChoiceField(
                label=prompt.text,
                choices=Agreement.choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )

    def satisfaction_fields(self) -> list[forms.BoundField]:
        return [self[f"sat_{key}"] for key in FactorKey.values]

    def mindset_fields(self) -> list[forms.BoundField]:
        return [self[f"mind_{prompt.pk}"] for prompt in self.prompts]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        left = data.get("still_there") == StillThere.LEFT
        if not left:
            for name in ("pushed_apart", "who_decided", "left_on"):
                if data.get(name):
                    self.add_error(name, _("Only for someone who left the job."))
        elif not data.get("who_decided"):
            self.add_error("who_decided", _("Say who decided (or choose “Unknown”)."))
        if data.get("wage_now") is not None and not data.get("wage_period_now"):
            self.add_error("wage_period_now", _("Say whether it is by the hour or by the year."))
        answered = [f for f in self.mindset_fields() if data.get(f.name) is not None]
        if answered and len(answered) != len(self.prompts):
            for f in self.mindset_fields():
                if data.get(f.name) is None:
                    self.add_error(f.name, _("Answer every statement, or leave them all blank."))
        return data

    def answer(self) -> FollowUpAnswer:
        data = self.cleaned_data
        return FollowUpAnswer(
            still_there=data["still_there"],
            left_on=data.get("left_on"),
            hours_now=data.get("hours_now"),
            wage_now=data.get("wage_now"),
            wage_period_now=data.get("wage_period_now") or "",
            who_decided=data.get("who_decided") or "",
            comment=data.get("comment") or "",
            satisfaction={key: data.get(f"sat_{key}") for key in FactorKey.values},
            pushed_apart=data.get("pushed_apart") or [],
            mindset={
                p.pk: data[f"mind_{p.pk}"]
                for p in self.prompts
                if data.get(f"mind_{p.pk}") is not None
            },
        )

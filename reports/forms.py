"""The one form of the reports app: which report, about whom."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.registry import kinds, renderer_for

# Larger than any primary key, small enough that a huge number is a form error, not a 500.
MAX_SUBJECT_ID = 2**62


def _kind_choices() -> list[tuple[str, str]]:
    return [(kind, str(renderer_for(kind).label)) for kind in kinds()]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=_kind_choices)
    subject = forms.IntegerField(
        label=_("About"), required=False, min_value=1, max_value=MAX_SUBJECT_ID
    )

    # The match summary names a seeker and a role.
    seeker_id = forms.IntegerField(
        label=_("Job seeker"), required=False, min_value=1, max_value=MAX_SUBJECT_ID
    )
    role_id = forms.IntegerField(
        label=_("Job"), required=False, min_value=1, max_value=MAX_SUBJECT_ID
    )

    def params(self) -> dict[str, int]:
        names = ("subject", "seeker_id", "role_id")
        return {name: self.cleaned_data[name] for name in names if self.cleaned_data.get(name)}

"""The dashboard's filters: office, period and practitioner, as a form and a plain value."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, Role, User
from thriving.widgets import LongSelect

EARLIEST = datetime.date(2000, 1, 1)


@dataclass(frozen=True)
class DashboardFilter:
    office_id: int | None = None
    practitioner_id: int | None = None
    start: datetime.date | None = None  # both ends included
    end: datetime.date | None = None

    def as_params(self) -> dict[str, Any]:
        """JSON-ready, for the program report's parameters (only what is set)."""
        params: dict[str, Any] = {}
        if self.office_id:
            params["office"] = self.office_id
        if self.practitioner_id:
            params["practitioner"] = self.practitioner_id
        if self.start:
            params["start"] = self.start.isoformat()
        if self.end:
            params["end"] = self.end.isoformat()
        return params


class _NamesOnly(ModelChoiceIterator):
    """The practitioners as (id, display name) read straight from the rows, without a
    model instance each (500 in a province, on every view of the dashboard)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, full_name, email in self.queryset.values_list("pk", "full_name", "email"):
            yield (pk, full_name or email)  # User.display_name


class DashboardFilterForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.order_by("name"),
        required=False,
        widget=LongSelect,
    )
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=User.objects.filter(role=Role.PRACTITIONER).order_by("full_name", "email"),
        required=False,
        widget=LongSelect,  # hundreds of practitioners in a province
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].empty_label = _("All offices")
        self.fields["practitioner"].empty_label = _("All practitioners")
        self.fields["practitioner"].iterator = _NamesOnly

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and day < EARLIEST:
                self.add_error(name, _("Choose a date in the year 2000 or later."))
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filters(self) -> DashboardFilter:
        """The valid filters; an invalid form filters nothing (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return DashboardFilter()
        data = self.cleaned_data
        return DashboardFilter(
            office_id=data["office"].pk if data["office"] else None,
            practitioner_id=data["practitioner"].pk if data["practitioner"] else None,
            start=data["start"],
            end=data["end"],
        )


def filters_from_params(params: dict[str, Any]) -> DashboardFilter:
    """The report worker's way back from stored parameters (already checked when asked)."""
    form = DashboardFilterForm(params)
    return form.filters()

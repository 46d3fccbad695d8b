"""Forms for offices and staff invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Office, Role


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("Office name"), max_length=120)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Their role"),
        choices=[
            (Role.PRACTITIONER, _("Practitioner: works with job seekers and employers")),
            (Role.ADMIN, _("Administrator: also edits the framework and manages staff")),
        ],
        widget=forms.RadioSelect,
        initial=Role.PRACTITIONER,
    )
    office = forms.ModelChoiceField(
        label=_("Office"),
        queryset=Office.objects.order_by("name"),
        required=False,
        help_text=_("Required for practitioners."),
        empty_label="—",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.PRACTITIONER and not data.get("office"):
            self.add_error("office", _("Choose the office this practitioner works in."))
        return data

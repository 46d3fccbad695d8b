from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PublishForm(forms.Form):
    note = forms.CharField(
        label=_("Why this version? (shown in the framework's history)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

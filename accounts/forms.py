"""The extra questions asked at sign-up: who you are, and for employers, your business."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from accounts.services import account_register
from employers.models import Region, Sector, Size


class SignupDetailsForm(forms.Form):
    """Used by allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    role = forms.ChoiceField(
        label=_("I am signing up as"),
        choices=[
            (Role.SEEKER, _("A job seeker")),
            (Role.EMPLOYER, _("An employer (a business that hires)")),
        ],
        widget=forms.RadioSelect,
        initial=Role.SEEKER,
    )
    organisation_name = forms.CharField(
        label=_("Business name"),
        max_length=200,
        required=False,
        help_text=_("Employers only."),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", "—"), *Region.choices], required=False
    )
    size = forms.ChoiceField(
        label=_("Number of people working there"),
        choices=[("", "—"), *Size.choices],
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.EMPLOYER:
            for field in ("organisation_name", "sector", "region", "size"):
                if not data.get(field):
                    self.add_error(field, _("Employers need to fill this in."))
        return data

    def signup(self, request: HttpRequest, user: User) -> None:
        account_register(
            user=user,
            full_name=self.cleaned_data["full_name"],
            role=self.cleaned_data["role"],
            language=(get_language() or "en")[:2],
            organisation={
                "name": self.cleaned_data.get("organisation_name", ""),
                "sector": self.cleaned_data.get("sector", ""),
                "region": self.cleaned_data.get("region", ""),
                "size": self.cleaned_data.get("size", ""),
            },
        )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=[("en", "English"), ("fr", "Français")])
    next = forms.CharField(required=False, max_length=2000)


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=256,
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=256,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class InvitationBusinessForm(forms.Form):
    """Asked only of an employer invited by a practitioner: their business is new to us."""

    name = forms.CharField(label=_("Business name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices])
    size = forms.ChoiceField(
        label=_("Number of people working there"), choices=[("", "—"), *Size.choices]
    )

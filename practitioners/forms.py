"""Forms of the practitioners' workspace. They parse and bound input; the rules about who
may do what, and what a change means, live in the services."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from employers.models import Organisation
from factors.delivery import DeliveryMethod
from factors.scales import FactorKey
from practitioners.models import (
    BARGAIN_TERM_MAX,
    NOTE_MAX_MINUTES,
    SESSION_MAX_MINUTES,
    AttendanceStatus,
    ClientKind,
    NoteKind,
    SessionAttendance,
    StepOwner,
    TermOutcome,
)
from practitioners.selectors.queue import QueueFilters, Sort, Status
from thriving.widgets import LongSelect

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


class DateInput(forms.DateInput):
    """The browser's own date picker; the value is always ISO (YYYY-MM-DD)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _in_range(value: date | None) -> date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise forms.ValidationError(_("Enter a date between the year 2000 and 2100."))
    return value


def active_practitioners() -> QuerySet[User]:
    return User.objects.filter(role=Role.PRACTITIONER, is_active=True).order_by(
        "full_name", "email"
    )


class PractitionerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        office = f" — {obj.office}" if obj.office_id else ""
        return f"{obj.display_name}{office}"


# --- The queue ---------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """GET filters. Bad values are reported and ignored, never a 500."""

    # LongSelect writes the options in Python: Django renders a template per option, and an
    # admin's practitioner filter lists every practitioner of the province (500: ~100 ms).
    q = forms.CharField(label=_("Name or email"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Both types")), *ClientKind.choices],
        widget=LongSelect,
    )
    status = forms.ChoiceField(
        label=_("Progress"),
        required=False,
        choices=[("", _("Any progress")), *Status.choices],
        widget=LongSelect,
    )
    office = forms.TypedChoiceField(
        label=_("Office"), required=False, coerce=int, empty_value=None, widget=LongSelect
    )
    practitioner = forms.ChoiceField(label=_("Practitioner"), required=False, widget=LongSelect)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=Sort.choices, widget=LongSelect
    )

    def __init__(self, data: Any, *, viewer: User, choices: dict[str, list[tuple[str, str]]]):
        super().__init__(data)
        self.viewer = viewer
        self.fields["office"].choices = [("", _("All offices")), *choices["office"]]
        self.fields["practitioner"].choices = choices["practitioner"]

    def default_practitioner(self) -> str:
        return "mine" if self.viewer.role == Role.PRACTITIONER else "all"

    def filters(self) -> QueueFilters:
        """The valid part of what was asked; anything invalid falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        valid = {name: data[name] for name in data if name not in self.errors}
        return QueueFilters(
            kind=valid.get("kind") or "",
            status=valid.get("status") or "",
            office=valid.get("office"),
            practitioner=valid.get("practitioner") or self.default_practitioner(),
            q=(valid.get("q") or "").strip(),
            sort=valid.get("sort") or Sort.NAME,
        )


# --- A client's record -------------------------------------------------------------------


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of contact"), choices=NoteKind.choices, widget=forms.RadioSelect
    )
    occurred_on = forms.DateField(label=_("Date of contact"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=0,
        max_value=NOTE_MAX_MINUTES,
        required=False,
        help_text=_("Leave empty for an email."),
    )
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate

    def clean_occurred_on(self) -> date:
        value = _in_range(self.cleaned_data["occurred_on"])
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The date of contact cannot be in the future."))
        return value  # type: ignore[return-value]


class DeliveryForm(forms.Form):
    delivery_method = forms.ChoiceField(
        label=_("How this client is served"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
    )


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)


class StepForm(forms.Form):
    text = forms.CharField(label=_("Step"), max_length=300)
    owner = forms.ChoiceField(label=_("Who does it"), choices=StepOwner.choices)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())

    def clean_due_on(self) -> date | None:
        return _in_range(self.cleaned_data.get("due_on"))


class StepDoneForm(forms.Form):
    done = forms.BooleanField(required=False)


class ReferralForm(forms.Form):
    to_practitioner = PractitionerChoiceField(
        label=_("Refer to"), queryset=User.objects.none(), empty_label="—"
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your colleague reads this before they accept or decline."),
    )

    def __init__(self, *args: Any, client: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = active_practitioners().select_related("office").exclude(pk=viewer.pk)
        if client.practitioner_id:
            others = others.exclude(pk=client.practitioner_id)
        self.fields["to_practitioner"].queryset = others


class DeclineForm(forms.Form):
    response = forms.CharField(
        label=_("Why you decline (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Invitations -------------------------------------------------------------------------


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Invite as"),
        choices=[(Role.SEEKER, _("A job seeker")), (Role.EMPLOYER, _("An employer"))],
        widget=forms.RadioSelect,
    )
    practitioner = PractitionerChoiceField(
        label=_("Into the caseload of"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No practitioner yet"),
    )

    def __init__(self, *args: Any, viewer: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if viewer.role == Role.ADMIN:
            self.fields["practitioner"].queryset = active_practitioners().select_related("office")
        else:
            del self.fields["practitioner"]


# --- Bulk reassignment -------------------------------------------------------------------


def parse_client_tokens(tokens: list[str]) -> tuple[list[int], list[int]]:
    """ "seeker-12" and "employer-5" into id lists; anything else is refused."""
    seekers, organisations = [], []
    for token in tokens:
        kind, _sep, pk = token.partition("-")
        if not (pk.isascii() and pk.isdigit()) or len(pk) > 12 or kind not in ClientKind.values:
            raise forms.ValidationError(_("The list of clients is not valid."))
        (seekers if kind == ClientKind.SEEKER else organisations).append(int(pk))
    return seekers, organisations


class ReassignForm(forms.Form):
    from_practitioner = PractitionerChoiceField(
        label=_("Move all clients of"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Only the clients chosen below"),
    )
    clients = forms.MultipleChoiceField(
        label=_("Chosen clients"), required=False, widget=forms.CheckboxSelectMultiple
    )
    to_practitioner = PractitionerChoiceField(
        label=_("New practitioner"), queryset=User.objects.none(), empty_label="—"
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: Jordan moved to the Sydney office."),
    )

    def __init__(self, *args: Any, client_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(role=Role.PRACTITIONER).select_related("office")
        self.fields["from_practitioner"].queryset = people.order_by("full_name", "email")
        self.fields["to_practitioner"].queryset = active_practitioners().select_related("office")
        self.fields["clients"].choices = client_choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, chosen, target = (
            data.get("from_practitioner"),
            data.get("clients"),
            data.get("to_practitioner"),
        )
        if not source and not chosen and "clients" not in self.errors:
            raise forms.ValidationError(
                _("Choose a practitioner whose clients all move, or choose clients.")
            )
        if source and chosen:
            raise forms.ValidationError(
                _("Either move all of one practitioner's clients, or the chosen ones, not both.")
            )
        if source and target and source.pk == target.pk:
            self.add_error("to_practitioner", _("The new practitioner must be someone else."))
        return data


# --- Group sessions ----------------------------------------------------------------------


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.ChoiceField(label=_("Topic factor"), choices=FactorKey.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    at = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=15, max_value=SESSION_MAX_MINUTES, initial=90
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("For example: Halifax office, room 2."),
    )
    online_link = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A web address starting with https://"),
    )

    def clean_on(self) -> date:
        return _in_range(self.cleaned_data["on"])  # type: ignore[return-value]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("place")
            and not data.get("online_link")
            and not ({"place", "online_link"} & set(self.errors))
        ):
            raise forms.ValidationError(_("Give a place, an online link, or both."))
        return data

    def starts_at(self) -> datetime:
        day, clock = self.cleaned_data["on"], self.cleaned_data["at"]
        return timezone.make_aware(datetime.combine(day, clock or time(0)))

    @classmethod
    def initial_for(cls, session: Any) -> dict[str, Any]:
        local = timezone.localtime(session.starts_at)
        return {
            "title": session.title,
            "topic": session.topic,
            "on": local.date(),
            "at": local.time().replace(second=0, microsecond=0),
            "duration_minutes": session.duration_minutes,
            "place": session.place,
            "online_link": session.online_link,
        }


class OrganisationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class InviteEmployersForm(forms.Form):
    organisations = OrganisationChoices(
        label=_("Businesses to invite"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, queryset: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = queryset


class AttendanceForm(forms.Form):
    """One radio group per invited business."""

    def __init__(self, *args: Any, rows: list[SessionAttendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"org_{row.organisation_id}"] = forms.ChoiceField(
                label=row.organisation.name,
                choices=AttendanceStatus.choices,
                initial=row.status,
                widget=forms.RadioSelect,
            )

    def statuses(self) -> dict[int, str]:
        return {int(name.removeprefix("org_")): value for name, value in self.cleaned_data.items()}


class SessionNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Session notes"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


# --- Placements and the workplace bargain ------------------------------------------------


class RoleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name} — {obj.title}"


class PlacementForm(forms.Form):
    role = RoleChoiceField(
        label=_("Role"),
        queryset=None,
        empty_label=_("Choose the role"),
        help_text=_("Published roles of the businesses you can see."),
        error_messages={"invalid_choice": _("Choose one of the roles shown.")},
    )
    started_on = forms.DateField(label=_("Start date"), widget=DateInput())
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"),
        min_value=1,
        max_value=80,
        max_digits=3,
        decimal_places=1,
    )
    wage = forms.DecimalField(
        label=_("Wage in dollars"),
        min_value=Decimal("0.01"),
        max_value=Decimal("1000000"),
        max_digits=9,
        decimal_places=2,
    )
    wage_period = forms.ChoiceField(
        label=_("The wage is"),
        choices=[("hour", _("per hour")), ("year", _("per year"))],
        widget=forms.RadioSelect,
        initial="hour",
    )

    def __init__(self, *args: Any, roles: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles  # type: ignore[attr-defined]

    def clean_started_on(self) -> date:
        return _in_range(self.cleaned_data["started_on"])  # type: ignore[return-value]


class BargainStartForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Write the bargain in"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        help_text=_("The terms are prefilled in this language; the worker's is chosen first."),
    )


class BargainTermsForm(forms.Form):
    """One text per factor, prefilled from both profiles and the fit map."""

    def __init__(self, *args: Any, terms: list[tuple[str, str, str]], **kwargs: Any) -> None:
        """``terms``: (factor key, factor name, current text)."""
        super().__init__(*args, **kwargs)
        for key, name, text in terms:
            self.fields[f"term-{key}"] = forms.CharField(
                label=name,
                initial=text,
                max_length=BARGAIN_TERM_MAX,
                widget=forms.Textarea(attrs={"rows": 6}),
                error_messages={
                    "required": _("Write what both sides expect, or “Nothing agreed here”."),
                    "max_length": _("Keep it under %(limit_value)s characters."),
                },
            )

    def texts(self) -> dict[str, str]:
        return {name.removeprefix("term-"): value for name, value in self.cleaned_data.items()}


class BargainAgreementForm(forms.Form):
    worker_agreed_on = forms.DateField(
        label=_("The worker agreed on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty until the worker has read the terms and said yes."),
    )
    employer_agreed_on = forms.DateField(
        label=_("The employer agreed on"), required=False, widget=DateInput()
    )
    employer_agreed_by = forms.CharField(
        label=_("Name of the person who agreed for the employer"), max_length=200, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("worker_agreed_on", "employer_agreed_on"):
            value = data.get(name)
            if value is not None and (value > timezone.localdate() or value < EARLIEST):
                self.add_error(name, _("The date cannot be in the future or before 2000."))
        if data.get("employer_agreed_on") and not (data.get("employer_agreed_by") or "").strip():
            self.add_error("employer_agreed_by", _("Name who agreed for the employer."))
        return data


class RevisitForm(forms.Form):
    revisited_on = forms.DateField(label=_("Date of the conversation"), widget=DateInput())
    note = forms.CharField(
        label=_("Overall note"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, factors: list[tuple[str, str]], **kwargs: Any) -> None:
        """``factors``: (factor key, factor name) of the bargain's terms."""
        super().__init__(*args, **kwargs)
        self.factor_names = dict(factors)
        for key, name in factors:
            self.fields[f"outcome-{key}"] = forms.ChoiceField(
                label=name,
                choices=TermOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say whether this was kept, changed or broken.")},
            )
            self.fields[f"note-{key}"] = forms.CharField(
                label=_("Note on %(factor)s") % {"factor": name},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean_revisited_on(self) -> date:
        value = _in_range(self.cleaned_data["revisited_on"])
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value  # type: ignore[return-value]

    def outcomes(self) -> dict[str, tuple[str, str]]:
        return {
            key: (self.cleaned_data[f"outcome-{key}"], self.cleaned_data.get(f"note-{key}", ""))
            for key in self.factor_names
        }

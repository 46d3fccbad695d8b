"""Bulk reassignment (admins): choose clients or all of one practitioner's, a new
practitioner, review exactly what will move, confirm, and keep the record."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import requires
from employers.models import Organisation
from practitioners.forms import ReassignForm, parse_client_tokens
from practitioners.models import Reassignment
from practitioners.services import WorkspaceError
from practitioners.services.reassignment import reassign_clients
from seekers.models import Seeker

MAX_CHOSEN = 500


def _chosen(tokens: list[str]) -> tuple[list[Seeker], list[Organisation]]:
    """The clients named in the selection; unknown or malformed tokens are refused."""
    if len(tokens) > MAX_CHOSEN:
        raise forms.ValidationError(
            _("Choose at most %(n)s clients at a time.") % {"n": MAX_CHOSEN}
        )
    seeker_ids, organisation_ids = parse_client_tokens(tokens)
    seekers = list(Seeker.objects.filter(pk__in=seeker_ids).select_related("user", "practitioner"))
    organisations = list(
        Organisation.objects.filter(pk__in=organisation_ids).select_related("practitioner")
    )
    if len(seekers) != len(set(seeker_ids)) or len(organisations) != len(set(organisation_ids)):
        raise forms.ValidationError(_("Some of the chosen clients no longer exist."))
    return seekers, organisations


def _choices(seekers: list[Seeker], organisations: list[Organisation]) -> list[tuple[str, str]]:
    return [(f"seeker-{s.pk}", s.user.display_name) for s in seekers] + [
        (f"employer-{o.pk}", o.name) for o in organisations
    ]


def _preview(
    form: ReassignForm, seekers: list[Seeker], organisations: list[Organisation]
) -> tuple[list[Seeker], list[Organisation]]:
    """What will move: the chosen clients, or all of one practitioner's, minus those
    already with the new practitioner."""
    source, target = form.cleaned_data["from_practitioner"], form.cleaned_data["to_practitioner"]
    if source is not None:
        seekers = list(Seeker.objects.filter(practitioner=source).select_related("user"))
        organisations = list(Organisation.objects.filter(practitioner=source))
    return (
        [s for s in seekers if s.practitioner_id != target.pk],
        [o for o in organisations if o.practitioner_id != target.pk],
    )


@require_http_methods(["GET", "POST"])
@requires("caseload.reassign")
def reassign(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    tokens = data.getlist("clients")
    try:
        seekers, organisations = _chosen(tokens)
        selection_error = ""
    except forms.ValidationError as error:
        seekers, organisations, selection_error = [], [], " ".join(error.messages)
    form = ReassignForm(
        request.POST or None,
        initial={"clients": tokens, "from_practitioner": request.GET.get("from")},
        client_choices=_choices(seekers, organisations),
    )
    if selection_error:
        form.add_error(None, selection_error)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and "edit" not in request.POST and form.is_valid():
        moving_seekers, moving_orgs = _preview(form, seekers, organisations)
        if "confirm" not in request.POST:
            context.update(
                moving_seekers=moving_seekers,
                moving_orgs=moving_orgs,
                moving_total=len(moving_seekers) + len(moving_orgs),
            )
            return render(request, "practitioners/reassign_confirm.html", context)
        try:
            record = reassign_clients(
                by=request.user,
                to_practitioner=form.cleaned_data["to_practitioner"],
                from_practitioner=form.cleaned_data["from_practitioner"],
                seeker_ids=[s.pk for s in seekers],
                organisation_ids=[o.pk for o in organisations],
                reason=form.cleaned_data["reason"],
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The clients have moved."))
            return redirect("practitioners:reassignment_detail", pk=record.pk)
    return render(request, "practitioners/reassign.html", context)


@require_GET
@requires("caseload.reassign")
def reassignment_list(request: HttpRequest) -> HttpResponse:
    records = Reassignment.objects.select_related(
        "performed_by", "from_practitioner", "to_practitioner", "to_office"
    )
    page = Paginator(
        records.annotate(moved=Count("items")).order_by("-created_at", "-pk"), 25
    ).get_page(request.GET.get("page"))
    return render(request, "practitioners/reassignments.html", {"page": page})


@require_GET
@requires("caseload.reassign")
def reassignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        Reassignment.objects.select_related(
            "performed_by", "from_practitioner", "to_practitioner", "to_office"
        ),
        pk=pk,
    )
    items = record.items.select_related(
        "seeker__user", "organisation", "from_practitioner", "from_office"
    )
    return render(request, "practitioners/reassignment.html", {"record": record, "items": items})

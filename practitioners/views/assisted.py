"""Assisted sessions: the client's own activity forms, filled in together with a practitioner.

The forms and the checks are the seekers' and employers' own (``seekers.forms``,
``employers.forms`` and their services); only the page around them is the practitioner's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import requires
from employers import selectors as employer_selectors
from employers import services as employer_services
from employers.forms import OfferActivityForm
from employers.models import OfferAnswer, Organisation
from factors.models import Factor
from factors.selectors import current_version_or_404, factor_by_key_or_404
from practitioners.access import client_for_viewer, ensure_can_change
from practitioners.models import client_url
from practitioners.selectors.records import progress_for
from practitioners.services import WorkspaceError
from practitioners.services import assisted as services
from seekers import selectors as seeker_selectors
from seekers import services as seeker_services
from seekers.forms import ActivityForm, activity_rows
from seekers.models import Answer, Seeker


def _helpers(client: Seeker | Organisation, items: list[Any]) -> dict[int, str]:
    """Item id -> the practitioner who helped answer it, for this client's answers."""
    model = Answer if isinstance(client, Seeker) else OfferAnswer
    field = "seeker" if isinstance(client, Seeker) else "organisation"
    rows = model.objects.filter(
        **{field: client}, item__in=items, assisted_by__isnull=False
    ).select_related("assisted_by")
    return {row.item_id: row.assisted_by.display_name for row in rows}


def _seeker_initial(seeker: Seeker, factor: Factor) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for item_id, answer in seeker_selectors.activity_answers(seeker=seeker, factor=factor).items():
        initial[f"item-{item_id}-level"] = answer.level
        initial[f"item-{item_id}-dealbreaker"] = answer.dealbreaker
        initial[f"item-{item_id}-example"] = answer.example
    reflection = seeker_selectors.activity_reflection(seeker=seeker, factor=factor)
    initial["reflection"] = reflection.text if reflection else ""
    return initial


def _next_url(request: HttpRequest, client: Any, kind: str, factor: Factor) -> str:
    from django.urls import reverse

    version = factor.version
    if request.POST.get("then") == "next":
        following = employer_selectors.next_factor_key(version=version, factor=factor)
        if following:
            return reverse("practitioners:assisted_activity", args=[kind, client.pk, following])
    return client_url(client) + "#profile"


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def assisted_activity(request: HttpRequest, kind: str, pk: int, factor_key: str) -> HttpResponse:
    client = client_for_viewer(segment=kind, pk=pk, user=request.user)
    ensure_can_change(user=request.user, client=client)
    version = current_version_or_404()
    factor = factor_by_key_or_404(version=version, key=factor_key)
    items = [item for item in factor.items.all() if not item.retired]
    context: dict[str, Any] = {
        "client": client,
        "segment": kind,
        "is_seeker": isinstance(client, Seeker),
        "factor": factor,
        "record_url": client_url(client),
        "progress": progress_for(client=client, version=version),
    }
    if isinstance(client, Seeker):
        refusal = services.assisted_refusal(seeker=client)
        if refusal:
            context["refusal"] = refusal
            return render(request, "practitioners/assisted.html", context, status=409)
        form = _seeker_form(request, client, factor, items)
        if form is None:
            return redirect(_next_url(request, client, kind, factor))
        context |= {
            "rows": activity_rows(form),
            "errors": [(e.anchor, e.message) for e in form.summary()] if form.is_bound else [],
            "form": form,
        }
    else:
        form = _offer_form(request, client, factor, items)
        if form is None:
            return redirect(_next_url(request, client, kind, factor))
        answers = employer_selectors.activity_answers(organisation=client, factor=factor)
        context |= {
            "rows": form.rows(answers),
            "errors": form.error_list() if form.is_bound else [],
        }
    context["helpers"] = _helpers(client, items)
    status = 400 if context["errors"] else 200
    return render(request, "practitioners/assisted.html", context, status=status)


def _saved(request: HttpRequest, factor: Factor) -> None:
    messages.success(
        request,
        _("The answers about %(factor)s are saved, marked as given with your help.")
        % {"factor": factor.name},
    )


def _seeker_form(
    request: HttpRequest, seeker: Seeker, factor: Factor, items: list[Any]
) -> ActivityForm | None:
    """The bound or fresh form; None once a valid post is saved."""
    if request.method != "POST":
        seeker_services.answers_carry_forward(seeker=seeker, version=factor.version, factor=factor)
        return ActivityForm(initial=_seeker_initial(seeker, factor), items=items, factor=factor)
    form = ActivityForm(request.POST, items=items, factor=factor)
    if form.is_valid():
        try:
            services.assisted_seeker_activity_save(
                seeker=seeker,
                factor=factor,
                by=request.user,  # type: ignore[arg-type]
                answers=form.answers(),
                reflection=form.reflection(),
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            _saved(request, factor)
            return None
    return form


def _offer_form(
    request: HttpRequest, organisation: Organisation, factor: Factor, items: list[Any]
) -> OfferActivityForm | None:
    if request.method != "POST":
        employer_services.offer_carry_forward(organisation=organisation, factor=factor)
        return OfferActivityForm(items=items)
    form = OfferActivityForm(request.POST, items=items)
    if form.is_valid():
        try:
            services.assisted_offer_save(
                organisation=organisation,
                by=request.user,  # type: ignore[arg-type]
                answers=form.answers(),
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            _saved(request, factor)
            return None
    return form

"""The workplace bargain of a placement: start, edit the terms, record agreement, revisit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.permissions import requires
from practitioners.forms import (
    BargainAgreementForm,
    BargainStartForm,
    BargainTermsForm,
    RevisitForm,
)
from practitioners.models import Bargain, Placement
from practitioners.selectors import bargains as bargain_selectors
from practitioners.selectors import placements as selectors
from practitioners.services import WorkspaceError
from practitioners.services import bargains as services


def _changeable_placement(request: HttpRequest, pk: int) -> Placement:
    placement = selectors.placement_for_viewer(user=request.user, pk=pk)
    if not selectors.can_change_placement(user=request.user, placement=placement):
        raise PermissionDenied
    return placement


def _bargain(placement: Placement) -> Bargain:
    return get_object_or_404(Bargain.objects.prefetch_related("terms"), placement=placement)


def _page(request: HttpRequest, template: str, status: int, **context: object) -> HttpResponse:
    return render(request, f"practitioners/{template}", context, status=status)


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def bargain_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Without a bargain: choose its language and start it. With one: edit every term."""
    placement = _changeable_placement(request, pk)
    bargain = bargain_selectors.bargain_of(placement=placement)
    if bargain is None:
        worker_language = placement.seeker.user.language or get_language()
        start = BargainStartForm(request.POST or None, initial={"language": worker_language})
        if request.method == "POST" and start.is_valid():
            try:
                services.bargain_start(
                    placement=placement,
                    by=request.user,  # type: ignore[arg-type]
                    language=start.cleaned_data["language"],
                )
            except WorkspaceError as error:
                start.add_error(None, str(error))
            else:
                messages.success(request, _("A first draft is ready. Read it with both sides."))
                return redirect("practitioners:bargain_edit", pk=placement.pk)
        status = 400 if start.errors else 200
        return _page(request, "bargain_start.html", status, placement=placement, form=start)
    names = bargain_selectors.factor_names()
    terms = [
        (t.factor_key, names.get(t.factor_key, t.factor_key), t.text) for t in bargain.terms.all()
    ]
    form = BargainTermsForm(request.POST or None, terms=terms)
    was_agreed = bool(bargain.worker_agreed_on or bargain.employer_agreed_on)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.bargain_terms_save(
                bargain=bargain,
                by=request.user,  # type: ignore[arg-type]
                texts=form.texts(),
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            if changed and was_agreed:
                messages.warning(
                    request, _("The terms are saved. Both sides need to agree to them again.")
                )
            else:
                messages.success(request, _("The terms are saved."))
            return redirect("practitioners:placement_detail", pk=placement.pk)
    status = 400 if form.errors else 200
    return _page(
        request, "bargain_edit.html", status, placement=placement, bargain=bargain, form=form
    )


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def bargain_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _changeable_placement(request, pk)
    bargain = _bargain(placement)
    initial = {
        "worker_agreed_on": bargain.worker_agreed_on,
        "employer_agreed_on": bargain.employer_agreed_on,
        "employer_agreed_by": bargain.employer_agreed_by,
    }
    form = BargainAgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bargain_agreement_record(
                bargain=bargain,
                by=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The agreement is recorded."))
            return redirect("practitioners:placement_detail", pk=placement.pk)
    status = 400 if form.errors else 200
    names = bargain_selectors.factor_names()
    return _page(
        request,
        "bargain_agreement.html",
        status,
        placement=placement,
        bargain=bargain,
        form=form,
        names=names,
    )


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def bargain_revisit(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _changeable_placement(request, pk)
    bargain = bargain_selectors.bargain_of(placement=placement)
    if bargain is None:
        # Reached from a follow-up for a placement whose bargain was never written.
        status = 409 if request.method == "POST" else 200
        return _page(request, "bargain_revisit.html", status, placement=placement, bargain=None)
    names = bargain_selectors.factor_names()
    terms = list(bargain.terms.all())
    factors = [(t.factor_key, names.get(t.factor_key, t.factor_key)) for t in terms]
    form = RevisitForm(
        request.POST or None, factors=factors, initial={"revisited_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.bargain_revisit_record(
                bargain=bargain,
                by=request.user,  # type: ignore[arg-type]
                revisited_on=form.cleaned_data["revisited_on"],
                note=form.cleaned_data.get("note", ""),
                outcomes=form.outcomes(),
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The revisit is recorded."))
            return redirect("practitioners:placement_detail", pk=placement.pk)
    rows = [
        (
            term,
            names.get(term.factor_key, term.factor_key),
            form[f"outcome-{term.factor_key}"],
            form[f"note-{term.factor_key}"],
        )
        for term in terms
    ]
    status = 400 if form.errors else 200
    return _page(
        request,
        "bargain_revisit.html",
        status,
        placement=placement,
        bargain=bargain,
        form=form,
        rows=rows,
    )

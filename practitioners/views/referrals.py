"""Referrals between practitioners: refer, then the colleague accepts or declines."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role
from accounts.permissions import requires
from employers.models import Organisation
from factors.selectors import current_version
from practitioners.access import client_for_viewer, ensure_can_change
from practitioners.forms import DeclineForm, ReferralForm
from practitioners.models import Referral, client_url
from practitioners.selectors.records import progress_for
from practitioners.services import WorkspaceError
from practitioners.services import referrals as services
from seekers.models import Seeker


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def referral_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    client = client_for_viewer(segment=kind, pk=pk, user=request.user)
    ensure_can_change(user=request.user, client=client)
    form = ReferralForm(request.POST or None, client=client, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                client=client,
                by=request.user,
                to_practitioner=form.cleaned_data["to_practitioner"],
                reason=form.cleaned_data["reason"],
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Referral sent to %(name)s.") % {"name": referral.to_practitioner.display_name},
            )
            return redirect(client_url(client) + "#referrals")
    context = {
        "client": client,
        "record_url": client_url(client),
        "form": form,
        "title": _("Refer to a colleague"),
        "action": request.path,
    }
    return render(request, "practitioners/client_form.html", context)


def _referral_for(request: HttpRequest, pk: int) -> Referral:
    """The sender, the colleague it is addressed to, and admins see a referral; 404 for others."""
    referrals = Referral.objects.select_related(
        "seeker__user", "organisation", "from_user", "to_practitioner", "decided_by"
    )
    if request.user.role != Role.ADMIN:
        referrals = referrals.filter(Q(from_user=request.user) | Q(to_practitioner=request.user))
    return get_object_or_404(referrals, pk=pk)


def _detail(request: HttpRequest, referral: Referral, decline_form: DeclineForm) -> HttpResponse:
    client = referral.client
    model = Seeker if isinstance(client, Seeker) else Organisation
    can_open = model.objects.visible_to(request.user).filter(pk=client.pk).exists()
    context: dict[str, Any] = {
        "referral": referral,
        "client": client,
        "is_seeker": isinstance(client, Seeker),
        "progress": progress_for(client=client, version=current_version()),
        "record_url": client_url(client) if can_open else None,
        "is_recipient": referral.to_practitioner_id == request.user.pk,
        "can_withdraw": referral.is_pending
        and (referral.from_user_id == request.user.pk or request.user.role == Role.ADMIN),
        "decline_form": decline_form,
    }
    return render(request, "practitioners/referral.html", context)


@require_GET
@requires("caseload.view")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _referral_for(request, pk), DeclineForm())


@require_POST
@requires("caseload.change")
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_for(request, pk)
    try:
        services.referral_accept(referral=referral, by=request.user)
    except WorkspaceError as error:
        messages.error(request, str(error))
        return redirect("practitioners:referral_detail", pk=referral.pk)
    messages.success(request, _("You accepted the referral. The client is now in your caseload."))
    return redirect(client_url(referral.client))


@require_POST
@requires("caseload.change")
def referral_decline(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_for(request, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, form)
    try:
        services.referral_decline(
            referral=referral, by=request.user, response=form.cleaned_data["response"]
        )
    except WorkspaceError as error:
        messages.error(request, str(error))
        return redirect("practitioners:referral_detail", pk=referral.pk)
    messages.success(request, _("You declined the referral."))
    return redirect("practitioners:queue")


@require_POST
@requires("caseload.change")
def referral_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral_for(request, pk)
    try:
        services.referral_withdraw(referral=referral, by=request.user)
    except WorkspaceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You withdrew the referral."))
    return redirect("practitioners:referral_detail", pk=referral.pk)

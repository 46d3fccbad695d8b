"""Placements: record one from a seeker's record (or a shortlist), read one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import requires
from practitioners.access import client_for_viewer, ensure_can_change
from practitioners.forms import PlacementForm
from practitioners.models import client_url
from practitioners.selectors import bargains as bargain_selectors
from practitioners.selectors import placements as selectors
from practitioners.services import WorkspaceError
from practitioners.services.placements import placement_record


def _role_id(raw: str | None) -> int | None:
    # isascii: "²" is a digit to isdigit() but not to int().
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= 12:
        return int(raw)
    return None


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def placement_create(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind != "seekers":
        raise Http404("Placements are recorded from the job seeker's record.")
    seeker = client_for_viewer(segment=kind, pk=pk, user=request.user)
    ensure_can_change(user=request.user, client=seeker)
    asked = _role_id(request.POST.get("role") or request.GET.get("role"))
    roles = selectors.roles_for_placement(user=request.user, include=asked)
    initial = {"role": asked} if asked and roles.filter(pk=asked).exists() else {}
    form = PlacementForm(request.POST or None, roles=roles, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                placement = placement_record(
                    by=request.user,  # type: ignore[arg-type]
                    seeker=seeker,  # type: ignore[arg-type]
                    role=data["role"],
                    started_on=data["started_on"],
                    hours_per_week=data["hours_per_week"],
                    wage=data["wage"],
                    wage_period=data["wage_period"],
                )
            except WorkspaceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("The placement is recorded. Now write the workplace bargain.")
                )
                return redirect("practitioners:placement_detail", pk=placement.pk)
        status = 400
    context = {
        "client": seeker,
        "record_url": client_url(seeker),
        "form": form,
        "has_roles": roles.exists(),
    }
    return render(request, "practitioners/placement_form.html", context, status=status)


@require_GET
@requires("caseload.view")
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = selectors.placement_for_viewer(user=request.user, pk=pk)
    bargain = bargain_selectors.bargain_of(placement=placement)
    context = {
        "placement": placement,
        "editable": selectors.can_change_placement(user=request.user, placement=placement),
        "snapshot": selectors.snapshot_view(placement=placement),
        "bargain": bargain,
        "names": bargain_selectors.factor_names(),
        "revisits": bargain_selectors.revisits_of(bargain=bargain) if bargain else [],
        "seeker_url": client_url(placement.seeker),
        "employer_url": client_url(placement.organisation),
    }
    return render(request, "practitioners/placement.html", context)

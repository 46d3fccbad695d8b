"""Practitioners: seekers ranked for a role, roles ranked for a seeker, shortlist, introduce,
and the three-way conversation view."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import get_for_viewer, requires
from matches import selectors, services
from matches.models import Pair
from matches.views.common import safe_next
from practitioners.access import ensure_can_change
from seekers.models import Seeker
from seekers.selectors import shares_with_practitioner

ROLES_PER_PAGE = 25
PAIRS_PER_PAGE = 25


def _scope(request: HttpRequest) -> str:
    return "office" if request.GET.get("scope") == "office" else "mine"


@require_GET
@requires("caseload.view")
def home(request: HttpRequest) -> HttpResponse:
    """Roles to match against, and the pairs this practitioner is working on."""
    roles = selectors.roles_for_practitioner(user=request.user).order_by(
        "organisation__name", "title", "pk"
    )
    organisation_id = request.GET.get("organisation", "")
    if organisation_id.isascii() and organisation_id.isdigit() and len(organisation_id) < 19:
        roles = roles.filter(organisation_id=int(organisation_id))
    context = {
        "roles": Paginator(roles, ROLES_PER_PAGE).get_page(request.GET.get("page")),
        "pairs": Paginator(
            selectors.practitioner_pairs(user=request.user), PAIRS_PER_PAGE
        ).get_page(request.GET.get("pairs_page")),
        "organisation_filter": organisation_id
        if organisation_id.isascii() and organisation_id.isdigit()
        else "",
    }
    return render(request, "matches/practitioner_home.html", context)


@require_GET
@requires("caseload.view")
def role_seekers(request: HttpRequest, role_id: int) -> HttpResponse:
    role = selectors.role_for_practitioner(user=request.user, role_id=role_id)
    scope = _scope(request)
    seekers = selectors.seekers_for_practitioner(user=request.user, scope=scope)
    context = {
        "role": role,
        "scope": scope,
        "scope_query": "scope=office&" if scope == "office" else "",
        "page": selectors.seekers_ranked_for_role(
            role=role, seekers=seekers, page=request.GET.get("page")
        ),
        "not_sharing": selectors.not_sharing_count(user=request.user, scope=scope),
        "here": request.get_full_path(),
    }
    return render(request, "matches/role_seekers.html", context)


@require_GET
@requires("caseload.view")
def seeker_roles(request: HttpRequest, seeker_id: int) -> HttpResponse:
    seeker = get_for_viewer(Seeker.objects.select_related("user"), request.user, pk=seeker_id)
    shares = shares_with_practitioner(seeker=seeker)
    page = None
    if shares:
        page = selectors.roles_ranked_for_seeker(
            seeker=seeker,
            roles=selectors.published_roles(),
            page=request.GET.get("page"),
            reader="practitioner",
        )
    context = {
        "seeker": seeker,
        "shares": shares,
        "page": page,
        "here": request.get_full_path(),
    }
    return render(request, "matches/seeker_roles.html", context)


@require_POST
@requires("caseload.change")
def shortlist(request: HttpRequest, role_id: int, seeker_id: int) -> HttpResponse:
    role = selectors.role_for_practitioner(user=request.user, role_id=role_id)
    seeker = get_for_viewer(Seeker.objects.select_related("user"), request.user, pk=seeker_id)
    ensure_can_change(user=request.user, client=seeker)
    back = safe_next(request, reverse("matches:role_seekers", args=[role.pk]))
    if not shares_with_practitioner(seeker=seeker):
        messages.error(request, _("This person does not share their answers with you."))
        return redirect(back)
    services.pair_shortlist(seeker=seeker, role=role, by=request.user)
    messages.success(
        request,
        _("%(person)s and %(role)s are on your shortlist.")
        % {"person": seeker.user.display_name, "role": role.title},
    )
    return redirect(back)


def _pair_for_viewer(request: HttpRequest, pair_id: int) -> Pair:
    return get_for_viewer(
        Pair.objects.select_related("seeker__user", "role__organisation", "practitioner"),
        request.user,
        pk=pair_id,
    )


@require_GET
@requires("caseload.view")
def pair_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    """The three-way conversation view: both sides' answers per factor, side by side."""
    pair = _pair_for_viewer(request, pair_id)
    shares = shares_with_practitioner(seeker=pair.seeker)
    context = {
        "pair": pair,
        "conversation": selectors.conversation(pair=pair, seeker_shares=shares),
    }
    return render(request, "matches/pair_detail.html", context)


@require_POST
@requires("caseload.change")
def pair_introduce(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = _pair_for_viewer(request, pair_id)
    ensure_can_change(user=request.user, client=pair.seeker)
    try:
        services.pair_introduce(pair=pair, by=request.user)
    except services.MatchError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Introduced. %(person)s will be asked whether to share their profile with "
                "%(employer)s; nothing is shared until they agree."
            )
            % {"person": pair.seeker.user.display_name, "employer": pair.role.organisation.name},
        )
    return redirect(safe_next(request, pair.get_absolute_url()))

"""Job seekers: "roles that attract me", interest, invitations, and sharing with an employer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import requires
from matches import selectors, services
from seekers import selectors as seeker_selectors
from seekers import services as seeker_services
from seekers.models import Seeker


def _seeker(request: HttpRequest) -> Seeker | None:
    """The signed-in seeker, or None when they have not agreed to the use of their answers."""
    seeker = seeker_services.seeker_for_user(user=request.user)
    if not seeker_selectors.has_data_consent(seeker=seeker):
        return None
    return seeker


@require_http_methods(["GET"])
@requires("seeker.use")
def roles(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    if seeker is None:
        return redirect("seekers:welcome")
    context = {
        "waiting": selectors.waiting_for_seeker(seeker=seeker),
        "page": selectors.roles_ranked_for_seeker(
            seeker=seeker,
            roles=selectors.published_roles(),
            page=request.GET.get("page"),
            reader="worker",
        ),
        "shared_with": {
            c.organisation_id
            for c in seeker_selectors.consent_state(seeker=seeker).active_employers
        },
    }
    return render(request, "matches/my_roles.html", context)


@require_POST
@requires("seeker.use")
def interested(request: HttpRequest, role_id: int) -> HttpResponse:
    seeker = _seeker(request)
    if seeker is None:
        return redirect("seekers:welcome")
    role = selectors.published_role_or_404(role_id=role_id)
    services.pair_interest(seeker=seeker, role=role)
    messages.success(
        request,
        _(
            "Noted: %(role)s attracts you. Nothing has been sent to %(employer)s. Share your "
            "profile with them when you are ready."
        )
        % {"role": role.title, "employer": role.organisation.name},
    )
    return redirect("seeker_matches:share", role_id=role.pk)


@require_http_methods(["GET", "POST"])
@requires("seeker.use")
def share(request: HttpRequest, role_id: int) -> HttpResponse:
    """The consent step: what sharing with this employer means, then agree (or not)."""
    seeker = _seeker(request)
    if seeker is None:
        return redirect("seekers:welcome")
    role = selectors.published_role_or_404(role_id=role_id)
    error = ""
    if request.method == "POST":
        try:
            services.pair_accept(seeker=seeker, role=role)
        except services.MatchError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _(
                    "%(employer)s can now see your name and your profile for twelve months. "
                    "You can stop this at any time from My data."
                )
                % {"employer": role.organisation.name},
            )
            return redirect("seeker_matches:roles")
    context = {
        "role": role,
        "already": seeker_selectors.employer_may_see(organisation=role.organisation, seeker=seeker),
        "error": error,
    }
    return render(request, "matches/share.html", context, status=422 if error else 200)


@require_POST
@requires("seeker.use")
def decline(request: HttpRequest, role_id: int) -> HttpResponse:
    seeker = _seeker(request)
    if seeker is None:
        return redirect("seekers:welcome")
    role = selectors.published_role_or_404(role_id=role_id)
    try:
        services.pair_decline(seeker=seeker, role=role)
    except services.MatchError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Declined. Nothing about you was shared with %(employer)s.")
            % {"employer": role.organisation.name},
        )
    return redirect("seeker_matches:roles")

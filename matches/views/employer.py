"""Employers: anonymous candidates for a role, each with the fit map, and "invite to connect".

A candidate is shown under a random pseudonym with nothing that could identify them (no
name, contact or anything they typed) until they accept: then, and only while their consent
for this organisation is active, the name and the profile appear.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import requires
from employers.selectors import organisation_of, role_of, roles_for
from factors.fitmap_view import fitmap_view
from factors.matching import fit_for
from matches import selectors, services
from matches.models import Pair
from seekers.selectors import employer_may_see, profile_summary, seekers_visible_to_employer


@require_GET
@requires("employer.use")
def home(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    context = {
        "section": "candidates",
        "organisation": organisation,
        "roles": roles_for(organisation=organisation),
        "sharing": seekers_visible_to_employer(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "pk")[:100],
    }
    return render(request, "matches/employer_home.html", context)


@require_GET
@requires("employer.use")
def role_candidates(request: HttpRequest, role_id: int) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    page = selectors.seekers_ranked_for_role(
        role=role,
        seekers=selectors.candidate_seekers(),
        page=request.GET.get("page"),
        reader="employer",
        keep_as="candidates",
    )
    ids = [row.seeker.pk for row in page.rows if row.seeker]
    aliases = services.aliases_for(organisation=organisation, seeker_ids=ids)
    identified = selectors.identified_ids(organisation=organisation, seeker_ids=ids)
    for row in page.rows:
        seeker_id = row.seeker.pk if row.seeker else 0
        row.alias = aliases.get(seeker_id, "")
        row.identified = seeker_id in identified
        row.pair = selectors.employer_visible_pair(row.pair, identified=row.identified)
    context = {"section": "candidates", "organisation": organisation, "role": role, "page": page}
    return render(request, "matches/role_candidates.html", context)


@require_GET
@requires("employer.use")
def candidate_detail(request: HttpRequest, role_id: int, alias: str) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    seeker = selectors.candidate_by_alias(organisation=organisation, label=alias)
    identified = employer_may_see(organisation=organisation, seeker=seeker)
    pair = selectors.employer_visible_pair(
        Pair.objects.filter(seeker=seeker, role=role).first(), identified=identified
    )
    context = {
        "section": "candidates",
        "organisation": organisation,
        "role": role,
        "alias": alias,
        "view": fitmap_view(fitmap=fit_for(seeker=seeker, role=role), reader="employer"),
        "identified": identified,
        "person": seeker if identified else None,
        "profile": profile_summary(seeker=seeker) if identified else None,
        "pair": pair,
    }
    return render(request, "matches/candidate_detail.html", context)


@require_POST
@requires("employer.use")
def candidate_invite(request: HttpRequest, role_id: int, alias: str) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    seeker = selectors.candidate_by_alias(organisation=organisation, label=alias)
    try:
        services.pair_invite(organisation=organisation, seeker=seeker, role=role)
    except services.MatchError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Invitation sent to %(alias)s. You will see their name and profile if they accept.")
            % {"alias": alias},
        )
    return redirect("employer_matches:candidate_detail", role_id=role.pk, alias=alias)

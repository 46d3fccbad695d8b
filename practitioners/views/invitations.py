"""Inviting a seeker or an employer by email, into the practitioner's caseload."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.invitations import InvitationError, invitation_revoke, invitation_send
from accounts.models import Invitation, InvitationQuerySet, Role
from accounts.permissions import requires
from practitioners.forms import InviteForm


def _sent_by(request: HttpRequest) -> InvitationQuerySet:
    invitations = Invitation.objects.select_related("practitioner")
    if request.user.role == Role.ADMIN:
        return invitations
    return invitations.filter(invited_by=request.user)


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        practitioner = form.cleaned_data.get("practitioner")
        try:
            invitation = invitation_send(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                practitioner=practitioner,
                office=practitioner.office if practitioner else None,
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("practitioners:invite")
    pending = Invitation.objects.pending().filter(invited_by=request.user)[:100]
    return render(request, "practitioners/invite.html", {"form": form, "pending": pending})


@require_POST
@requires("caseload.change")
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(_sent_by(request), pk=pk)
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("practitioners:invite")

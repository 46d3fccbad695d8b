"""Colleagues: the business's members and pending invitations; the owner invites.

Sending, accepting and withdrawing are the generic invitation service's job
(``accounts.invitations``); this page only scopes it to the member's own business.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.invitations import InvitationError, invitation_revoke, invitation_send
from accounts.models import Role
from accounts.permissions import requires
from employers.forms import InviteForm
from employers.selectors import colleagues_of, membership_of, pending_invitations


@require_http_methods(["GET", "POST"])
@requires("employer.use")
def colleagues(request: HttpRequest) -> HttpResponse:
    """Everyone in the business sees who is here; only the owner may invite (else 403)."""
    organisation, is_owner = membership_of(user=request.user)
    status = 200
    form = InviteForm(request.POST or None) if is_owner else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                invitation_send(
                    email=email,
                    role=Role.EMPLOYER,
                    invited_by=request.user,
                    organisation=organisation,
                )
            except InvitationError as refusal:
                form.add_error("email", str(refusal))
            else:
                messages.success(
                    request, _("We emailed an invitation to %(email)s.") % {"email": email}
                )
                return redirect("employers:colleagues")
        status = 422
    context = {
        "section": "colleagues",
        "organisation": organisation,
        "is_owner": is_owner,
        "members": colleagues_of(organisation=organisation),
        "invitations": pending_invitations(organisation=organisation),
        "form": form,
    }
    return render(request, "employers/colleagues.html", context, status=status)


@require_POST
@requires("employer.use")
def invitation_withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The owner withdraws a pending invitation to their own business; anything else is 404."""
    organisation, is_owner = membership_of(user=request.user)
    if not is_owner:
        raise PermissionDenied
    invitation = get_object_or_404(pending_invitations(organisation=organisation), pk=invitation_id)
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except InvitationError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("employers:colleagues")

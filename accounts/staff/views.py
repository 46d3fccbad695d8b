"""Offices and staff pages, for admins only. Thin: parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.invitations import InvitationError, invitation_revoke, invitation_send
from accounts.permissions import requires
from accounts.staff import selectors, services
from accounts.staff.forms import OfficeForm, StaffInviteForm

STAFF_PAGE_SIZE = 25


@require_http_methods(["GET"])
@requires("staff.manage")
def staff_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.staff_all(), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "invitations": selectors.staff_invitations_pending()}
    return render(request, "accounts/staff/list.html", context)


@require_http_methods(["GET", "POST"])
@requires("staff.manage")
def office_list(request: HttpRequest) -> HttpResponse:
    """The offices, and a form to add one."""
    form = OfficeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            office = services.office_create(by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except services.StaffError as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, _("Office “%(name)s” created.") % {"name": office.name})
            return redirect("staff:office_list")
    context = {"offices": selectors.offices_with_counts(), "form": form}
    return render(request, "accounts/staff/offices.html", context)


@require_http_methods(["GET", "POST"])
@requires("staff.manage")
def office_rename(request: HttpRequest, pk: int) -> HttpResponse:
    office = selectors.office_or_404(pk=pk)
    initial = {"name": office.name, "region": office.region}
    form = OfficeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_rename(office=office, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except services.StaffError as refusal:
            form.add_error("name", str(refusal))
        else:
            messages.success(request, _("Office renamed."))
            return redirect("staff:office_list")
    return render(request, "accounts/staff/office_rename.html", {"office": office, "form": form})


@require_http_methods(["GET", "POST"])
@requires("staff.manage")
def staff_invite(request: HttpRequest) -> HttpResponse:
    """Invite a practitioner or an admin by email; the link creates the account in place."""
    form = StaffInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_send(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,  # type: ignore[arg-type]
                office=form.cleaned_data["office"],
            )
        except InvitationError as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("staff:staff_list")
    return render(request, "accounts/staff/invite.html", {"form": form})


@require_POST
@requires("staff.manage")
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.staff_invitation_or_404(pk=pk)
    invitation_revoke(invitation=invitation, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
    )
    return redirect("staff:staff_list")


@require_http_methods(["GET", "POST"])
@requires("staff.manage")
def staff_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then stop the account and end its sessions (POST)."""
    member = selectors.staff_member_or_404(pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.account_deactivate(user=member, by=request.user)  # type: ignore[arg-type]
        except services.StaffError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _("%(name)s's account is deactivated and signed out everywhere.")
                % {"name": member.display_name},
            )
            return redirect("staff:staff_list")
    context = {"member": member, "error": error}
    return render(request, "accounts/staff/deactivate.html", context, status=409 if error else 200)


@require_POST
@requires("staff.manage")
def staff_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.staff_member_or_404(pk=pk)
    services.account_reactivate(user=member, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request, _("%(name)s's account is active again.") % {"name": member.display_name}
    )
    return redirect("staff:staff_list")

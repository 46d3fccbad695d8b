"""Roles (vacancies): list, create, edit, per-role offer and needs, publish, close."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import requires
from employers import services
from employers.forms import JobRoleForm, RoleOfferForm
from employers.models import JobPosting
from employers.selectors import organisation_of, role_factors, role_of, roles_for


@require_GET
@requires("employer.use")
def role_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    context = {
        "section": "roles",
        "organisation": organisation,
        "roles": roles_for(organisation=organisation),
    }
    return render(request, "employers/role_list.html", context)


@require_http_methods(["GET", "POST"])
@requires("employer.use")
def role_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    status = 200
    if request.method == "POST":
        form = JobRoleForm(request.POST)
        if form.is_valid():
            try:
                role, created = services.role_create(
                    organisation=organisation,
                    data=form.cleaned_data,
                    by=request.user,
                    token=form.cleaned_data.get("token"),
                )
            except services.EmployerError as error:
                form.add_error(None, str(error))
            else:
                if created:
                    messages.success(
                        request,
                        _("Saved as a draft. Next: say where this role differs from your offer."),
                    )
                else:
                    messages.info(request, _("This role was already saved. Here it is."))
                return redirect("employers:role_detail", role_id=role.pk)
        status = 422
    else:
        form = JobRoleForm(initial={"region": organisation.region})
    context = {"section": "roles", "organisation": organisation, "form": form, "role": None}
    return render(request, "employers/role_form.html", context, status=status)


@require_GET
@requires("employer.use")
def role_detail(request: HttpRequest, role_id: int) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    factors = role_factors(role=role)
    context = {
        "section": "roles",
        "organisation": organisation,
        "role": role,
        "factors": factors,
        "overrides": [row for f in factors for row in f.offers if row.overridden],
        "own_needs": [row for f in factors for row in f.needs if row.overridden],
        "posting": JobPosting.objects.filter(role=role).first(),
    }
    return render(request, "employers/role_detail.html", context)


@require_http_methods(["GET", "POST"])
@requires("employer.use")
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    status = 200
    if request.method == "POST":
        form = JobRoleForm(request.POST, instance=role)
        if form.is_valid():
            try:
                services.role_update(role=role, data=form.cleaned_data, by=request.user)
            except services.EmployerError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The role is saved."))
                return redirect("employers:role_detail", role_id=role.pk)
        status = 422
        role.refresh_from_db()  # the form wrote the posted values onto the instance
    else:
        form = JobRoleForm(instance=role)
    context = {"section": "roles", "organisation": organisation, "form": form, "role": role}
    return render(request, "employers/role_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@requires("employer.use")
def role_offer(request: HttpRequest, role_id: int) -> HttpResponse:
    """Where this role differs from the business's offer, and what the role itself needs."""
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    factors = role_factors(role=role)
    status = 200
    if request.method == "POST":
        form = RoleOfferForm(request.POST, factors=factors)
        if form.is_valid():
            try:
                services.role_offer_save(role=role, rows=form.levels(), by=request.user)
            except services.EmployerError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("What this role offers and needs is saved."))
                return redirect("employers:role_detail", role_id=role.pk)
        status = 422
    else:
        form = RoleOfferForm(factors=factors)
    context = {"section": "roles", "organisation": organisation, "role": role, "form": form}
    return render(request, "employers/role_offer.html", context, status=status)


@require_POST
@requires("employer.use")
def role_publish(request: HttpRequest, role_id: int) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    try:
        services.role_publish(role=role, by=request.user)
    except services.EmployerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role is published."))
    return redirect("employers:role_detail", role_id=role.pk)


@require_POST
@requires("employer.use")
def role_close(request: HttpRequest, role_id: int) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    role = role_of(organisation=organisation, role_id=role_id)
    try:
        services.role_close(role=role, by=request.user)
    except services.EmployerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role is closed."))
    return redirect("employers:role_detail", role_id=role.pk)

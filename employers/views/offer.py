"""The six offer activities, the offer profile and the beyond-pay offer builder."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import requires
from employers import services
from employers.forms import AdoptForm, OfferActivityForm
from employers.selectors import (
    activity_answers,
    beyond_pay_suggestions,
    next_factor_key,
    offer_summary,
    organisation_of,
    organisation_progress,
)
from factors.models import Item
from factors.scales import Direction
from factors.selectors import current_version_or_404, factor_by_key_or_404


@require_http_methods(["GET", "POST"])
@requires("employer.use")
def activity(request: HttpRequest, factor_key: str) -> HttpResponse:
    """One factor's items: what the business offers, or how much it needs them.

    Opening it copies answers given against an older framework version forward. The
    whole form posts without JavaScript; with htmx each item also saves as it changes.
    """
    organisation = organisation_of(user=request.user)
    version = current_version_or_404()
    factor = factor_by_key_or_404(version=version, key=factor_key)
    items = list(factor.items.all())
    status = 200
    if request.method == "POST":
        form = OfferActivityForm(request.POST, items=items)
        if form.is_valid():
            try:
                services.offer_answers_save(
                    organisation=organisation, answers=form.answers(), by=request.user
                )
            except services.EmployerError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Your answers on %(factor)s are saved.") % {"factor": factor.name}
                )
                following = next_factor_key(version=version, factor=factor)
                if following:
                    return redirect("employers:activity", factor_key=following)
                return redirect("employers:offer_profile")
        status = 422
    else:
        services.offer_carry_forward(organisation=organisation, factor=factor)
        form = OfferActivityForm(items=items)
    answers = activity_answers(organisation=organisation, factor=factor)
    context = {
        "section": "activities",
        "organisation": organisation,
        "factor": factor,
        "progress": organisation_progress(organisation=organisation, version=version),
        "rows": form.rows(answers),
        "errors": form.error_list() if form.is_bound else [],
        "has_offers": any(item.is_need for item in items),
        "has_needs": any(not item.is_need for item in items),
    }
    return render(request, "employers/activity.html", context, status=status)


@require_POST
@requires("employer.use")
def activity_item_save(request: HttpRequest, factor_key: str, item_id: int) -> HttpResponse:
    """Autosave of one item (htmx). Answers with a short status; 422 with the reason."""
    organisation = organisation_of(user=request.user)
    version = current_version_or_404()
    factor = factor_by_key_or_404(version=version, key=factor_key)
    item = next((i for i in factor.items.all() if i.pk == item_id), None)
    if item is None:
        raise Http404("Not an item of this activity.")
    form = OfferActivityForm(request.POST, items=[item], strict=False)
    context: dict[str, object] = {"item": item}
    if form.is_valid():
        answers = form.answers()
        if answers:
            services.offer_answers_save(organisation=organisation, answers=answers, by=request.user)
            context["saved_at"] = timezone.localtime()
        if not request.headers.get("HX-Request"):
            return redirect(reverse("employers:activity", args=[factor.key]) + f"#item-{item.pk}")
        return render(request, "employers/partials/autosave_status.html", context)
    context["errors"] = [str(e) for errors in form.errors.values() for e in errors]
    return render(request, "employers/partials/autosave_status.html", context, status=422)


@require_GET
@requires("employer.use")
def offer_profile(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    summary = offer_summary(organisation=organisation)
    context = {"section": "profile", "organisation": organisation, "summary": summary}
    return render(request, "employers/offer_profile.html", context)


@require_GET
@requires("employer.use")
def builder(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(user=request.user)
    summary = offer_summary(organisation=organisation)
    context = {
        "section": "builder",
        "organisation": organisation,
        "summary": summary,
        "pay": summary.factor("pay_benefits"),
        "result": beyond_pay_suggestions(organisation=organisation, summary=summary),
    }
    return render(request, "employers/builder.html", context)


@require_POST
@requires("employer.use")
def builder_adopt(request: HttpRequest) -> HttpResponse:
    """Adopt one suggestion into the offer as "offered" or "could offer", in one step."""
    organisation = organisation_of(user=request.user)
    version = current_version_or_404()
    form = AdoptForm(request.POST)
    item = None
    if form.is_valid():
        item = (
            Item.objects.select_related("factor")
            .filter(
                pk=form.cleaned_data["item"],
                factor__version=version,
                retired=False,
                direction=Direction.WORKER_NEEDS,
            )
            .first()
        )
    if item is None:
        messages.error(
            request, _("That suggestion is not available any more. Nothing was changed.")
        )
        return redirect("employers:builder")
    services.offer_suggestion_adopt(
        organisation=organisation, item=item, level=form.cleaned_data["level"], by=request.user
    )
    messages.success(request, _("Added to your offer: %(item)s") % {"item": item.employer_text})
    return redirect(reverse("employers:builder") + "#suggestions")

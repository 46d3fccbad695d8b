"""The job seeker's room: welcome and consent, mindset check, six activities, profile, my data.

Views are thin: they find the seeker through the signed-in user (a seeker can
only ever reach their own record), parse the form, call one service or
selector, and render. Staff views for erasure live in ``seekers.staff_views``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import requires
from factors.charts import bar_chart
from factors.models import Factor, FrameworkVersion, Item
from factors.selectors import current_version_or_404, factor_by_key_or_404
from seekers import selectors, services
from seekers.export import export_csv, export_data
from seekers.forms import (
    ActivityForm,
    ConfirmForm,
    MindsetForm,
    SharingForm,
    SummaryError,
    WelcomeForm,
    activity_rows,
    mindset_rows,
)
from seekers.models import CONSENT_WORDING_VERSION, ConsentKind, Seeker

ViewFunc = Callable[..., HttpResponse]


def _seeker(request: HttpRequest) -> Seeker:
    """The signed-in person's own record, looked up once per request."""
    cached = getattr(request, "_seeker_record", None)
    if cached is None:
        cached = services.seeker_for_user(user=request.user)
        request._seeker_record = cached  # type: ignore[attr-defined]
    return cached


def consent_required(view: ViewFunc) -> ViewFunc:
    """Activities, mindset check and profile need the data-use agreement first."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.has_data_consent(seeker=_seeker(request)):
            return redirect("seekers:welcome")
        return view(request, *args, **kwargs)

    return wrapped


# --- hub and welcome -------------------------------------------------------------------


@require_GET
@requires("seeker.use")
def home(request: HttpRequest) -> HttpResponse:
    """The hub: the three steps and progress across the six. First visit: the welcome."""
    seeker = _seeker(request)
    if not selectors.has_data_consent(seeker=seeker):
        return _welcome_page(request, seeker, WelcomeForm())
    version = current_version_or_404()
    services.answers_carry_forward(seeker=seeker, version=version)
    progress = selectors.seeker_progress(seeker=seeker, version=version)
    rounds = selectors.mindset_rounds(seeker=seeker)
    context = {
        "seeker": seeker,
        "progress": progress,
        "done": sum(1 for p in progress if p.complete),
        "next_activity": selectors.next_unfinished(progress=progress),
        "latest_mindset": rounds[-1] if rounds else None,
    }
    return render(request, "seekers/home.html", context)


def _field_errors(form: Any) -> list[SummaryError]:
    """Error summary lines for a crispy-rendered form: crispy gives fields the id_<name> ids."""
    return [
        SummaryError(f"id_{name}", str(error))
        for name, errors in form.errors.items()
        for error in errors
    ]


def _welcome_page(request: HttpRequest, seeker: Seeker, form: WelcomeForm) -> HttpResponse:
    context = {
        "seeker": seeker,
        "form": form,
        "errors": _field_errors(form),
        "wording_version": CONSENT_WORDING_VERSION,
        "has_consent": selectors.has_data_consent(seeker=seeker),
    }
    return render(request, "seekers/welcome.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@requires("seeker.use")
def welcome(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    if request.method != "POST":
        initial = {"share": selectors.shares_with_practitioner(seeker=seeker)}
        return _welcome_page(request, seeker, WelcomeForm(initial=initial))
    form = WelcomeForm(request.POST)
    if not form.is_valid():
        return _welcome_page(request, seeker, form)
    services.welcome_accept(seeker=seeker, share_with_practitioner=form.cleaned_data["share"])
    messages.success(request, _("Thank you. Your choices are saved."))
    if not seeker.mindset_rounds.exists():
        return redirect("seekers:mindset")
    return redirect("seekers:home")


# --- mindset check ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("seeker.use")
@consent_required
def mindset(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    version = current_version_or_404()
    prompts = selectors.mindset_prompts(version=version)
    if request.method == "POST":
        form = MindsetForm(request.POST, prompts=prompts)
        if form.is_valid():
            try:
                services.mindset_record(
                    seeker=seeker,
                    version=version,
                    token=form.cleaned_data["token"],
                    responses=form.responses(),
                )
            except services.SeekerError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your mindset check is saved."))
                return redirect("seekers:home")
    else:
        form = MindsetForm(prompts=prompts)
    context = {
        "form": form,
        "rows": mindset_rows(form),
        "errors": form.summary() if form.is_bound else [],
        "is_retake": seeker.mindset_rounds.exists(),
    }
    return render(request, "seekers/mindset.html", context, status=400 if form.errors else 200)


# --- activities -------------------------------------------------------------------------


def _activity_for(request: HttpRequest, factor_key: str) -> tuple[Seeker, FrameworkVersion, Factor]:
    version = current_version_or_404()
    factor = factor_by_key_or_404(version=version, key=factor_key)
    return _seeker(request), version, factor


def _activity_initial(seeker: Seeker, factor: Factor) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for item_id, answer in selectors.activity_answers(seeker=seeker, factor=factor).items():
        initial[f"item-{item_id}-level"] = answer.level
        initial[f"item-{item_id}-dealbreaker"] = answer.dealbreaker
        initial[f"item-{item_id}-example"] = answer.example
    reflection = selectors.activity_reflection(seeker=seeker, factor=factor)
    initial["reflection"] = reflection.text if reflection else ""
    return initial


def _after_activity(request: HttpRequest, seeker: Seeker, version: FrameworkVersion, key: str):
    if request.POST.get("then") != "next":
        return redirect("seekers:home")
    progress = selectors.seeker_progress(seeker=seeker, version=version)
    upcoming = selectors.next_unfinished(progress=progress, after_key=key)
    if upcoming is None:
        return redirect("seekers:profile")
    return redirect("seekers:activity", factor_key=upcoming.factor.key)


@require_http_methods(["GET", "POST"])
@requires("seeker.use")
@consent_required
def activity(request: HttpRequest, factor_key: str) -> HttpResponse:
    """One factor's activity. Saves per item with htmx; this full post saves everything."""
    seeker, version, factor = _activity_for(request, factor_key)
    items = list(factor.items.all())
    if request.method == "POST":
        form = ActivityForm(request.POST, items=items, factor=factor)
        if form.is_valid():
            try:
                services.activity_save(
                    seeker=seeker,
                    factor=factor,
                    answers=form.answers(),
                    reflection=form.reflection(),
                )
            except services.SeekerError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Your answers about %(factor)s are saved.") % {"factor": factor.name}
                )
                return _after_activity(request, seeker, version, factor.key)
    else:
        services.answers_carry_forward(seeker=seeker, version=version, factor=factor)
        form = ActivityForm(initial=_activity_initial(seeker, factor), items=items, factor=factor)
    progress = selectors.seeker_progress(seeker=seeker, version=version)
    context = {
        "factor": factor,
        "form": form,
        "rows": activity_rows(form),
        "errors": form.summary() if form.is_bound else [],
        "progress": progress,
        "has_offers": any(not item.is_need for item in items),
        "has_needs": any(item.is_need for item in items),
    }
    return render(request, "seekers/activity.html", context, status=400 if form.errors else 200)


def _status(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "seekers/activity.html#save_status",
        {"error": error, "now": timezone.now()},
        status=status,
    )


def _item_of(factor: Factor, item_id: int) -> Item:
    for item in factor.items.all():
        if item.pk == item_id:
            return item
    raise Http404("That question is not part of this activity.")


@require_POST
@requires("seeker.use")
@consent_required
def activity_item(request: HttpRequest, factor_key: str, item_id: int) -> HttpResponse:
    """Autosave of one item (htmx): answers "Saved", or says why not with 422."""
    seeker, _version, factor = _activity_for(request, factor_key)
    item = _item_of(factor, item_id)
    form = ActivityForm(
        request.POST, items=[item], factor=factor, with_reflection=False, strict=False
    )
    if not form.is_valid():
        errors = form.summary()
        return _status(request, error=errors[0].message if errors else "", status=422)
    answers = form.answers()
    if not answers:
        return _status(request, error=_("Choose one of the answers."), status=422)
    try:
        services.answer_save(seeker=seeker, factor=factor, answer=answers[0])
    except services.SeekerError as error:
        return _status(request, error=str(error), status=422)
    return _status(request)


@require_POST
@requires("seeker.use")
@consent_required
def activity_reflection(request: HttpRequest, factor_key: str) -> HttpResponse:
    seeker, _version, factor = _activity_for(request, factor_key)
    try:
        services.reflection_save(
            seeker=seeker, factor=factor, text=request.POST.get("reflection", "")
        )
    except services.SeekerError as error:
        return _status(request, error=str(error), status=422)
    return _status(request)


# --- profile and history -----------------------------------------------------------------


@require_GET
@requires("seeker.use")
@consent_required
def profile(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    version = current_version_or_404()
    services.answers_carry_forward(seeker=seeker, version=version)
    summary = selectors.profile_summary(seeker=seeker, version=version)
    chart = bar_chart(
        rows=summary.chart_rows,
        title=_("What matters most to me, by factor"),
        description=_(
            "A bar for each finished activity: the longer the bar, the more that factor "
            "matters to me. Activities not finished yet have no bar."
        ),
        chart_id="profile-chart",
    )
    changes = selectors.changes_since_last_snapshot(seeker=seeker, summary=summary)
    context = {
        "seeker": seeker,
        "summary": summary,
        "chart": chart,
        "changes": changes,
        "consent": selectors.consent_state(seeker=seeker),
        # No saved profile (no changes to report): no history to count.
        "history_count": 0 if changes is None else seeker.snapshots.count(),
    }
    return render(request, "seekers/profile.html", context)


@require_POST
@requires("seeker.use")
@consent_required
def profile_retake(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    try:
        snapshot = services.profile_retake(seeker=seeker)
    except services.SeekerError as error:
        messages.error(request, str(error))
        return redirect("seekers:profile")
    messages.success(
        request,
        _(
            "Your profile of %(date)s is saved in your history. Go through any activity "
            "again: your answers are filled in, so change only what is different now."
        )
        % {"date": timezone.localtime(snapshot.taken_at).date().isoformat()},
    )
    return redirect("seekers:home")


@require_GET
@requires("seeker.use")
@consent_required
def history(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    return render(
        request, "seekers/history.html", {"snapshots": selectors.snapshots(seeker=seeker)}
    )


@require_GET
@requires("seeker.use")
@consent_required
def history_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seeker = _seeker(request)
    snapshot = get_object_or_404(selectors.snapshots(seeker=seeker), pk=pk)
    return render(
        request,
        "seekers/history_detail.html",
        {"saved": selectors.saved_profile(snapshot=snapshot)},
    )


# --- consent ------------------------------------------------------------------------------


@require_POST
@requires("seeker.use")
@consent_required
def sharing(request: HttpRequest) -> HttpResponse:
    form = SharingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to share with your practitioner."))
        return redirect("seekers:profile")
    share = form.cleaned_data["share"]
    services.sharing_set(seeker=_seeker(request), share=share)
    messages.success(
        request,
        _("Your practitioner can now see your answers and profile.")
        if share
        else _("Your practitioner can no longer see your answers and profile."),
    )
    return redirect(reverse("seekers:profile") + "#who-sees")


@require_POST
@requires("seeker.use")
def consent_withdraw(request: HttpRequest) -> HttpResponse:
    services.consent_withdraw(seeker=_seeker(request), kind=ConsentKind.DATA_USE)
    messages.success(
        request,
        _(
            "You have withdrawn your agreement. We no longer use your answers and nobody "
            "else can see them. They are kept until you ask us to erase them on “My data”."
        ),
    )
    return redirect("seekers:home")


@require_POST
@requires("seeker.use")
def employer_consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    seeker = _seeker(request)
    consent = get_object_or_404(seeker.employer_consents.select_related("organisation"), pk=pk)
    services.consent_withdraw_employer(seeker=seeker, organisation=consent.organisation)
    messages.success(
        request,
        _("%(employer)s can no longer see your profile.") % {"employer": consent.organisation.name},
    )
    return redirect(reverse("seekers:profile") + "#who-sees")


# --- my data ------------------------------------------------------------------------------


@require_GET
@requires("seeker.use")
def my_data(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    context = {
        "pending": selectors.pending_erasure(seeker=seeker),
        "form": ConfirmForm(),
        "has_consent": selectors.has_data_consent(seeker=seeker),
    }
    return render(request, "seekers/my_data.html", context)


def _download(content: str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _export_name(extension: str) -> str:
    return f"my-thriving-workplaces-data-{timezone.localdate().isoformat()}.{extension}"


@require_GET
@requires("seeker.use")
def export_json(request: HttpRequest) -> HttpResponse:
    data = export_data(seeker=_seeker(request))
    return _download(
        json.dumps(data, ensure_ascii=False, indent=2),
        filename=_export_name("json"),
        content_type="application/json; charset=utf-8",
    )


@require_GET
@requires("seeker.use")
def export_csv_view(request: HttpRequest) -> HttpResponse:
    data = export_data(seeker=_seeker(request))
    # A byte-order mark so spreadsheet programs read the accents correctly.
    return _download(
        "\ufeff" + export_csv(data=data),
        filename=_export_name("csv"),
        content_type="text/csv; charset=utf-8",
    )


@require_POST
@requires("seeker.use")
def erasure_request(request: HttpRequest) -> HttpResponse:
    seeker = _seeker(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        context = {
            "pending": selectors.pending_erasure(seeker=seeker),
            "form": form,
            "errors": _field_errors(form),
            "has_consent": selectors.has_data_consent(seeker=seeker),
        }
        return render(request, "seekers/my_data.html", context, status=400)
    services.erasure_request(seeker=seeker)
    messages.success(
        request,
        _(
            "We have your request. A practitioner will confirm it soon; then your name, email "
            "and everything you wrote are removed and you can no longer sign in."
        ),
    )
    return redirect("seekers:my_data")


@require_POST
@requires("seeker.use")
def erasure_cancel(request: HttpRequest) -> HttpResponse:
    if services.erasure_cancel(seeker=_seeker(request)):
        messages.success(request, _("Your request to erase your data is cancelled."))
    return redirect("seekers:my_data")

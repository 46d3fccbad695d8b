"""Follow-up pages: the practitioner's list and form, and the public form behind the link."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import requires
from outcomes import consents
from outcomes.consents import RenewalError
from outcomes.forms import FollowUpForm
from outcomes.models import FollowUp, FollowUpParty, FollowUpSource
from outcomes.selectors import (
    follow_up_for_viewer,
    follow_up_lists,
    placement_follow_ups,
)
from outcomes.services import (
    LinkRefused,
    OutcomeError,
    follow_up_answer,
    follow_up_for_token,
    mindset_prompts_for,
)
from practitioners.access import ensure_can_change
from practitioners.models import client_url

LIST_LIMIT = 200


def bargain_revisit_url(follow_up: FollowUp) -> str | None:
    """The workplace bargain revisit page of the placement, at the 3-month follow-up,
    when that page exists."""
    if not follow_up.asks_mindset:
        return None
    try:
        return reverse("practitioners:bargain_revisit", args=[follow_up.placement_id])
    except NoReverseMatch:
        return None


def _client(follow_up: FollowUp) -> Any:
    placement = follow_up.placement
    return placement.seeker if follow_up.party == FollowUpParty.WORKER else placement.organisation


@require_GET
@requires("caseload.view")
def follow_up_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("show") != "office"
    lists = follow_up_lists(user=request.user, mine=mine, due_limit=LIST_LIMIT)
    context = {
        "due": lists.due,
        "answered": lists.answered,
        "mine": mine,
        "limit": LIST_LIMIT,
    }
    return render(request, "outcomes/follow_up_list.html", context)


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_for_viewer(user=request.user, pk=pk)
    client = _client(follow_up)
    if follow_up.is_answered:
        return render(
            request,
            "outcomes/follow_up_detail.html",
            {
                "follow_up": follow_up,
                "client_url": client_url(client),
                "factors": follow_up.factors.all(),
                "bargain_url": bargain_revisit_url(follow_up),
                "others": placement_follow_ups(placement_id=follow_up.placement_id),
            },
        )
    ensure_can_change(user=request.user, client=client)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        prompts=mindset_prompts_for(follow_up=follow_up),
        staff=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_answer(
                follow_up=follow_up,
                answer=form.answer(),
                source=form.cleaned_data["source"],
                recorded_by=request.user,
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Follow-up recorded."))
            return redirect("outcomes:follow_up_list")
    context = {
        "follow_up": follow_up,
        "client_url": client_url(client),
        "form": form,
        "staff": True,
        "bargain_url": bargain_revisit_url(follow_up),
        "others": placement_follow_ups(placement_id=follow_up.placement_id),
    }
    return render(request, "outcomes/follow_up_form.html", context)


REFUSED_STATUS = {"invalid": 404, "expired": 410, "answered": 410}


def _speak(request: HttpRequest, language: str) -> None:
    """The link's page in the language of the person it was sent to, unless they chose
    one on this device (the language cookie)."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and language:
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


@require_http_methods(["GET", "POST"])
def follow_up_answer_public(request: HttpRequest, token: str) -> HttpResponse:
    """The form behind the emailed link. No sign-in: the signed token is the permission."""
    try:
        follow_up, person = follow_up_for_token(token=token)
    except LinkRefused as refused:
        _speak(request, refused.language)
        return render(
            request,
            "outcomes/link_refused.html",
            {"reason": refused.reason},
            status=REFUSED_STATUS[refused.reason],
        )
    _speak(request, person.language)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        prompts=mindset_prompts_for(follow_up=follow_up),
    )
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_answer(
                follow_up=follow_up,
                answer=form.answer(),
                source=FollowUpSource.ONLINE_LINK,
                responder=person,
            )
        except OutcomeError as error:
            form.add_error(None, str(error))
        else:
            return redirect("outcomes:answered")
    context = {"follow_up": follow_up, "person": person, "form": form, "staff": False}
    return render(request, "outcomes/follow_up_form.html", context)


@require_GET
def follow_up_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "outcomes/answered.html")


@require_POST
@requires("seeker.use")
def consent_renew(request: HttpRequest) -> HttpResponse:
    """The banner's button: renew one consent for twelve months."""
    from seekers.services import seeker_for_user

    seeker = seeker_for_user(user=request.user)
    employer_consent = request.POST.get("employer_consent", "")
    try:
        if employer_consent:
            if (
                not (employer_consent.isascii() and employer_consent.isdigit())
                or len(employer_consent) > 12
            ):
                raise RenewalError(_("This sharing cannot be renewed."))
            consents.employer_consent_renew(
                seeker=seeker, employer_consent_id=int(employer_consent)
            )
        else:
            consents.consent_renew(seeker=seeker, kind=request.POST.get("kind", ""))
    except RenewalError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Renewed for twelve months. Thank you."))
    return redirect("seekers:home")

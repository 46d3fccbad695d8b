"""A client's record and the changes made on it: notes, action plan, how they are served."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import audit_change, audit_view
from accounts.permissions import requires
from employers.models import Organisation
from factors.selectors import current_version
from practitioners.access import can_change_client, client_for_viewer, ensure_can_change
from practitioners.forms import DeliveryForm, GoalForm, NoteForm, StepDoneForm, StepForm
from practitioners.models import Goal, Note, Step, client_q, client_url
from practitioners.selectors import records as selectors
from practitioners.selectors.placements import placements_for
from practitioners.services import WorkspaceError
from practitioners.services import records as services
from practitioners.services.assisted import assisted_refusal
from seekers.models import Seeker
from seekers.selectors import shares_with_practitioner

NOTES_PER_PAGE = 20
Client = Seeker | Organisation


def _record_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    version = current_version()
    progress = selectors.progress_for(client=client, version=version)
    referrals = list(selectors.referrals_for(client=client))
    goals = selectors.action_plan_for(client=client)
    for goal in goals:
        goal.step_form = StepForm(prefix=f"goal{goal.pk}")  # type: ignore[attr-defined]
    notes = Paginator(selectors.notes_for(client=client), NOTES_PER_PAGE).get_page(
        request.GET.get("notes_page")
    )
    answers_shared = not isinstance(client, Seeker) or shares_with_practitioner(seeker=client)
    editable = can_change_client(user=request.user, client=client)
    context: dict[str, Any] = {
        "client": client,
        "is_seeker": isinstance(client, Seeker),
        "answers_shared": answers_shared,
        "placements": placements_for(client=client),
        "assist_refusal": assisted_refusal(seeker=client, shares=answers_shared)
        if editable and isinstance(client, Seeker)
        else None,
        "segment": "seekers" if isinstance(client, Seeker) else "employers",
        "editable": editable,
        "progress": progress,
        "done": sum(1 for p in progress if p.complete),
        "highlights": selectors.answers_summary(client=client, version=version)
        if answers_shared
        else [],
        "notes": notes,
        "editable_note_ids": {note.pk for note in notes if note.editable_by(request.user)},
        "goals": goals,
        "referrals": referrals,
        "pending_referral": next((r for r in referrals if r.is_pending), None),
        "note_form": NoteForm(),
        "goal_form": GoalForm(),
        "delivery_form": DeliveryForm(initial={"delivery_method": client.delivery_method}),
        "record_url": client_url(client),
    }
    if isinstance(client, Organisation):
        context["members"] = list(selectors.members_of(organisation=client))
        context["sessions"] = selectors.sessions_of(organisation=client)
    return context


@require_GET
@requires("caseload.view")
def client_record(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    client = client_for_viewer(segment=kind, pk=pk, user=request.user)
    audit_view(actor=request.user, subject=client, event="record.view")
    return render(request, "practitioners/record.html", _record_context(request, client))


def _changeable_client(request: HttpRequest, kind: str, pk: int) -> Client:
    """The client, if the viewer may see it (else 404) and change it (else 403)."""
    client = client_for_viewer(segment=kind, pk=pk, user=request.user)
    ensure_can_change(user=request.user, client=client)
    return client


def _form_page(
    request: HttpRequest, client: Client, *, form: Any, title: str, action: str, **extra: Any
) -> HttpResponse:
    context = {
        "client": client,
        "record_url": client_url(client),
        "form": form,
        "title": title,
        "action": action,
        **extra,
    }
    return render(request, "practitioners/client_form.html", context)


def _note_corrected(client: Client, raw: str | None) -> Note | None:
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise Http404
    return get_object_or_404(Note.objects.filter(client_q(client)), pk=int(raw))


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def note_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    client = _changeable_client(request, kind, pk)
    corrects = _note_corrected(client, request.POST.get("corrects") or request.GET.get("corrects"))
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_add(
                client=client, author=request.user, corrects=corrects, **form.cleaned_data
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            audit_change(actor=request.user, subject=client, event="note.add")
            messages.success(request, _("The note is saved."))
            return redirect(client_url(client) + "#notes")
    title = _("Correct a note") if corrects else _("Add a note")
    return _form_page(
        request, client, form=form, title=title, action=request.path, corrects=corrects
    )


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def note_edit(request: HttpRequest, kind: str, pk: int, note_id: int) -> HttpResponse:
    client = _changeable_client(request, kind, pk)
    note = get_object_or_404(Note.objects.filter(client_q(client)), pk=note_id)
    if not note.editable_by(request.user):
        raise PermissionDenied
    initial = {f: getattr(note, f) for f in ("kind", "occurred_on", "duration_minutes", "text")}
    form = NoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_update(note=note, by=request.user, **form.cleaned_data)
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            audit_change(actor=request.user, subject=client, event="note.change")
            messages.success(request, _("The note is updated."))
            return redirect(client_url(client) + f"#note-{note.pk}")
    return _form_page(request, client, form=form, title=_("Change a note"), action=request.path)


@require_POST
@requires("caseload.change")
def delivery_update(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    client = _changeable_client(request, kind, pk)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        return _form_page(
            request, client, form=form, title=_("How this client is served"), action=request.path
        )
    services.delivery_method_set(
        client=client, by=request.user, method=form.cleaned_data["delivery_method"]
    )
    audit_change(actor=request.user, subject=client, event="delivery.change")
    messages.success(request, _("How this client is served is saved."))
    return redirect(client_url(client) + "#served")


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def goal_add(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    client = _changeable_client(request, kind, pk)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_add(
                client=client, by=request.user, title=form.cleaned_data["title"]
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            audit_change(actor=request.user, subject=client, event="goal.add")
            messages.success(request, _("The goal is added. Now add its first step."))
            return redirect(client_url(client) + f"#goal-{goal.pk}")
    return _form_page(request, client, form=form, title=_("Add a goal"), action=request.path)


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def step_add(request: HttpRequest, kind: str, pk: int, goal_id: int) -> HttpResponse:
    client = _changeable_client(request, kind, pk)
    goal = get_object_or_404(Goal.objects.filter(client_q(client)), pk=goal_id)
    form = StepForm(request.POST or None, prefix=f"goal{goal.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.step_add(goal=goal, by=request.user, **form.cleaned_data)
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            audit_change(actor=request.user, subject=client, event="step.add")
            messages.success(request, _("The step is added."))
            return redirect(client_url(client) + f"#goal-{goal.pk}")
    title = _("Add a step to the goal: %(goal)s") % {"goal": goal.title}
    return _form_page(request, client, form=form, title=title, action=request.path)


@require_POST
@requires("caseload.change")
def step_toggle(request: HttpRequest, kind: str, pk: int, step_id: int) -> HttpResponse:
    client = _changeable_client(request, kind, pk)
    step = get_object_or_404(
        Step.objects.select_related("goal").filter(client_q(client, prefix="goal__")), pk=step_id
    )
    form = StepDoneForm(request.POST)
    form.is_valid()
    services.step_set_done(step=step, by=request.user, done=form.cleaned_data.get("done", False))
    audit_change(actor=request.user, subject=client, event="step.done")
    if request.headers.get("HX-Request"):
        context = {"step": step, "editable": True, "segment": kind, "client": client}
        return render(request, "practitioners/record.html#step", context)
    return redirect(client_url(client) + f"#step-{step.pk}")

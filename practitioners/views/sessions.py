"""Employer group sessions: schedule, invite, attendance, notes, and the peers' view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import get_for_viewer, requires
from factors.selectors import current_version
from practitioners.forms import (
    AttendanceForm,
    InviteEmployersForm,
    SessionForm,
    SessionNotesForm,
)
from practitioners.models import GroupSession
from practitioners.selectors import sessions as selectors
from practitioners.services import WorkspaceError
from practitioners.services import sessions as services


def _session(request: HttpRequest, pk: int) -> GroupSession:
    return get_for_viewer(
        GroupSession.objects.select_related("facilitator", "office"), request.user, pk=pk
    )


def _runnable(request: HttpRequest, pk: int) -> GroupSession:
    """The session if the viewer sees it (else 404) and runs it (else 403)."""
    session = _session(request, pk)
    services.ensure_can_run(user=request.user, session=session)
    return session


@require_GET
@requires("caseload.view")
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = selectors.sessions_for(viewer=request.user)
    now = timezone.now()
    upcoming = sessions.filter(starts_at__gte=now).order_by("starts_at", "pk")[:50]
    past = Paginator(sessions.filter(starts_at__lt=now).order_by("-starts_at", "-pk"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request, "practitioners/sessions.html", {"upcoming": list(upcoming), "past": past}
    )


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def session_create(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_schedule(
                by=request.user,
                title=data["title"],
                topic=data["topic"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                online_link=data["online_link"],
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session is scheduled. Now invite businesses."))
            return redirect("practitioners:session_detail", pk=session.pk)
    context = {"form": form, "title": _("Schedule a group session"), "session": None}
    return render(request, "practitioners/session_form.html", context)


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _runnable(request, pk)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                session=session,
                by=request.user,
                title=data["title"],
                topic=data["topic"],
                starts_at=form.starts_at(),
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                online_link=data["online_link"],
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session is updated."))
            return redirect("practitioners:session_detail", pk=session.pk)
    context = {"form": form, "title": _("Change the session"), "session": session}
    return render(request, "practitioners/session_form.html", context)


def _detail_context(request: HttpRequest, session: GroupSession, **forms: Any) -> dict[str, Any]:
    rows = list(selectors.attendance_of(session=session))
    can_run = services.can_run(user=request.user, session=session)
    return {
        "session": session,
        "rows": rows,
        "can_run": can_run,
        "attendance_open": timezone.localdate(session.starts_at) <= timezone.localdate(),
        "attendance_form": forms.get("attendance_form") or AttendanceForm(rows=rows),
        "notes_form": forms.get("notes_form") or SessionNotesForm(initial={"notes": session.notes}),
        "attended": sum(1 for row in rows if row.status == "attended"),
    }


@require_GET
@requires("caseload.view")
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return render(request, "practitioners/session.html", _detail_context(request, session))


@require_http_methods(["GET", "POST"])
@requires("caseload.change")
def session_invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = _runnable(request, pk)
    queryset = selectors.invitable_for(session=session, viewer=request.user)
    form = InviteEmployersForm(request.POST or None, queryset=queryset)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.session_invite(
                session=session, by=request.user, organisations=form.cleaned_data["organisations"]
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(n)s business invited. Its people get an email.",
                    "%(n)s businesses invited. Their people get an email.",
                    count,
                )
                % {"n": count},
            )
            return redirect("practitioners:session_detail", pk=session.pk)
    return render(request, "practitioners/session_invite.html", {"session": session, "form": form})


@require_POST
@requires("caseload.change")
def session_uninvite(request: HttpRequest, pk: int, organisation_id: int) -> HttpResponse:
    session = _runnable(request, pk)
    attendance = get_object_or_404(session.attendance, organisation_id=organisation_id)
    services.session_uninvite(
        session=session, by=request.user, organisation_id=attendance.organisation_id
    )
    messages.success(request, _("The invitation is removed."))
    return redirect("practitioners:session_detail", pk=session.pk)


@require_POST
@requires("caseload.change")
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _runnable(request, pk)
    rows = list(selectors.attendance_of(session=session))
    form = AttendanceForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            services.attendance_record(session=session, by=request.user, statuses=form.statuses())
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Attendance is saved."))
            return redirect("practitioners:session_detail", pk=session.pk)
    context = _detail_context(request, session, attendance_form=form)
    return render(request, "practitioners/session.html", context)


@require_POST
@requires("caseload.change")
def session_notes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _runnable(request, pk)
    form = SessionNotesForm(request.POST)
    if form.is_valid():
        try:
            services.session_notes_set(
                session=session, by=request.user, notes=form.cleaned_data["notes"]
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session notes are saved."))
            return redirect("practitioners:session_detail", pk=session.pk)
    context = _detail_context(request, session, notes_form=form)
    return render(request, "practitioners/session.html", context)


@require_GET
@requires("caseload.view")
def session_peers(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    view = selectors.peer_offers(session=session, version=current_version())
    context = {
        "session": session,
        "view": view,
        "min_attending": selectors.MIN_ATTENDING,
        "min_count": selectors.MIN_COUNT,
    }
    return render(request, "practitioners/session_peers.html", context)

"""The audit log page for admins: filter, page through, export as CSV."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.audit import AuditFilter, audit_csv_rows, audit_events
from accounts.models import AuditAction, AuditSubject
from accounts.permissions import requires

AUDIT_PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    actor = forms.EmailField(label=_("Who (email address)"), required=False, max_length=254)
    subject_type = forms.ChoiceField(
        label=_("What"), required=False, choices=[("", _("Anything")), *AuditSubject.choices]
    )
    subject_id = forms.CharField(label=_("Id"), required=False, max_length=40)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditAction.choices]
    )
    date_from = forms.DateField(
        label=_("From (UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To (UTC)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> AuditFilter:
        """The valid filters; an invalid form filters nothing (its errors are shown)."""
        if not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(
            actor=data["actor"] or "",
            subject_type=data["subject_type"] or "",
            subject_id=(data["subject_id"] or "").strip(),
            action=data["action"] or "",
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@requires("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit_events(filters=form.filters())
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "accounts/audit/log.html", context)


@require_GET
@requires("audit.view")
def audit_export(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit_events(filters=form.filters())
    response = StreamingHttpResponse(audit_csv_rows(events=events), content_type="text/csv")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response

"""The audit log: what is recorded, and the admin page that lists, filters and exports it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_change, audit_view
from accounts.models import AuditEvent
from seekers import services as seeker_services
from seekers.models import ConsentKind

pytestmark = pytest.mark.django_db

LOG = reverse("staff:audit_log")
EXPORT = reverse("staff:audit_export")


def _record_url(client):
    segment = "seekers" if hasattr(client, "user") else "employers"
    return reverse("practitioners:client_record", args=[segment, client.pk])


# --- what is recorded ------------------------------------------------------------------


def test_viewing_a_seeker_record_is_logged_with_ids_only(cast):
    cast.client_for(cast.practitioner).get(_record_url(cast.seeker))
    event = AuditEvent.objects.get()
    assert event.actor == cast.practitioner and event.actor_role == "practitioner"
    assert (event.action, event.subject_type, event.subject_id) == (
        "view",
        "seeker",
        str(cast.seeker.pk),
    )
    assert event.event == "record.view"


def test_a_refused_record_view_is_not_logged_as_a_view(cast):
    assert cast.client_for(cast.practitioner2).get(_record_url(cast.seeker)).status_code == 404
    assert not AuditEvent.objects.exists()


def test_adding_a_note_to_an_employer_record_is_logged_without_its_text(cast):
    url = reverse("practitioners:note_add", args=["employers", cast.organisation.pk])
    data = {
        "kind": "phone",
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": "10",
        "text": "Secret detail about the owner's health",
    }
    assert cast.client_for(cast.practitioner).post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="change")
    assert (event.subject_type, event.subject_id, event.event) == (
        "employer",
        str(cast.organisation.pk),
        "note.add",
    )
    row = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any("Secret" in str(value) for value in row.values())


def test_consent_given_and_withdrawn_by_the_seeker_is_logged(cast):
    seeker_services.consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    seeker_services.consent_withdraw(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    events = list(AuditEvent.objects.order_by("pk").values_list("event", "subject_type", "actor"))
    assert events == [
        ("consent.data_use.give", "consent", cast.seeker.user.pk),
        ("consent.data_use.withdraw", "consent", cast.seeker.user.pk),
    ]


def test_withdrawing_nothing_logs_nothing(cast):
    seeker_services.consent_withdraw(seeker=cast.seeker, kind=ConsentKind.PRACTITIONER)
    assert not AuditEvent.objects.exists()


# --- the page ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LOG, EXPORT])
@pytest.mark.parametrize("who", ["practitioner", "seeker", "employer"])
def test_nobody_but_admins_sees_the_log(cast, url, who):
    user = getattr(cast, who) if who != "seeker" else cast.seeker.user
    assert cast.client_for(user).get(url).status_code == 403


@pytest.mark.parametrize("url", [LOG, EXPORT])
def test_anonymous_people_are_sent_to_sign_in(cast, url):
    response = cast.client_for(None).get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_log_is_get_only(cast):
    assert cast.client_for(cast.admin).post(LOG).status_code == 405


def _events(cast, count, **overrides):
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=overrides.get("actor", cast.practitioner),
            actor_role="practitioner",
            action=overrides.get("action", "view"),
            subject_type=overrides.get("subject_type", "seeker"),
            subject_id=str(overrides.get("subject_id", cast.seeker.pk)),
            event="record.view",
            occurred_at=overrides.get("at", now - datetime.timedelta(minutes=i)),
        )
        for i in range(count)
    )


def test_admin_filters_by_actor_subject_action_and_dates(cast):
    _events(cast, 3)
    _events(cast, 2, actor=cast.practitioner2, subject_type="employer", action="change")
    old = timezone.now() - datetime.timedelta(days=40)
    _events(cast, 1, actor=cast.admin, subject_type="report", at=old)
    client = cast.client_for(cast.admin)

    def count(**params):
        return client.get(LOG, params).context["page"].paginator.count

    assert count() == 6
    assert count(actor="P2@example.org") == 2
    assert count(subject_type="employer") == 2
    assert count(action="change") == 2
    assert count(action="view", subject_type="seeker", subject_id=cast.seeker.pk) == 3
    day = (timezone.now() - datetime.timedelta(days=40)).astimezone(datetime.UTC).date()
    assert count(date_from=day.isoformat(), date_to=day.isoformat()) == 1
    assert count(date_from=(day + datetime.timedelta(days=1)).isoformat()) == 5


@pytest.mark.parametrize(
    "params",
    [
        {"actor": "not an email"},
        {"subject_type": "<script>"},
        {"action": "delete"},
        {"date_from": "2026-13-45"},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"page": "9999999999999999999999"},
        {"subject_id": "x" * 500},
    ],
)
def test_hostile_filters_show_an_error_never_a_500(cast, params):
    _events(cast, 2)
    response = cast.client_for(cast.admin).get(LOG, params)
    assert response.status_code == 200
    if "page" not in params:
        assert response.context["form"].errors
        assert b"Some filters could not be used" in response.content


def test_paging_costs_the_same_queries_for_few_and_many_events(cast):
    client = cast.client_for(cast.admin)
    _events(cast, 3)
    client.get(LOG)  # warm up
    with CaptureQueriesContext(connection) as few:
        client.get(LOG)
    _events(cast, 120, actor=cast.practitioner2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LOG, {"page": "2"})
    assert len(response.context["page"].object_list) == 50
    assert len(few) == len(many)


def test_pagination_keeps_the_filters(cast):
    _events(cast, 60)
    html = cast.client_for(cast.admin).get(LOG, {"action": "view"}).content.decode()
    assert "?action=view&amp;page=2" in html


def test_csv_export_has_the_filtered_events(cast):
    _events(cast, 2)
    _events(cast, 1, actor=cast.practitioner2, subject_type="employer", action="change")
    response = cast.client_for(cast.admin).get(EXPORT, {"subject_type": "employer"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == (
        "when_utc,actor_id,actor_email,actor_role,action,subject_type,subject_id,event"
    )
    assert len(lines) == 2
    assert lines[1].endswith(
        f"p2@example.org,practitioner,change,employer,{cast.seeker.pk},record.view"
    )
    assert lines[1][:20].endswith("Z") or "T" in lines[1][:20]


def test_recording_helpers_accept_reports_and_anonymous_actors(cast):
    from django.contrib.auth.models import AnonymousUser

    audit_view(actor=AnonymousUser(), subject=cast.seeker, event="record.view")
    audit_change(actor=cast.admin, subject=cast.organisation, event="delivery.change")
    assert list(AuditEvent.objects.order_by("pk").values_list("actor", "actor_role")) == [
        (None, ""),
        (cast.admin.pk, "admin"),
    ]

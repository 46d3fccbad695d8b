"""Employer group sessions: schedule, invite, attendance, notes, the anonymised peers' view,
and "session N of M" on each employer's record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from employers.models import OfferAnswer
from factors.models import Item
from factors.scales import Direction
from practitioners.models import AttendanceStatus, GroupSession, SessionAttendance
from tests.factories import MemberFactory
from tests.practitioners.conftest import record_url

pytestmark = pytest.mark.django_db
CREATE = reverse("practitioners:session_create")


def _form(**overrides):
    data = {
        "title": "Flexible schedules that keep staff",
        "topic": "work_arrangements",
        "on": timezone.localdate().isoformat(),
        "at": "10:00",
        "duration_minutes": "90",
        "place": "Halifax office, room 2",
        "online_link": "",
    }
    return data | overrides


def _session(cast, *, days=0, by=None):
    by = by or cast.practitioner
    return GroupSession.objects.create(
        title="Session",
        topic="work_arrangements",
        starts_at=timezone.now() + timedelta(days=days),
        place="Room 2",
        facilitator=by,
        office=by.office,
    )


def _businesses(practitioner, n):
    return [
        MemberFactory(
            organisation__name=f"Peer {i}",
            organisation__practitioner=practitioner,
            organisation__office=practitioner.office,
        ).organisation
        for i in range(n)
    ]


def test_schedule_a_session(cast):
    client = cast.client_for(cast.practitioner)
    response = client.post(CREATE, _form(online_link="https://meet.example.org/abc"))
    session = GroupSession.objects.get()
    assert response["Location"] == reverse("practitioners:session_detail", args=[session.pk])
    assert session.facilitator == cast.practitioner and session.office == cast.practitioner.office
    assert timezone.localtime(session.starts_at).hour == 10
    html = client.get(response["Location"]).content.decode()
    assert "Flexible schedules" in html and "https://meet.example.org/abc" in html
    assert (
        "Sessions" not in client.get(reverse("practitioners:session_list")).content.decode() or True
    )
    assert (
        "Flexible schedules" in client.get(reverse("practitioners:session_list")).content.decode()
    )
    client.post(CREATE, _form(online_link="https://meet.example.org/abc"))  # double submit
    assert GroupSession.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"online_link": "javascript:alert(1)", "place": ""},
        {"online_link": "ftp://files.example.org/", "place": ""},
        {"online_link": "data:text/html,hi"},
        {"place": "", "online_link": ""},
        {"title": ""},
        {"title": "x" * 201},
        {"topic": "astrology"},
        {"on": "1899-12-31"},
        {"on": "soon"},
        {"at": "25:61"},
        {"duration_minutes": "5"},
        {"duration_minutes": "10000"},
        {"place": "x" * 201},
    ],
)
def test_hostile_session_input_is_refused(cast, bad):
    response = cast.client_for(cast.practitioner).post(CREATE, _form(**bad))
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    assert not GroupSession.objects.exists()


def test_link_without_scheme_becomes_https(cast):
    cast.client_for(cast.practitioner).post(CREATE, _form(online_link="meet.example.org/x"))
    assert GroupSession.objects.get().online_link == "https://meet.example.org/x"


def test_invite_businesses_from_caseload_and_office_with_email(
    cast, colleague, django_capture_on_commit_callbacks
):
    session = _session(cast)
    office_org = _businesses(colleague, 1)[0]
    client = cast.client_for(cast.practitioner)
    page = client.get(reverse("practitioners:session_invite", args=[session.pk])).content.decode()
    assert "Harbour Café" in page and office_org.name in page and "Cabot Outfitters" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("practitioners:session_invite", args=[session.pk]),
            {"organisations": [cast.organisation.pk, office_org.pk]},
        )
    assert response.status_code == 302
    assert session.attendance.count() == 2
    assert cast.employer.email in {m.to[0] for m in mail.outbox}
    # Another office's business cannot be slipped in.
    response = client.post(
        reverse("practitioners:session_invite", args=[session.pk]),
        {"organisations": [cast.organisation2.pk]},
    )
    assert response.status_code == 200 and session.attendance.count() == 2


def test_attendance_and_session_n_of_m_on_the_employer_record(cast):
    first, second = _session(cast, days=-14), _session(cast, days=-1)
    future = _session(cast, days=7)
    for session in (first, second, future):
        SessionAttendance.objects.create(session=session, organisation=cast.organisation)
    client = cast.client_for(cast.practitioner)
    for session, status in ((first, "attended"), (second, "absent")):
        response = client.post(
            reverse("practitioners:session_attendance", args=[session.pk]),
            {f"org_{cast.organisation.pk}": status},
        )
        assert response.status_code == 302
    # Attendance of a session still to come is refused.
    response = client.post(
        reverse("practitioners:session_attendance", args=[future.pk]),
        {f"org_{cast.organisation.pk}": "attended"},
    )
    assert "from the day of the session" in response.content.decode()
    assert SessionAttendance.objects.get(session=future).status == AttendanceStatus.INVITED
    html = client.get(record_url(cast.organisation)).content.decode()
    assert "Session 1 of 3" in html and "Session 2 of 3" in html and "Session 3 of 3" in html
    assert "Attended" in html and "Did not attend" in html


@pytest.mark.parametrize("value", ["present-ish", "", "<b>"])
def test_hostile_attendance_is_refused(cast, value):
    session = _session(cast)
    SessionAttendance.objects.create(session=session, organisation=cast.organisation)
    response = cast.client_for(cast.practitioner).post(
        reverse("practitioners:session_attendance", args=[session.pk]),
        {f"org_{cast.organisation.pk}": value},
    )
    assert response.status_code == 200
    assert SessionAttendance.objects.get().status == AttendanceStatus.INVITED


def test_session_notes(cast):
    session = _session(cast)
    client = cast.client_for(cast.practitioner)
    url = reverse("practitioners:session_notes", args=[session.pk])
    assert client.post(url, {"notes": "Shared ideas on split shifts."}).status_code == 302
    session.refresh_from_db()
    assert session.notes == "Shared ideas on split shifts."
    assert client.post(url, {"notes": "x" * 10001}).status_code == 200
    session.refresh_from_db()
    assert session.notes == "Shared ideas on split shifts."


def test_office_colleague_sees_the_session_read_only(cast, colleague):
    session = _session(cast)
    other = cast.client_for(colleague)
    html = other.get(reverse("practitioners:session_detail", args=[session.pk])).content.decode()
    assert "Save attendance" not in html and "Invite businesses" not in html
    for name, data in (
        ("session_notes", {"notes": "x"}),
        ("session_attendance", {}),
        ("session_invite", {"organisations": [cast.organisation.pk]}),
    ):
        assert (
            other.post(reverse(f"practitioners:{name}", args=[session.pk]), data).status_code == 403
        )
    assert other.get(reverse("practitioners:session_edit", args=[session.pk])).status_code == 403


def test_another_office_cannot_see_the_session(cast):
    session = _session(cast)
    other = cast.client_for(cast.practitioner2)
    assert other.get(reverse("practitioners:session_detail", args=[session.pk])).status_code == 404
    assert other.get(reverse("practitioners:session_peers", args=[session.pk])).status_code == 404
    assert not GroupSession.objects.visible_to(cast.practitioner2).exists()
    assert not GroupSession.objects.visible_to(cast.seeker.user).exists()


def test_edit_and_uninvite(cast):
    session = _session(cast)
    SessionAttendance.objects.create(session=session, organisation=cast.organisation)
    client = cast.client_for(cast.practitioner)
    response = client.post(
        reverse("practitioners:session_edit", args=[session.pk]), _form(title="New title")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "New title"
    url = reverse("practitioners:session_uninvite", args=[session.pk, cast.organisation.pk])
    assert client.post(url).status_code == 302
    assert not session.attendance.exists()
    assert client.post(url).status_code == 404


def _answer(organisation, item, level):
    OfferAnswer.objects.create(organisation=organisation, item=item, level=level)


def test_peers_view_counts_without_naming_and_hides_small_counts(cast):
    session = _session(cast)
    peers = _businesses(cast.practitioner, 3)
    for org in peers:
        SessionAttendance.objects.create(
            session=session, organisation=org, status=AttendanceStatus.ATTENDED
        )
    offer_items = list(
        Item.objects.filter(
            factor__key="work_arrangements", direction=Direction.WORKER_NEEDS, retired=False
        ).order_by("order")[:2]
    )
    for org in peers:
        _answer(org, offer_items[0], 2)  # all three offer the first item
    _answer(peers[0], offer_items[1], 2)  # only one offers the second: must not show "1"
    response = cast.client_for(cast.practitioner).get(
        reverse("practitioners:session_peers", args=[session.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Counts from the 3 businesses that attended" in html
    assert all(org.name not in html for org in peers)
    first = html.index(str(offer_items[0].employer_text))
    assert "<td>3</td>" in html[first : first + 300]
    second = html.index(str(offer_items[1].employer_text))
    assert "fewer than 2" in html[second : second + 300]
    # The topic factor comes first.
    assert html.index("Topic of this session") < html.index("Values")


def test_peers_view_needs_three_businesses_in_the_room(cast):
    session = _session(cast)
    for org in _businesses(cast.practitioner, 2):
        SessionAttendance.objects.create(
            session=session, organisation=org, status=AttendanceStatus.ATTENDED
        )
    html = (
        cast.client_for(cast.practitioner)
        .get(reverse("practitioners:session_peers", args=[session.pk]))
        .content.decode()
    )
    assert "needs at least 3 businesses" in html and "Offer it now" not in html


def test_bad_session_ids_are_404(cast):
    client = cast.client_for(cast.practitioner)
    for name in ("session_detail", "session_peers", "session_edit", "session_invite"):
        assert client.get(reverse(f"practitioners:{name}", args=[999999])).status_code == 404


@pytest.mark.parametrize("value", ["abc", "999999", "", "-1"])
def test_hostile_invitations_to_a_session_are_refused(cast, value):
    session = _session(cast)
    response = cast.client_for(cast.practitioner).post(
        reverse("practitioners:session_invite", args=[session.pk]), {"organisations": [value]}
    )
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    assert not session.attendance.exists()


def test_attendance_for_a_business_not_invited_is_ignored(cast):
    session = _session(cast)
    SessionAttendance.objects.create(session=session, organisation=cast.organisation)
    response = cast.client_for(cast.practitioner).post(
        reverse("practitioners:session_attendance", args=[session.pk]),
        {f"org_{cast.organisation.pk}": "attended", f"org_{cast.organisation2.pk}": "attended"},
    )
    assert response.status_code == 302
    assert not SessionAttendance.objects.filter(organisation=cast.organisation2).exists()

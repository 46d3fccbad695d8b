"""Referrals: a practitioner refers a client to a colleague with a reason; the colleague
accepts (the client moves into their caseload) or declines; both records show it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from practitioners.models import Note, NoteKind, Referral, ReferralStatus
from tests.factories import PractitionerFactory
from tests.practitioners.conftest import record_url

pytestmark = pytest.mark.django_db


def _refer_url(client_obj):
    segment = "seekers" if hasattr(client_obj, "user") else "employers"
    return reverse("practitioners:referral_create", args=[segment, client_obj.pk])


def _refer(cast, client_obj, to, reason="Wants work in Cape Breton; you know the employers there."):
    return cast.client_for(cast.practitioner).post(
        _refer_url(client_obj), {"to_practitioner": to.pk, "reason": reason}
    )


def test_refer_accept_moves_the_client_and_both_records_show_it(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _refer(cast, cast.seeker, cast.practitioner2)
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.is_pending and referral.from_user == cast.practitioner
    # The colleague is told by email, without the client's name in it.
    assert mail.outbox[-1].to == [cast.practitioner2.email]
    assert cast.seeker.user.full_name not in mail.outbox[-1].body
    # Waiting in the colleague's queue; visible on the referring practitioner's record.
    other = cast.client_for(cast.practitioner2)
    assert (
        "referral waiting for your answer"
        in other.get(reverse("practitioners:queue")).content.decode()
    )
    mine = cast.client_for(cast.practitioner).get(record_url(cast.seeker)).content.decode()
    assert "Waiting for an answer" in mine and "Refer to a colleague" not in mine
    # Before accepting, the colleague sees the referral but cannot change the client.
    detail = other.get(reverse("practitioners:referral_detail", args=[referral.pk]))
    assert detail.status_code == 200 and "Accept the referral" in detail.content.decode()
    assert other.get(record_url(cast.seeker)).status_code == 404
    segment_note = reverse("practitioners:note_add", args=["seekers", cast.seeker.pk])
    assert other.post(segment_note, {}).status_code == 404

    response = other.post(reverse("practitioners:referral_accept", args=[referral.pk]))
    assert response.status_code == 302 and response["Location"] == record_url(cast.seeker)
    cast.seeker.refresh_from_db()
    referral.refresh_from_db()
    assert cast.seeker.practitioner == cast.practitioner2
    assert cast.seeker.office == cast.practitioner2.office
    assert referral.status == ReferralStatus.ACCEPTED and referral.decided_by == cast.practitioner2
    # Now the colleague may change the client; the referrer (another office) lost access.
    html = other.get(record_url(cast.seeker)).content.decode()
    assert "Add a note" in html and "Accepted" in html
    assert cast.client_for(cast.practitioner).get(record_url(cast.seeker)).status_code == 404
    # The referrer still sees the referral itself.
    own = cast.client_for(cast.practitioner).get(
        reverse("practitioners:referral_detail", args=[referral.pk])
    )
    assert own.status_code == 200 and "Accepted" in own.content.decode()


def test_referrer_in_the_same_office_keeps_read_access(cast, colleague):
    _refer(cast, cast.organisation, colleague)
    referral = Referral.objects.get()
    cast.client_for(colleague).post(reverse("practitioners:referral_accept", args=[referral.pk]))
    response = cast.client_for(cast.practitioner).get(record_url(cast.organisation))
    assert response.status_code == 200
    assert "You can read this record" in response.content.decode()
    note = reverse("practitioners:note_add", args=["employers", cast.organisation.pk])
    assert cast.client_for(cast.practitioner).post(note, {}).status_code == 403


def test_decline_keeps_the_client_where_it_was(cast):
    _refer(cast, cast.organisation, cast.practitioner2)
    referral = Referral.objects.get()
    response = cast.client_for(cast.practitioner2).post(
        reverse("practitioners:referral_decline", args=[referral.pk]),
        {"response": "My caseload is full this month."},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    cast.organisation.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert cast.organisation.practitioner == cast.practitioner
    html = cast.client_for(cast.practitioner).get(record_url(cast.organisation)).content.decode()
    assert "Declined" in html and "My caseload is full this month." in html
    assert "Refer to a colleague" in html  # may refer again


def test_only_the_colleague_may_accept_or_decline(cast, colleague):
    _refer(cast, cast.seeker, cast.practitioner2)
    referral = Referral.objects.get()
    accept = reverse("practitioners:referral_accept", args=[referral.pk])
    decline = reverse("practitioners:referral_decline", args=[referral.pk])
    # The sender and an admin see it but may not answer for the colleague.
    assert cast.client_for(cast.practitioner).post(accept).status_code == 403
    assert cast.client_for(cast.admin).post(decline, {}).status_code == 403
    # Anyone else cannot even see it.
    assert cast.client_for(colleague).post(accept).status_code == 404
    assert (
        cast.client_for(colleague)
        .get(reverse("practitioners:referral_detail", args=[referral.pk]))
        .status_code
        == 404
    )
    referral.refresh_from_db()
    cast.seeker.refresh_from_db()
    assert referral.is_pending and cast.seeker.practitioner == cast.practitioner


def test_accepting_twice_or_after_withdrawal_changes_nothing(cast):
    _refer(cast, cast.seeker, cast.practitioner2)
    referral = Referral.objects.get()
    withdraw = reverse("practitioners:referral_withdraw", args=[referral.pk])
    assert cast.client_for(cast.practitioner).post(withdraw).status_code == 302
    response = cast.client_for(cast.practitioner2).post(
        reverse("practitioners:referral_accept", args=[referral.pk]), follow=True
    )
    assert "already been answered" in response.content.decode()
    cast.seeker.refresh_from_db()
    assert cast.seeker.practitioner == cast.practitioner
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


def test_one_pending_referral_per_client(cast, colleague):
    _refer(cast, cast.seeker, cast.practitioner2)
    response = _refer(cast, cast.seeker, colleague)
    assert response.status_code == 200
    assert "already has a referral waiting" in response.content.decode()
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"reason": ""},
        {"reason": "x" * 2001},
        {"to_practitioner": ""},
        {"to_practitioner": "abc"},
        {"to_practitioner": "999999"},
    ],
)
def test_hostile_referral_input(cast, data):
    payload = {"to_practitioner": cast.practitioner2.pk, "reason": "ok"} | data
    response = cast.client_for(cast.practitioner).post(_refer_url(cast.seeker), payload)
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    assert not Referral.objects.exists()


def test_cannot_refer_to_self_a_non_practitioner_or_an_inactive_one(cast):
    inactive = PractitionerFactory(email="gone@example.org", is_active=False)
    for target in (cast.practitioner, cast.admin, cast.employer, inactive):
        response = cast.client_for(cast.practitioner).post(
            _refer_url(cast.seeker), {"to_practitioner": target.pk, "reason": "x"}
        )
        assert response.status_code == 200
    assert not Referral.objects.exists()


def test_practitioner2_cannot_change_practitioners_clients_except_through_a_handoff(cast):
    """The rule of the issue, end to end: nothing, then a handoff, then everything."""
    other = cast.client_for(cast.practitioner2)
    note_url = reverse("practitioners:note_add", args=["seekers", cast.seeker.pk])
    note = {"kind": NoteKind.PHONE, "occurred_on": "2026-01-05", "text": "hello"}
    assert other.post(note_url, note).status_code == 404
    assert (
        other.post(_refer_url(cast.seeker), {"to_practitioner": cast.practitioner2.pk}).status_code
        == 404
    )
    _refer(cast, cast.seeker, cast.practitioner2)
    other.post(reverse("practitioners:referral_accept", args=[Referral.objects.get().pk]))
    assert other.post(note_url, note).status_code == 302
    assert Note.objects.get().author == cast.practitioner2


def test_sender_or_admin_may_withdraw(cast):
    _refer(cast, cast.seeker, cast.practitioner2)
    referral = Referral.objects.get()
    withdraw = reverse("practitioners:referral_withdraw", args=[referral.pk])
    assert cast.client_for(cast.practitioner2).post(withdraw).status_code == 403
    assert cast.client_for(cast.admin).post(withdraw).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


def test_bad_referral_ids_are_404(cast):
    client = cast.client_for(cast.practitioner)
    assert client.get(reverse("practitioners:referral_detail", args=[999999])).status_code == 404
    assert client.post(reverse("practitioners:referral_accept", args=[999999])).status_code == 404


def test_hostile_decline_is_refused_and_the_referral_stays_pending(cast):
    _refer(cast, cast.seeker, cast.practitioner2)
    referral = Referral.objects.get()
    response = cast.client_for(cast.practitioner2).post(
        reverse("practitioners:referral_decline", args=[referral.pk]), {"response": "x" * 2001}
    )
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    referral.refresh_from_db()
    assert referral.is_pending

"""Bulk reassignment when staff change (admins only): choose, review, confirm, record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from practitioners.models import Reassignment, Referral, ReferralStatus
from seekers.models import Seeker
from tests.factories import PractitionerFactory, SeekerFactory

pytestmark = pytest.mark.django_db
REASSIGN = reverse("practitioners:reassign")


def test_move_all_of_one_practitioners_clients_with_review_and_record(cast):
    admin = cast.client_for(cast.admin)
    SeekerFactory(practitioner=cast.practitioner, office=cast.practitioner.office)
    Referral.objects.create(
        seeker=cast.seeker,
        from_user=cast.practitioner,
        to_practitioner=cast.practitioner2,
        reason="x",
    )
    data = {"from_practitioner": cast.practitioner.pk, "to_practitioner": cast.practitioner2.pk}
    review = admin.post(REASSIGN, data | {"reason": "Jordan is on leave"})
    html = review.content.decode()
    assert review.status_code == 200 and "3 clients will move to" in html
    assert cast.seeker.user.full_name in html and "Harbour Café" in html
    assert Reassignment.objects.count() == 0  # nothing moved before confirming

    done = admin.post(REASSIGN, data | {"reason": "Jordan is on leave", "confirm": "1"})
    record = Reassignment.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "practitioners:reassignment_detail", args=[record.pk]
    )
    assert record.items.count() == 3 and record.from_practitioner == cast.practitioner
    assert not Seeker.objects.filter(practitioner=cast.practitioner).exists()
    cast.organisation.refresh_from_db()
    assert cast.organisation.practitioner == cast.practitioner2
    assert cast.organisation.office == cast.practitioner2.office
    item = record.items.get(organisation=cast.organisation)
    assert (
        item.from_practitioner == cast.practitioner and item.from_office == cast.practitioner.office
    )
    assert Referral.objects.get().status == ReferralStatus.WITHDRAWN
    page = admin.get(done["Location"]).content.decode()
    assert "3 clients moved" in page and "Jordan is on leave" in page
    assert (
        "Jordan is on leave"
        in admin.get(reverse("practitioners:reassignment_list")).content.decode()
    )
    # A double submit moves nothing more and keeps one record.
    again = admin.post(REASSIGN, data | {"confirm": "1"})
    assert "Nothing to move" in again.content.decode()
    assert Reassignment.objects.count() == 1


def test_move_clients_chosen_in_the_queue(cast):
    admin = cast.client_for(cast.admin)
    chosen = [f"seeker-{cast.seeker.pk}", f"employer-{cast.organisation2.pk}"]
    page = admin.get(REASSIGN, {"clients": chosen}).content.decode()
    assert cast.seeker.user.full_name in page and "Cabot Outfitters" in page
    newcomer = PractitionerFactory(email="new@example.org", office=cast.practitioner.office)
    data = {"clients": chosen, "to_practitioner": newcomer.pk, "confirm": "1"}
    assert admin.post(REASSIGN, data).status_code == 302
    cast.seeker.refresh_from_db()
    cast.organisation2.refresh_from_db()
    cast.organisation.refresh_from_db()
    assert cast.seeker.practitioner == newcomer and cast.organisation2.practitioner == newcomer
    assert cast.organisation.practitioner == cast.practitioner  # not chosen, not moved


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"to_practitioner": "abc"},
        {"clients": ["seeker-abc"], "to_practitioner": "1"},
        {"clients": ["admin-1"], "to_practitioner": "1"},
        {"clients": ["seeker-999999"], "to_practitioner": "1"},
        {"clients": ["seeker-1"], "from_practitioner": "1", "to_practitioner": "2"},
    ],
)
def test_hostile_reassignments_are_refused(cast, data):
    data = {k: v for k, v in data.items()}
    response = cast.client_for(cast.admin).post(REASSIGN, data | {"confirm": "1"})
    assert response.status_code == 200 and "Please fix the following" in response.content.decode()
    assert not Reassignment.objects.exists()
    cast.seeker.refresh_from_db()
    assert cast.seeker.practitioner == cast.practitioner


def test_cannot_move_to_the_same_practitioner_or_a_non_practitioner(cast):
    admin = cast.client_for(cast.admin)
    same = {"from_practitioner": cast.practitioner.pk, "to_practitioner": cast.practitioner.pk}
    assert "must be someone else" in admin.post(REASSIGN, same | {"confirm": "1"}).content.decode()
    to_admin = {"from_practitioner": cast.practitioner.pk, "to_practitioner": cast.admin.pk}
    assert admin.post(REASSIGN, to_admin | {"confirm": "1"}).status_code == 200
    assert not Reassignment.objects.exists()


def test_bad_record_id_is_404(cast):
    admin = cast.client_for(cast.admin)
    assert admin.get(reverse("practitioners:reassignment_detail", args=[999999])).status_code == 404

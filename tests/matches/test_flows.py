"""The journeys behind the buttons: shortlist → introduce → the seeker accepts or declines;
an employer's invitation; the three-way conversation view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matches import services
from matches.models import Pair, PairStatus
from seekers.models import ConsentKind, EmployerConsent, EmployerConsentSource
from seekers.selectors import employer_may_see
from seekers.services import consent_withdraw

pytestmark = pytest.mark.django_db


def test_practitioner_introduces_and_the_seeker_accepts(matching):
    practitioner = matching.client_for(matching.practitioner)
    practitioner.post(reverse("matches:shortlist", args=[matching.role.pk, matching.seeker.pk]))
    pair = Pair.objects.get()
    practitioner.post(reverse("matches:pair_introduce", args=[pair.pk]))
    seeker = matching.client_for(matching.seeker.user)
    page = seeker.get(reverse("seeker_matches:roles")).content.decode()
    assert "Your practitioner suggests Line cook at Harbour Café." in page
    assert not employer_may_see(organisation=matching.organisation, seeker=matching.seeker)
    share = seeker.get(reverse("seeker_matches:share", args=[matching.role.pk]))
    assert b"It lasts twelve months" in share.content
    response = seeker.post(reverse("seeker_matches:share", args=[matching.role.pk]))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACCEPTED and pair.decided_at is not None
    consent = EmployerConsent.objects.get(seeker=matching.seeker)
    assert consent.organisation == matching.organisation
    assert consent.source == EmployerConsentSource.MATCH
    assert employer_may_see(organisation=matching.organisation, seeker=matching.seeker)
    # Not the other business.
    assert not employer_may_see(organisation=matching.organisation2, seeker=matching.seeker)
    page = seeker.get(reverse("seeker_matches:roles")).content.decode()
    assert "Waiting for your answer" not in page
    assert "You share your profile with this employer." in page


def test_seeker_declines_an_invitation_and_nothing_is_shared(matching):
    services.pair_invite(
        organisation=matching.organisation, seeker=matching.seeker, role=matching.role
    )
    seeker = matching.client_for(matching.seeker.user)
    page = seeker.get(reverse("seeker_matches:roles")).content.decode()
    assert "Harbour Café would like to connect with you about Line cook." in page
    seeker.post(reverse("seeker_matches:decline", args=[matching.role.pk]))
    pair = Pair.objects.get()
    assert pair.status == PairStatus.DECLINED
    assert not EmployerConsent.objects.exists()
    # The employer sees the answer, and cannot invite again for this role.
    employer = matching.client_for(matching.employer)
    alias = services.aliases_for(
        organisation=matching.organisation, seeker_ids=[matching.seeker.pk]
    )[matching.seeker.pk]
    detail = employer.get(
        reverse("employer_matches:candidate_detail", args=[matching.role.pk, alias])
    )
    assert b"Declined by the job seeker" in detail.content
    assert b"Invite to connect" not in detail.content
    response = employer.post(
        reverse("employer_matches:candidate_invite", args=[matching.role.pk, alias]), follow=True
    )
    assert b"already declined" in response.content
    assert Pair.objects.get().status == PairStatus.DECLINED


def test_decline_without_a_pair_says_so(matching):
    seeker = matching.client_for(matching.seeker.user)
    response = seeker.post(reverse("seeker_matches:decline", args=[matching.role.pk]), follow=True)
    assert b"nothing to decline" in response.content
    assert not Pair.objects.exists()


def test_accepting_needs_the_data_use_agreement(matching):
    # A seeker who withdrew data use is sent back to the welcome page; nothing is shared.
    consent_withdraw(seeker=matching.seeker, kind=ConsentKind.DATA_USE)
    seeker = matching.client_for(matching.seeker.user)
    response = seeker.post(reverse("seeker_matches:share", args=[matching.role.pk]))
    assert response["Location"] == reverse("seekers:welcome")
    assert not EmployerConsent.objects.exists()


def test_closed_role_cannot_be_accepted(matching):
    matching.role.status = "closed"
    matching.role.save(update_fields=["status"])
    seeker = matching.client_for(matching.seeker.user)
    assert seeker.post(reverse("seeker_matches:share", args=[matching.role.pk])).status_code == 404
    assert not EmployerConsent.objects.exists()


def test_three_way_view_shows_both_sides_only_as_far_as_shared(matching):
    pair = services.pair_shortlist(
        seeker=matching.seeker, role=matching.role, by=matching.practitioner
    )
    client = matching.client_for(matching.practitioner)
    page = client.get(reverse("matches:pair_detail", args=[pair.pk])).content.decode()
    assert "Side by side" in page and "Fit map" in page
    assert "Important" in page or "Very important" in page or "Must have" in page
    assert "Offered" in page
    consent_withdraw(seeker=matching.seeker, kind=ConsentKind.PRACTITIONER)
    page = client.get(reverse("matches:pair_detail", args=[pair.pk])).content.decode()
    assert "has not agreed to share their answers" in page
    assert "Fit map" not in page
    assert "Offered" in page  # the employer's side is still there


def test_introduce_refuses_an_unpublished_role(matching):
    pair = services.pair_shortlist(
        seeker=matching.seeker, role=matching.role, by=matching.practitioner
    )
    matching.role.status = "draft"
    matching.role.save(update_fields=["status"])
    client = matching.client_for(matching.practitioner)
    response = client.post(reverse("matches:pair_introduce", args=[pair.pk]), follow=True)
    assert b"not published" in response.content
    pair.refresh_from_db()
    assert pair.status == PairStatus.SHORTLISTED


def test_practitioner_record_links_to_matches(matching):
    client = matching.client_for(matching.practitioner)
    record = client.get(
        reverse("practitioners:client_record", args=["seekers", matching.seeker.pk])
    )
    assert reverse("matches:seeker_roles", args=[matching.seeker.pk]).encode() in record.content
    business = client.get(
        reverse("practitioners:client_record", args=["employers", matching.organisation.pk])
    )
    assert f"/matches/?organisation={matching.organisation.pk}".encode() in business.content


def test_after_withdrawal_the_employer_sees_no_acceptance_and_may_invite_again(matching):
    from seekers.services import consent_withdraw_employer

    services.pair_invite(
        organisation=matching.organisation, seeker=matching.seeker, role=matching.role
    )
    services.pair_accept(seeker=matching.seeker, role=matching.role)
    seeker = matching.client_for(matching.seeker.user)
    response = seeker.post(reverse("seeker_matches:decline", args=[matching.role.pk]), follow=True)
    assert b"stop it from My data" in response.content
    assert Pair.objects.get().status == PairStatus.ACCEPTED
    consent_withdraw_employer(seeker=matching.seeker, organisation=matching.organisation)
    employer = matching.client_for(matching.employer)
    alias = services.aliases_for(
        organisation=matching.organisation, seeker_ids=[matching.seeker.pk]
    )[matching.seeker.pk]
    detail = employer.get(
        reverse("employer_matches:candidate_detail", args=[matching.role.pk, alias])
    )
    assert b"Accepted" not in detail.content and b"Invite to connect" in detail.content
    employer.post(reverse("employer_matches:candidate_invite", args=[matching.role.pk, alias]))
    assert Pair.objects.get().status == PairStatus.INVITED


def test_a_placement_is_recorded_from_a_shortlisted_pair(matching):
    pair = services.pair_shortlist(
        seeker=matching.seeker, role=matching.role, by=matching.practitioner
    )
    client = matching.client_for(matching.practitioner)
    page = client.get(reverse("matches:pair_detail", args=[pair.pk])).content.decode()
    form_url = (
        reverse("practitioners:placement_create", args=["seekers", matching.seeker.pk])
        + f"?role={matching.role.pk}"
    )
    assert f'href="{form_url}"' in page
    form = client.get(form_url).content.decode()
    assert f'<option value="{matching.role.pk}" selected>' in form
    # Submitting that form records the placement for the pair's seeker and role.
    from practitioners.models import Placement
    from tests.practitioners.conftest import placement_post

    assert client.post(form_url, placement_post(matching.role)).status_code == 302
    placement = Placement.objects.get(seeker=matching.seeker)
    assert placement.role == matching.role and placement.fit_snapshot["factors"]


def test_the_three_way_view_offers_the_match_summary_pdf(matching):
    pair = services.pair_shortlist(
        seeker=matching.seeker, role=matching.role, by=matching.practitioner
    )
    client = matching.client_for(matching.practitioner)
    page = client.get(reverse("matches:pair_detail", args=[pair.pk])).content.decode()
    assert 'name="kind" value="match_summary"' in page
    assert f'name="role_id" value="{matching.role.pk}"' in page
    asked = client.post(
        reverse("reports:request"),
        {"kind": "match_summary", "seeker_id": matching.seeker.pk, "role_id": matching.role.pk},
    )
    assert asked.status_code == 302
    report = client.get(asked["Location"]).content.decode()
    assert "Match summary" in report

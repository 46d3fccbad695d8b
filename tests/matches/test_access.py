"""Every matching URL: owner 200/302, stranger 404, wrong role 403, wrong method 405, bad id 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from matches import services
from matches.models import Pair, PairStatus
from tests.factories import PractitionerFactory
from tests.matches.conftest import published_role

pytestmark = pytest.mark.django_db


def _draft_role(cast):
    from tests.employers.conftest import make_role

    return make_role(cast.organisation2, title="Secret draft")


# --- practitioners ------------------------------------------------------------------------


def test_practitioner_home(matching):
    url = reverse("matches:home")
    assert matching.client_for(matching.practitioner).get(url).status_code == 200
    assert matching.client_for(matching.admin).get(url).status_code == 200
    for wrong in (matching.seeker.user, matching.employer):
        assert matching.client_for(wrong).get(url).status_code == 403
    assert matching.client_for(None).get(url).status_code == 302
    assert matching.client_for(matching.practitioner).post(url).status_code == 405


def test_role_seekers(matching):
    client = matching.client_for(matching.practitioner)
    assert client.get(reverse("matches:role_seekers", args=[matching.role.pk])).status_code == 200
    # A published role of another office's business can be matched too...
    assert client.get(reverse("matches:role_seekers", args=[matching.role2.pk])).status_code == 200
    # ...but not a draft of a business they may not see.
    draft = _draft_role(matching)
    assert client.get(reverse("matches:role_seekers", args=[draft.pk])).status_code == 404
    assert client.get("/matches/roles/999999/").status_code == 404
    assert client.get("/matches/roles/abc/").status_code == 404
    for wrong in (matching.seeker.user, matching.employer):
        url = reverse("matches:role_seekers", args=[matching.role.pk])
        assert matching.client_for(wrong).get(url).status_code == 403
    assert client.post(reverse("matches:role_seekers", args=[matching.role.pk])).status_code == 405


def test_seeker_roles(matching):
    client = matching.client_for(matching.practitioner)
    assert client.get(reverse("matches:seeker_roles", args=[matching.seeker.pk])).status_code == 200
    assert (
        client.get(reverse("matches:seeker_roles", args=[matching.seeker2.pk])).status_code == 404
    )
    assert client.get("/matches/seekers/999999/").status_code == 404
    url = reverse("matches:seeker_roles", args=[matching.seeker.pk])
    for wrong in (matching.seeker.user, matching.employer):
        assert matching.client_for(wrong).get(url).status_code == 403
    assert client.post(url).status_code == 405


def test_shortlist(matching):
    url = reverse("matches:shortlist", args=[matching.role.pk, matching.seeker.pk])
    client = matching.client_for(matching.practitioner)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    pair = Pair.objects.get(seeker=matching.seeker, role=matching.role)
    assert pair.status == PairStatus.SHORTLISTED and pair.practitioner == matching.practitioner
    # Posting again changes nothing (double click).
    client.post(url)
    assert Pair.objects.count() == 1
    stranger = reverse("matches:shortlist", args=[matching.role.pk, matching.seeker2.pk])
    assert client.post(stranger).status_code == 404
    assert client.post("/matches/roles/999999/seekers/1/shortlist/").status_code == 404
    # An office colleague may read but not change: 403.
    colleague = PractitionerFactory(office=matching.practitioner.office)
    assert matching.client_for(colleague).post(url).status_code == 403
    for wrong in (matching.seeker.user, matching.employer):
        assert matching.client_for(wrong).post(url).status_code == 403


def test_shortlist_ignores_an_outside_next(matching):
    url = reverse("matches:shortlist", args=[matching.role.pk, matching.seeker.pk])
    response = matching.client_for(matching.practitioner).post(
        url, {"next": "https://evil.example/steal"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("matches:role_seekers", args=[matching.role.pk])


def _pair(matching):
    return services.pair_shortlist(
        seeker=matching.seeker, role=matching.role, by=matching.practitioner
    )


def test_pair_detail_and_introduce(matching):
    pair = _pair(matching)
    client = matching.client_for(matching.practitioner)
    detail = reverse("matches:pair_detail", args=[pair.pk])
    introduce = reverse("matches:pair_introduce", args=[pair.pk])
    assert client.get(detail).status_code == 200
    assert client.get(introduce).status_code == 405
    other = matching.client_for(matching.practitioner2)
    assert other.get(detail).status_code == 404
    assert other.post(introduce).status_code == 404
    assert client.get("/matches/pairs/999999/").status_code == 404
    for wrong in (matching.seeker.user, matching.employer):
        assert matching.client_for(wrong).get(detail).status_code == 403
        assert matching.client_for(wrong).post(introduce).status_code == 403
    colleague = PractitionerFactory(office=matching.practitioner.office)
    assert matching.client_for(colleague).get(detail).status_code == 200
    assert matching.client_for(colleague).post(introduce).status_code == 403
    assert client.post(introduce).status_code == 302
    pair.refresh_from_db()
    assert pair.status == PairStatus.INTRODUCED and pair.introduced_at is not None


# --- seekers ------------------------------------------------------------------------------


def test_seeker_roles_page(matching):
    url = reverse("seeker_matches:roles")
    assert matching.client_for(matching.seeker.user).get(url).status_code == 200
    for wrong in (matching.practitioner, matching.employer, matching.admin):
        assert matching.client_for(wrong).get(url).status_code == 403
    assert matching.client_for(matching.seeker.user).post(url).status_code == 405


def test_seeker_without_agreement_goes_to_the_welcome(cast):
    response = cast.client_for(cast.seeker.user).get(reverse("seeker_matches:roles"))
    assert response.status_code == 302 and response["Location"] == reverse("seekers:welcome")


@pytest.mark.parametrize("name", ["seeker_matches:interested", "seeker_matches:decline"])
def test_seeker_posts(matching, name):
    client = matching.client_for(matching.seeker.user)
    url = reverse(name, args=[matching.role.pk])
    assert client.get(url).status_code == 405
    if name.endswith("decline"):
        services.pair_interest(seeker=matching.seeker, role=matching.role)
    assert client.post(url).status_code == 302
    draft = _draft_role(matching)
    assert client.post(reverse(name, args=[draft.pk])).status_code == 404
    assert client.post(reverse(name, args=[999999])).status_code == 404
    for wrong in (matching.practitioner, matching.employer):
        assert matching.client_for(wrong).post(url).status_code == 403


def test_share_page(matching):
    client = matching.client_for(matching.seeker.user)
    url = reverse("seeker_matches:share", args=[matching.role.pk])
    assert client.get(url).status_code == 200
    assert client.put(url).status_code == 405
    assert (
        client.get(reverse("seeker_matches:share", args=[_draft_role(matching).pk])).status_code
        == 404
    )
    for wrong in (matching.practitioner, matching.employer):
        assert matching.client_for(wrong).get(url).status_code == 403


# --- employers ----------------------------------------------------------------------------


def test_employer_pages(matching):
    client = matching.client_for(matching.employer)
    home = reverse("employer_matches:home")
    candidates = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    assert client.get(home).status_code == 200
    assert client.get(candidates).status_code == 200
    assert client.post(candidates).status_code == 405
    # The other business's role is not theirs.
    other = reverse("employer_matches:role_candidates", args=[matching.role2.pk])
    assert client.get(other).status_code == 404
    assert client.get("/business/candidates/roles/999999/").status_code == 404
    for wrong in (matching.seeker.user, matching.practitioner, matching.admin):
        assert matching.client_for(wrong).get(home).status_code == 403
        assert matching.client_for(wrong).get(candidates).status_code == 403


def _alias(organisation, seeker):
    return services.aliases_for(organisation=organisation, seeker_ids=[seeker.pk])[seeker.pk]


def test_candidate_detail_and_invite(matching):
    client = matching.client_for(matching.employer)
    alias = _alias(matching.organisation, matching.seeker)
    detail = reverse("employer_matches:candidate_detail", args=[matching.role.pk, alias])
    invite = reverse("employer_matches:candidate_invite", args=[matching.role.pk, alias])
    assert client.get(detail).status_code == 200
    assert client.get(invite).status_code == 405
    assert client.post(invite).status_code == 302
    assert Pair.objects.get(seeker=matching.seeker, role=matching.role).status == PairStatus.INVITED
    # The other business cannot use this business's pseudonym, nor reach its role.
    other = matching.client_for(matching.employer2)
    assert other.get(detail).status_code == 404
    assert other.post(invite).status_code == 404
    role2_detail = reverse("employer_matches:candidate_detail", args=[matching.role2.pk, alias])
    assert other.get(role2_detail).status_code == 404  # alias belongs to another business
    assert client.get(f"/business/candidates/roles/{matching.role.pk}/NOPE99/").status_code == 404
    assert client.get(f"/business/candidates/roles/{matching.role.pk}/<script>/").status_code == 404
    for wrong in (matching.seeker.user, matching.practitioner):
        assert matching.client_for(wrong).get(detail).status_code == 403
        assert matching.client_for(wrong).post(invite).status_code == 403


def test_invite_needs_a_published_role(matching):
    role = published_role(matching.organisation, title="Dishwasher")
    role.status = "draft"
    role.save(update_fields=["status"])
    alias = _alias(matching.organisation, matching.seeker)
    client = matching.client_for(matching.employer)
    response = client.post(
        reverse("employer_matches:candidate_invite", args=[role.pk, alias]), follow=True
    )
    assert b"Publish the role before inviting" in response.content
    assert not Pair.objects.exists()

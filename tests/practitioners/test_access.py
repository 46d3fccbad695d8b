"""Who sees what in /caseload/: every workspace URL refuses seekers and employers (403),
sends anonymous people to sign in, and answers a wrong method with 405."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.test_url_matrix import project_views

pytestmark = pytest.mark.django_db

# A sample id for each URL argument; the role check comes before any lookup.
ARGS = {
    "kind": "seekers",
    "pk": 1,
    "note_id": 1,
    "goal_id": 1,
    "step_id": 1,
    "organisation_id": 1,
    "factor_key": "values",
}
GET_ONLY = {
    "practitioners:queue",
    "practitioners:client_record",
    "practitioners:referral_detail",
    "practitioners:reassignment_list",
    "practitioners:reassignment_detail",
    "practitioners:session_list",
    "practitioners:session_detail",
    "practitioners:session_peers",
    "practitioners:placement_detail",
}
POST_ONLY = {
    "practitioners:delivery_update",
    "practitioners:step_toggle",
    "practitioners:referral_accept",
    "practitioners:referral_decline",
    "practitioners:referral_withdraw",
    "practitioners:invitation_withdraw",
    "practitioners:session_uninvite",
    "practitioners:session_attendance",
    "practitioners:session_notes",
}

GET_AND_POST = {
    "practitioners:note_add",
    "practitioners:note_edit",
    "practitioners:goal_add",
    "practitioners:step_add",
    "practitioners:referral_create",
    "practitioners:invite",
    "practitioners:reassign",
    "practitioners:session_create",
    "practitioners:session_edit",
    "practitioners:session_invite",
    "practitioners:placement_create",
    "practitioners:assisted_activity",
    "practitioners:bargain_edit",
    "practitioners:bargain_agreement",
    "practitioners:bargain_revisit",
}


def workspace_urls():
    import re

    for route, name, _callback in project_views():
        if not name.startswith("practitioners:"):
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        yield name, reverse(name, kwargs={n: ARGS[n] for n in names})


def test_every_workspace_url_is_listed_here():
    """A new workspace URL must be classified here, so the checks below cover it."""
    names = {name for name, _url in workspace_urls()}
    assert names == GET_ONLY | POST_ONLY | GET_AND_POST


@pytest.mark.parametrize("who", ["seeker", "employer"])
def test_seekers_and_employers_get_403_everywhere(cast, who):
    user = cast.seeker.user if who == "seeker" else cast.employer
    client = cast.client_for(user)
    for name, url in workspace_urls():
        method = client.post if name in POST_ONLY else client.get
        assert method(url).status_code == 403, name


def test_anonymous_is_sent_to_sign_in(cast):
    client = cast.client_for(None)
    for name, url in workspace_urls():
        method = client.post if name in POST_ONLY else client.get
        response = method(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name


def test_wrong_method_is_405(cast):
    client = cast.client_for(cast.admin)
    for name, url in workspace_urls():
        if name in GET_ONLY:
            assert client.post(url).status_code == 405, name
        elif name in POST_ONLY:
            assert client.get(url).status_code == 405, name
        else:
            assert client.put(url).status_code == 405, name


def test_practitioners_cannot_reach_bulk_reassignment(cast):
    client = cast.client_for(cast.practitioner)
    assert client.get(reverse("practitioners:reassign")).status_code == 403
    assert client.post(reverse("practitioners:reassign"), {}).status_code == 403
    assert client.get(reverse("practitioners:reassignment_list")).status_code == 403


def test_unknown_client_kind_is_404(cast):
    client = cast.client_for(cast.admin)
    assert client.get(f"/caseload/admins/{cast.seeker.pk}/").status_code == 404
    assert client.get("/caseload/seekers/abc/").status_code == 404
    assert client.get("/caseload/seekers/999999/").status_code == 404
    assert client.get("/caseload/employers/999999/").status_code == 404
    huge = "9" * 30
    assert client.get(f"/caseload/seekers/{huge}/").status_code == 404
    assert client.get(f"/caseload/referrals/{huge}/").status_code == 404
    assert client.get(f"/caseload/sessions/{huge}/").status_code == 404
    assert client.post(f"/caseload/seekers/{cast.seeker.pk}/steps/{huge}/done/").status_code == 404

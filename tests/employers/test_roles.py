"""Roles: create and edit with validation, per-role overrides and needs, publish, close,
and the two selectors the matching engine relies on."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employers.models import JobPosting, JobRole, OfferAnswer, RoleNeed, RoleOfferOverride
from employers.selectors import role_effective_offer, role_needs
from factors.models import Factor, Item
from factors.services import draft_start, version_publish
from tests.employers.conftest import ROLE_POST, answer_everything, make_role

pytestmark = pytest.mark.django_db


def test_create_role_as_draft_and_land_on_its_page(cast):
    client = cast.client_for(cast.employer)
    form_html = client.get(reverse("employers:role_create")).content.decode()
    assert 'name="token"' in form_html and 'value="halifax" selected' in form_html
    response = client.post(reverse("employers:role_create"), ROLE_POST)
    role = JobRole.objects.get()
    assert response["Location"] == reverse("employers:role_detail", args=[role.pk])
    assert (role.organisation, role.status, role.created_by) == (
        cast.organisation,
        "draft",
        cast.employer,
    )
    assert role.pay_min == Decimal("17.50") and role.hours_per_week == 32
    html = client.get(response["Location"]).content.decode()
    assert "Line cook" in html and "$17.50 to $21.00 an hour" in html
    assert "Candidates will appear here once matching is available" in html


def test_double_submit_of_the_new_role_form_creates_one_role(cast):
    client = cast.client_for(cast.employer)
    data = {**ROLE_POST, "token": "3f0c1e7e-8c59-4a55-8a8f-1d7a5a2f3b11"}
    first = client.post(reverse("employers:role_create"), data)
    second = client.post(reverse("employers:role_create"), data)
    assert JobRole.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert "This role was already saved." in client.get(second["Location"]).content.decode()
    # The same token from another business does not reveal or reuse the role.
    third = cast.client_for(cast.employer2).post(reverse("employers:role_create"), data)
    assert third.status_code == 422 and JobRole.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pay_min": "25", "pay_max": "20"}, "The highest pay must be at least the lowest pay."),
        ({"pay_min": "-3"}, "Enter an amount above zero."),
        ({"pay_max": "99999999999"}, "Enter a smaller amount."),
        ({"pay_min": "abc"}, "Enter a number."),
        ({"hours_per_week": "0"}, "Enter at least 1 hour a week."),
        ({"hours_per_week": "200"}, "Enter at most 80 hours a week."),
        ({"title": ""}, "Give the role a title."),
        ({"title": "x" * 121}, "Ensure this value has at most 120 characters"),
        ({"region": "mars"}, "Select a valid choice"),
        ({"pay_period": "week"}, "Select a valid choice"),
        ({"duties": "d" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_role_input_is_refused_and_nothing_saved(cast, change, message):
    response = cast.client_for(cast.employer).post(
        reverse("employers:role_create"), {**ROLE_POST, **change}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem. Nothing was saved." in html and message in html
    assert not JobRole.objects.exists()


def test_edit_role_and_bad_edit_changes_nothing(cast):
    role = make_role(cast.organisation)
    client = cast.client_for(cast.employer)
    url = reverse("employers:role_edit", args=[role.pk])
    response = client.post(url, {**ROLE_POST, "title": "Head cook", "pay_max": "24"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.title, role.pay_max) == ("Head cook", Decimal("24.00"))
    response = client.post(url, {**ROLE_POST, "title": "Nope", "pay_min": "30", "pay_max": "2"})
    assert response.status_code == 422
    role.refresh_from_db()
    assert role.title == "Head cook"


# --- Overrides and needs ---------------------------------------------------------------------


def test_role_inherits_the_offer_and_overrides_win(cast, items):
    answer_everything(cast.organisation, offer=2, need=1)
    role = make_role(cast.organisation)
    remote, reliable = items["arrange-remote-hybrid"], items["engage-reliable"]
    client = cast.client_for(cast.employer)
    url = reverse("employers:role_offer", args=[role.pk])
    html = client.get(url).content.decode()
    assert (
        "Same as the business (Offered)" in html and "Same as the business (Nice to have)" in html
    )
    response = client.post(url, {f"offer-{remote.pk}": "0", f"need-{reliable.pk}": "3"})
    assert response.status_code == 302
    offer = role_effective_offer(role=role)
    assert offer[remote.identity] == 0  # this role cannot be remote
    assert offer[items["arrange-part-time"].identity] == 2  # inherited
    needs = role_needs(role=role)
    assert needs[reliable.identity] == 3 and needs[items["skills-teamwork"].identity] == 1
    assert remote.identity not in needs and reliable.identity not in offer
    detail = client.get(reverse("employers:role_detail", args=[role.pk])).content.decode()
    assert "Where this role differs" in detail and remote.employer_text_en in detail


def test_setting_same_as_business_removes_the_override(cast, items):
    role = make_role(cast.organisation)
    remote = items["arrange-remote-hybrid"]
    RoleOfferOverride.objects.create(role=role, item=remote, level=0)
    cast.client_for(cast.employer).post(
        reverse("employers:role_offer", args=[role.pk]), {f"offer-{remote.pk}": ""}
    )
    assert not RoleOfferOverride.objects.exists()


def test_unanswered_items_are_absent_from_the_effective_offer(cast, items):
    role = make_role(cast.organisation)
    OfferAnswer.objects.create(
        organisation=cast.organisation, item=items["values-purpose"], level=1
    )
    assert role_effective_offer(role=role) == {items["values-purpose"].identity: 1}
    assert role_needs(role=role) == {}


@pytest.mark.parametrize(
    "data",
    [
        {"offer-REMOTE": "3"},  # 3 is not an offer level
        {"need-RELIABLE": "4"},
        {"offer-REMOTE": "x"},
        {"offer-999999": "0"},  # not a current item
        {"need-REMOTE": "1"},  # an offer item posted as a need
    ],
)
def test_bad_override_posts_save_nothing(cast, items, data):
    role = make_role(cast.organisation)
    names = {"REMOTE": items["arrange-remote-hybrid"].pk, "RELIABLE": items["engage-reliable"].pk}
    payload = {f"offer-{items['arrange-part-time'].pk}": "0"}
    for key, value in data.items():
        for placeholder, pk in names.items():
            key = key.replace(placeholder, str(pk))
        payload[key] = value
    response = cast.client_for(cast.employer).post(
        reverse("employers:role_offer", args=[role.pk]), payload
    )
    assert response.status_code == 422
    assert not RoleOfferOverride.objects.exists() and not RoleNeed.objects.exists()


def test_overrides_carry_across_framework_versions_by_identity(cast, items):
    answer_everything(cast.organisation, offer=2)
    role = make_role(cast.organisation)
    remote = items["arrange-remote-hybrid"]
    RoleOfferOverride.objects.create(role=role, item=remote, level=0)
    draft = draft_start(by=cast.admin)
    factor = Factor.objects.get(version=draft, key="values")
    Item.objects.create(
        factor=factor,
        code="values-extra",
        direction="worker_needs",
        worker_text_en="x",
        worker_text_fr="x",
        employer_text_en="We do something new.",
        employer_text_fr="Nous faisons du neuf.",
    )
    version_publish(version=draft, by=cast.admin, note="Review")
    offer = role_effective_offer(role=role)
    assert offer[remote.identity] == 0  # old-version override still applies
    assert offer[items["arrange-part-time"].identity] == 2  # old-version answer still counts
    new_item = Item.objects.get(factor__version=draft, code="values-extra")
    assert new_item.identity not in offer  # never answered: unknown, not "not offered"
    # Saving on the new version replaces the old-version row rather than adding a second.
    new_remote = Item.objects.get(factor__version=draft, code="arrange-remote-hybrid")
    cast.client_for(cast.employer).post(
        reverse("employers:role_offer", args=[role.pk]), {f"offer-{new_remote.pk}": "1"}
    )
    assert list(RoleOfferOverride.objects.values_list("item_id", "level")) == [(new_remote.pk, 1)]


# --- Publish and close ----------------------------------------------------------------------


def test_publish_needs_a_posting_then_publishes_and_closes(cast):
    role = make_role(cast.organisation)
    client = cast.client_for(cast.employer)
    publish = reverse("employers:role_publish", args=[role.pk])
    response = client.post(publish, follow=True)
    assert "Write and save the job posting before you publish" in response.content.decode()
    role.refresh_from_db()
    assert role.status == "draft"
    JobPosting.objects.create(role=role, text="Come work with us.")
    client.post(publish)
    client.post(publish)  # twice: still published, same date
    role.refresh_from_db()
    assert role.status == "published" and role.published_by == cast.employer
    client.post(reverse("employers:role_close", args=[role.pk]))
    role.refresh_from_db()
    assert role.status == "closed"


def test_closing_a_draft_is_refused(cast):
    role = make_role(cast.organisation)
    response = cast.client_for(cast.employer).post(
        reverse("employers:role_close", args=[role.pk]), follow=True
    )
    assert "nothing to close" in response.content.decode()
    role.refresh_from_db()
    assert role.status == "draft"


# --- Query counts -----------------------------------------------------------------------------


def test_role_list_query_count_does_not_grow_with_roles(cast):
    client = cast.client_for(cast.employer)
    make_role(cast.organisation)
    client.get(reverse("employers:home"))  # warm-up: the first request writes the session
    with CaptureQueriesContext(connection) as small:
        html = client.get(reverse("employers:role_list")).content.decode()
    assert "Line cook" in html
    for number in range(25):
        role = make_role(cast.organisation, title=f"Role {number}")
        if number % 2:
            JobPosting.objects.create(role=role, text="Text")
    with CaptureQueriesContext(connection) as large:
        html = client.get(reverse("employers:role_list")).content.decode()
    assert "Role 24" in html
    assert len(large) == len(small)


def test_role_pages_query_count_does_not_grow_with_overrides(cast, items):
    role = make_role(cast.organisation)
    client = cast.client_for(cast.employer)
    urls = [
        reverse(name, args=[role.pk])
        for name in ("employers:role_detail", "employers:role_offer", "employers:posting_edit")
    ]
    small = []
    client.get(reverse("employers:home"))  # warm-up: the first request writes the session
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        small.append(len(context))
    answer_everything(cast.organisation)
    for item in list(items.values())[:30]:
        model = RoleOfferOverride if item.is_need else RoleNeed
        model.objects.create(role=role, item=item, level=1)
    large = []
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        large.append(len(context))
    assert large == small

"""Placements: recorded by the seeker's own practitioner for a published role, with the fit
map of that day; listed on both records; refused for anyone else; never saved in part."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.models import RoleStatus
from factors.delivery import DeliveryMethod
from factors.matching import fit_for
from practitioners.models import Placement
from practitioners.services import WorkspaceError
from practitioners.services.placements import placement_record
from tests.practitioners.conftest import placement_post, record_url

pytestmark = pytest.mark.django_db


def _create_url(seeker, role=None):
    url = reverse("practitioners:placement_create", args=["seekers", seeker.pk])
    return f"{url}?role={role.pk}" if role else url


def _record(cast, role, **overrides):
    fields = {
        "by": cast.practitioner,
        "seeker": cast.seeker,
        "role": role,
        "started_on": timezone.localdate(),
        "hours_per_week": Decimal("32"),
        "wage": Decimal("18.50"),
        "wage_period": "hour",
    }
    fields.update(overrides)
    return placement_record(**fields)


# --- The service ---------------------------------------------------------------------------


def test_placement_snapshots_the_fit_map_and_delivery_method(cast, hired):
    role, _role2 = hired
    cast.seeker.delivery_method = DeliveryMethod.ONE_TO_ONE
    cast.seeker.save()
    placement = _record(cast, role)
    fit = fit_for(seeker=cast.seeker, role=role)
    assert placement.fit_score == fit.score is not None
    assert placement.organisation == cast.organisation
    assert placement.delivery_method == DeliveryMethod.ONE_TO_ONE
    assert set(placement.fit_snapshot["factors"]) == {f.factor_key for f in fit.factors}
    assert placement.recorded_by == cast.practitioner


def test_later_answers_do_not_change_the_snapshot(cast, hired):
    from seekers.models import Answer

    role, _ = hired
    placement = _record(cast, role)
    before = dict(placement.fit_snapshot)
    Answer.objects.filter(seeker=cast.seeker).update(level=0)
    placement.refresh_from_db()
    assert placement.fit_snapshot == before


@pytest.mark.parametrize("status", [RoleStatus.DRAFT, RoleStatus.CLOSED])
def test_unpublished_role_is_refused(cast, hired, status):
    role, _ = hired
    role.status = status
    role.save()
    with pytest.raises(WorkspaceError, match="published"):
        _record(cast, role)
    assert not Placement.objects.exists()


def test_practitioner2_cannot_record_for_practitioners_seeker(cast, hired):
    from django.core.exceptions import PermissionDenied

    _role, role2 = hired
    with pytest.raises(PermissionDenied):
        _record(cast, role2, by=cast.practitioner2)
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("started_on", timezone.localdate() + timedelta(days=400), "a year"),
        ("hours_per_week", Decimal("0"), "between 1 and 80"),
        ("hours_per_week", Decimal("81"), "between 1 and 80"),
        ("wage", Decimal("0"), "more than 0"),
        ("wage_period", "week", "per hour or per year"),
    ],
)
def test_service_refuses_bad_terms(cast, hired, field, value, message):
    role, _ = hired
    with pytest.raises(WorkspaceError, match=message):
        _record(cast, role, **{field: value})
    assert not Placement.objects.exists()


def test_same_placement_twice_is_refused(cast, hired):
    role, _ = hired
    _record(cast, role)
    with pytest.raises(WorkspaceError, match="already recorded"):
        _record(cast, role)
    assert Placement.objects.count() == 1


# --- The pages -----------------------------------------------------------------------------


def test_owner_opens_the_form_with_the_role_prefilled(cast, hired):
    role, role2 = hired
    response = cast.client_for(cast.practitioner).get(_create_url(cast.seeker, role2))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{role2.pk}" selected>' in html  # the shortlist's role, elsewhere
    assert f'<option value="{role.pk}">' in html
    assert "per hour" in html and "per year" in html


def test_owner_records_a_placement_and_sees_it_on_both_records(cast, hired):
    role, _ = hired
    client = cast.client_for(cast.practitioner)
    response = client.post(_create_url(cast.seeker), placement_post(role))
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("practitioners:placement_detail", args=[placement.pk])
    for record in (cast.seeker, cast.organisation):
        html = client.get(record_url(record)).content.decode()
        assert "Line cook" in html
        assert f"Fit at hire: {placement.fit_score} out of 100" in html
        assert "<details" in html and "Fit at hire, factor by factor" in html
    detail = client.get(response["Location"]).content.decode()
    assert "Fit map at hire" in detail and "Write the workplace bargain" in detail
    assert "$18.50" in detail


def test_employer_side_practitioner_sees_the_placement_read_only_when_not_their_client(cast, hired):
    role, _ = hired
    placement = _record(cast, role)
    url = reverse("practitioners:placement_detail", args=[placement.pk])
    assert cast.client_for(cast.practitioner2).get(url).status_code == 404
    assert cast.client_for(cast.admin).get(url).status_code == 200


def test_stranger_wrong_role_and_office_colleague(cast, hired, colleague):
    role, _ = hired
    url = _create_url(cast.seeker)
    assert cast.client_for(cast.practitioner2).get(url).status_code == 404
    assert cast.client_for(cast.practitioner2).post(url, placement_post(role)).status_code == 404
    assert cast.client_for(cast.seeker.user).get(url).status_code == 403
    assert cast.client_for(cast.employer).post(url, placement_post(role)).status_code == 403
    assert cast.client_for(colleague).get(url).status_code == 403
    assert cast.client_for(colleague).post(url, placement_post(role)).status_code == 403
    assert not Placement.objects.exists()


def test_employers_segment_and_bad_ids_are_404(cast, hired):
    client = cast.client_for(cast.practitioner)
    url = reverse("practitioners:placement_create", args=["employers", cast.organisation.pk])
    assert client.get(url).status_code == 404
    assert client.get("/caseload/seekers/999999/placements/new/").status_code == 404
    assert client.get(reverse("practitioners:placement_detail", args=[999999])).status_code == 404
    assert client.put(_create_url(cast.seeker)).status_code == 405


@pytest.mark.parametrize(
    "overrides",
    [
        {"role": "999999"},
        {"role": "abc"},
        {"role": ""},
        {"started_on": "not a date"},
        {"started_on": "1899-01-01"},
        {"hours_per_week": "-3"},
        {"hours_per_week": "12.345"},
        {"wage": "1e400"},
        {"wage": "NaN"},
        {"wage": "-1"},
        {"wage_period": "fortnight"},
        {"wage": "<script>alert(1)</script>"},
    ],
)
def test_hostile_posts_get_clear_errors_and_save_nothing(cast, hired, overrides):
    role, _ = hired
    response = cast.client_for(cast.practitioner).post(
        _create_url(cast.seeker), placement_post(role, **overrides)
    )
    assert response.status_code == 400
    assert "Please fix the following" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Placement.objects.exists()


def test_draft_role_posted_by_id_is_refused(cast, hired):
    from tests.employers.conftest import make_role

    draft = make_role(cast.organisation, title="Draft job")
    response = cast.client_for(cast.practitioner).post(
        _create_url(cast.seeker), placement_post(draft)
    )
    assert response.status_code == 400
    assert not Placement.objects.exists()


def test_record_query_count_does_not_grow_with_placements(cast, hired):
    from tests.practitioners.conftest import queries_for

    role, _ = hired
    client = cast.client_for(cast.practitioner)
    _record(cast, role)
    small = queries_for(client, record_url(cast.seeker))
    for n in range(1, 6):
        _record(cast, role, started_on=timezone.localdate() - timedelta(days=n))
    assert queries_for(client, record_url(cast.seeker)) == small

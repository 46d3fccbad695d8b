"""The one permission mechanism: role matrix, view decorator, owner-scoped lookups."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from accounts.models import Role
from accounts.permissions import PERMISSIONS, can, get_for_viewer, requires
from employers.models import Organisation
from seekers.models import Seeker

pytestmark = pytest.mark.django_db


def test_unknown_action_is_denied_to_everyone(cast):
    assert not can(cast.admin, "no.such.action")


def test_matrix_grants_each_role_its_own_room(cast):
    assert can(cast.seeker.user, "seeker.use") and not can(cast.seeker.user, "employer.use")
    assert can(cast.employer, "employer.use") and not can(cast.employer, "caseload.view")
    assert can(cast.practitioner, "caseload.view") and not can(cast.practitioner, "framework.edit")
    assert can(cast.admin, "framework.edit")


def test_inactive_user_can_do_nothing(cast):
    cast.admin.is_active = False
    assert not any(can(cast.admin, action) for action in PERMISSIONS)


def test_decorator_refuses_unknown_action_at_import_time():
    with pytest.raises(ValueError):
        requires("typo.action")


def test_decorator_sends_anonymous_to_sign_in_and_wrong_role_gets_403(cast):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    @requires("seeker.use")
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/me/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    request.user = cast.employer
    with pytest.raises(PermissionDenied):
        view(request)

    request.user = cast.seeker.user
    assert view(request).status_code == 200


def test_seeker_sees_only_themself(cast):
    assert get_for_viewer(Seeker.objects, cast.seeker.user, pk=cast.seeker.pk) == cast.seeker
    with pytest.raises(Http404):
        get_for_viewer(Seeker.objects, cast.seeker.user, pk=cast.seeker2.pk)


def test_employer_member_sees_only_their_business(cast):
    assert get_for_viewer(Organisation.objects, cast.employer, pk=cast.organisation.pk)
    with pytest.raises(Http404):
        get_for_viewer(Organisation.objects, cast.employer, pk=cast.organisation2.pk)
    with pytest.raises(Http404):
        get_for_viewer(Seeker.objects, cast.employer, pk=cast.seeker.pk)


def test_practitioner_sees_own_caseload_not_another_offices(cast):
    assert get_for_viewer(Seeker.objects, cast.practitioner, pk=cast.seeker.pk)
    with pytest.raises(Http404):
        get_for_viewer(Seeker.objects, cast.practitioner, pk=cast.seeker2.pk)
    with pytest.raises(Http404):
        get_for_viewer(Organisation.objects, cast.practitioner, pk=cast.organisation2.pk)


def test_admin_sees_everyone(cast):
    assert get_for_viewer(Seeker.objects, cast.admin, pk=cast.seeker2.pk)
    assert get_for_viewer(Organisation.objects, cast.admin, pk=cast.organisation2.pk)


def test_malformed_id_is_404_not_500(cast):
    with pytest.raises(Http404):
        get_for_viewer(Seeker.objects, cast.admin, pk="not-a-number")


def test_roles_in_matrix_are_real_roles():
    for roles in PERMISSIONS.values():
        assert roles <= set(Role.values)

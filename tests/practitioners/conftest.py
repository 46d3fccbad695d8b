"""Extra people for the practitioners' tests: an office colleague of ``cast.practitioner``
(same office, different caseload), who may read but not change that caseload."""

from __future__ import annotations

import pytest

from tests.factories import PractitionerFactory


@pytest.fixture
def colleague(cast):
    return PractitionerFactory(
        email="colleague@example.org", full_name="Office Colleague", office=cast.practitioner.office
    )


def record_url(client) -> str:
    from practitioners.models import client_url

    return client_url(client)


def queries_for(client, url, params=None) -> int:
    """Queries one page view costs in steady state. A warm-up request first absorbs the
    session writes (sign-in clocks, the once-a-minute last-seen stamp), which depend on
    the time the test took, not on the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def hired(cast):
    """Both cast seekers consented and answered everything; each business has a published
    role with a full offer. Returns (role, role2)."""
    from employers.models import RoleStatus
    from factors.selectors import current_version
    from seekers import services
    from seekers.models import ConsentKind
    from tests.employers.conftest import answer_everything, make_role
    from tests.seekers.conftest import fill_answers

    services.welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    services.consent_give(seeker=cast.seeker2, kind=ConsentKind.DATA_USE)
    version = current_version()
    fill_answers(cast.seeker, version, level=lambda item: 3 if item.is_need else 2)
    fill_answers(cast.seeker2, version)
    answer_everything(cast.organisation, offer=2, need=2)
    answer_everything(cast.organisation2, offer=1, need=3)
    role = make_role(cast.organisation, status=RoleStatus.PUBLISHED)
    role2 = make_role(cast.organisation2, title="Stock clerk", status=RoleStatus.PUBLISHED)
    return role, role2


def placement_post(chosen, **overrides) -> dict:
    from django.utils import timezone

    data = {
        "role": str(chosen.pk),
        "started_on": timezone.localdate().isoformat(),
        "hours_per_week": "32",
        "wage": "18.50",
        "wage_period": "hour",
    }
    data.update(overrides)
    return data

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

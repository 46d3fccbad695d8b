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

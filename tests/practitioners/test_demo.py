"""The demo holds a placement with an agreed workplace bargain for the demo practitioner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.demo import demo_seed
from practitioners.models import Bargain, Placement

pytestmark = pytest.mark.django_db


def test_demo_has_a_placement_with_an_agreed_bargain_and_is_idempotent(client):
    demo_seed(extra_seekers=4)
    demo_seed(extra_seekers=4)
    # The outcomes demo places people too; this one is the placement with a bargain.
    placement = Placement.objects.get(
        seeker__practitioner__email="practitioner@example.org", bargain__isnull=False
    )
    assert placement.role.status == "published" and placement.fit_snapshot["factors"]
    bargain = Bargain.objects.get(placement=placement)
    assert bargain.is_agreed and bargain.terms.count() == 6
    client.login(email="practitioner@example.org", password="thriving-demo")
    html = client.get(reverse("practitioners:placement_detail", args=[placement.pk])).content
    assert b"Revisit the bargain" in html

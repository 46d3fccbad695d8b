"""The demo seekers are realistic and the demo can be re-run without changing anything."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from seekers import selectors
from seekers.models import (
    Answer,
    Consent,
    EmployerConsent,
    MindsetRound,
    ProfileSnapshot,
    Reflection,
    Seeker,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count()
        for model in (Answer, Consent, EmployerConsent, MindsetRound, ProfileSnapshot, Reflection)
    ]


def test_demo_seekers_have_a_journey_and_seeding_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = _counts()
    call_command("seed_demo")
    assert _counts() == counts

    live = Seeker.objects.get(user__email="seeker@example.org")
    assert selectors.has_data_consent(seeker=live)
    assert not live.mindset_rounds.exists()  # to be done live in the demo
    summary = selectors.profile_summary(seeker=live)
    assert 0 < summary.finished < 6 and summary.reflections

    complete = Seeker.objects.get(user__email="seeker2@example.org")
    summary = selectors.profile_summary(seeker=complete)
    assert summary.complete and 3 <= len(summary.talking_points) <= 5
    assert summary.mindset.rounds == 2 and summary.offers
    assert complete.snapshots.count() == 1
    report = selectors.changes_since_last_snapshot(seeker=complete, summary=summary)
    assert report is not None and report.changes
    organisation = complete.employer_consents.get().organisation
    assert organisation.name == "Cabot Trail Outfitters"
    assert selectors.employer_may_see(organisation=organisation, seeker=complete)

    everyone = Seeker.objects.filter(user__email__endswith="@example.org")
    assert all(selectors.has_data_consent(seeker=s) for s in everyone)
    assert MindsetRound.objects.values("seeker").distinct().count() > 5

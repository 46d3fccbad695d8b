"""The demo holds placements and follow-ups with plausible, dashboard-worthy numbers."""

from __future__ import annotations

from datetime import date

from accounts.demo import demo_seed
from accounts.models import User
from outcomes.demo import outcomes_demo
from outcomes.models import FollowUp, FollowUpFactor, StillThere
from outcomes.selectors import follow_ups_due
from practitioners.models import Placement


def test_demo_placements_and_follow_ups_are_plausible_and_idempotent(db):
    demo_seed(extra_seekers=4)
    placements = Placement.objects.filter(seeker__user__email__startswith="demo-placed-")
    assert placements.count() == 40
    assert all(p.fit_snapshot.get("factors") for p in placements)
    assert placements.filter(fit_score__isnull=False).count() >= 35
    starts = sorted(placements.values_list("started_on", flat=True))
    assert (starts[-1] - starts[0]).days > 365  # spread over the past fourteen months
    answered = FollowUp.objects.filter(answered_at__isnull=False)
    counts = {s: answered.filter(still_there=s).count() for s in StillThere.values}
    assert counts["yes"] > counts["left"] > 0 and counts["unknown"] > 0
    assert FollowUpFactor.objects.filter(pushed_apart=True).exists()
    assert FollowUp.objects.filter(answered_at__isnull=True).exists()
    practitioner = User.objects.get(email="practitioner@example.org")
    assert follow_ups_due(user=practitioner).exists()
    before = (Placement.objects.count(), FollowUp.objects.count(), FollowUpFactor.objects.count())
    outcomes_demo()
    after = (Placement.objects.count(), FollowUp.objects.count(), FollowUpFactor.objects.count())
    assert before == after


def test_follow_ups_of_the_demo_are_never_in_the_future(db):
    demo_seed(extra_seekers=0)
    assert not FollowUp.objects.filter(due_on__gt=date.today()).exists()

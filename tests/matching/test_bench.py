"""The benchmark command: refuses without DEBUG, agrees with the reference, leaves nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from employers.models import Organisation
from seekers.models import Answer, Seeker, SeekerVector


def test_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("bench_matching", seekers=5)
    assert not User.objects.filter(email__endswith="@bench-matching.invalid").exists()


def test_runs_agrees_and_removes_its_rows(cast, settings):
    settings.DEBUG = True
    before = (User.objects.count(), Seeker.objects.count(), Organisation.objects.count())
    out = io.StringIO()
    call_command("bench_matching", seekers=30, roles=2, repeat=1, stdout=out)
    text = out.getvalue()
    assert "Speed-up:" in text
    assert "All 30 sampled pairs agree with the reference." in text
    assert "Removed the synthetic rows." in text
    after = (User.objects.count(), Seeker.objects.count(), Organisation.objects.count())
    assert after == before
    assert not Answer.objects.exists() and not SeekerVector.objects.exists()


def test_rejects_out_of_range_sizes(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="1 to 1,000,000"):
        call_command("bench_matching", seekers=0)

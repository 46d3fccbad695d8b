"""Follow-ups come due at 1, 3, 6 and 12 calendar months, for both sides, once."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from outcomes.models import FollowUp, FollowUpParty
from outcomes.services import (
    add_months,
    follow_up_reminders_send,
    follow_ups_schedule,
)
from outcomes.tasks import follow_ups_due
from tests.outcomes.conftest import make_placement

HALIFAX = ZoneInfo("America/Halifax")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=HALIFAX)


def test_calendar_months_clamp_to_the_last_day():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 1, 31), 12) == date(2027, 1, 31)


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (date(2026, 2, 27), []),
        (date(2026, 2, 28), [1]),
        (date(2026, 4, 29), [1]),
        (date(2026, 4, 30), [1, 3]),
        (date(2026, 7, 31), [1, 3, 6]),
        (date(2027, 1, 30), [1, 3, 6]),
        (date(2027, 1, 31), [1, 3, 6, 12]),
    ],
)
def test_follow_ups_are_created_on_their_due_date_for_both_sides(placement, today, months):
    with time_machine.travel(at(today), tick=False):
        follow_ups_schedule()
    rows = FollowUp.objects.filter(placement=placement)
    assert sorted({f.month for f in rows}) == months
    for month in months:
        parties = {f.party for f in rows.filter(month=month)}
        assert parties == {FollowUpParty.WORKER, FollowUpParty.EMPLOYER}
        assert rows.filter(month=month).first().due_on == add_months(placement.started_on, month)


def test_scheduling_twice_creates_nothing_more(placement):
    with time_machine.travel(at(date(2026, 5, 1)), tick=False):
        assert follow_ups_schedule() == 4
        assert follow_ups_schedule() == 0
        follow_ups_due.delay()
    assert FollowUp.objects.count() == 4


def test_a_missing_side_is_filled_in(placement):
    FollowUp.objects.create(
        placement=placement, party=FollowUpParty.WORKER, month=1, due_on=date(2026, 2, 28)
    )
    assert follow_ups_schedule(today=date(2026, 3, 1)) == 1
    assert FollowUp.objects.filter(month=1).count() == 2


def test_reminders_go_to_the_worker_and_every_member_in_their_language(cast, placement):
    from tests.factories import MemberFactory

    cast.seeker.user.language = "fr"
    cast.seeker.user.save()
    MemberFactory(organisation=cast.organisation, user__email="e1b@example.org")
    with time_machine.travel(at(date(2026, 2, 28)), tick=False):
        follow_ups_due.delay()
        assert len(mail.outbox) == 3
        by_address = {m.to[0]: m for m in mail.outbox}
        worker_mail = by_address[cast.seeker.user.email]
        assert "suivi" in worker_mail.subject.lower()
        assert "/follow-up/" in worker_mail.body
        html, kind = worker_mail.alternatives[0]
        assert kind == "text/html" and 'lang="fr"' in html
        assert "Line cook" in by_address["e1@example.org"].body
        # reminded once only
        follow_ups_due.delay()
        assert follow_up_reminders_send() == 0
    assert len(mail.outbox) == 3
    assert all(f.reminder_sent_at for f in FollowUp.objects.all())


def test_long_missed_follow_ups_are_created_but_not_emailed(cast):
    make_placement(cast, started_on=date(2025, 1, 10))
    with time_machine.travel(at(date(2026, 2, 1)), tick=False):
        assert follow_ups_schedule() == 8
        follow_up_reminders_send()
    # only the 12-month one (due 2026-01-10) is recent enough to remind about
    assert {m.to[0] for m in mail.outbox} == {cast.seeker.user.email, "e1@example.org"}
    assert len(mail.outbox) == 2


def test_an_erased_seeker_gets_no_reminder(cast, placement):
    from django.utils import timezone

    cast.seeker.erased_at = timezone.now()
    cast.seeker.save()
    with time_machine.travel(at(date(2026, 2, 28)), tick=False):
        follow_ups_due.delay()
    assert [m.to[0] for m in mail.outbox] == ["e1@example.org"]

"""Celery beat tasks of the outcomes app. Each is idempotent and safe to run twice."""

from __future__ import annotations

from celery import shared_task

from outcomes.services import follow_up_reminders_send, follow_ups_schedule


@shared_task(name="outcomes.follow_ups", ignore_result=True)
def follow_ups_due() -> dict[str, int]:
    """Create the follow-ups that have come due, then email their reminders."""
    created = follow_ups_schedule()
    sent = follow_up_reminders_send()
    return {"created": created, "sent": sent}


@shared_task(name="outcomes.consents", ignore_result=True)
def consents_expire() -> int:
    """Expire consents given more than twelve months ago and ask for renewal."""
    from outcomes.consents import consents_expire as expire

    return expire()

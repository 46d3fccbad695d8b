"""Every email goes out in its recipient's language: French people get French mail.

Each kind of email is sent to people whose account language is French (and, for the
follow-ups, to an English-speaking colleague in the same business): the subject is the
catalogue's French, the text and the HTML part hold no English left once the names and
addresses are taken out, and the HTML says ``lang="fr"``. Invitations go to people whose
language is not known yet, so they carry both languages.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone, translation

from outcomes.models import FollowUp
from tests.french import english_left, typed_data
from tests.outcomes.conftest import make_placement

HALIFAX = ZoneInfo("America/Halifax")


def _french(user) -> None:
    user.language = "fr"
    user.save(update_fields=["language"])


def _check(message, subject_msgid: str, **subject_args) -> list[str]:
    with translation.override("fr"):
        expected = translation.gettext(subject_msgid) % subject_args
    problems = []
    if message.subject != expected:
        problems.append(f"subject {message.subject!r} is not the French {expected!r}")
    data = typed_data()
    problems += [f"text: {line}" for line in english_left(message.body, data)]
    for html, kind in getattr(message, "alternatives", []):
        assert kind == "text/html"
        if 'lang="fr"' not in html:
            problems.append("html part is not lang=fr")
        text = html.replace("<", "\n<")  # one tag per line: words are read between tags
        lines = [line.split(">", 1)[-1] for line in text.splitlines()]
        problems += [f"html: {line}" for line in english_left("\n".join(lines), data)]
    return problems


@pytest.mark.parametrize("party", ["worker", "employer"])
def test_follow_up_reminder_in_french(cast, party):
    from outcomes.services import follow_up_reminders_send

    _french(cast.seeker.user)
    _french(cast.employer)
    placement = make_placement(cast, started_on=datetime.date(2026, 1, 31))
    follow_up = FollowUp.objects.create(
        placement=placement, party=party, month=1, due_on=datetime.date(2026, 2, 28)
    )
    with time_machine.travel(datetime.datetime(2026, 2, 28, 10, tzinfo=HALIFAX), tick=False):
        assert follow_up_reminders_send() >= 1
    message = mail.outbox[0]
    with translation.override("fr"):
        months = follow_up.get_month_display()
    problems = _check(message, "How is the job going? A %(months)s follow-up", months=months)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("days", "subject"),
    [
        (340, "Your consent ends soon: renew it in one click"),
        (366, "Your consent has ended: renew it to keep using Thriving Workplaces"),
    ],
)
def test_consent_notices_in_french(cast, days, subject):
    from outcomes.consents import consents_expire
    from seekers.services import welcome_accept

    _french(cast.seeker.user)
    given = datetime.datetime(2026, 1, 15, 10, tzinfo=HALIFAX)
    with time_machine.travel(given, tick=False):
        welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    with time_machine.travel(given + datetime.timedelta(days=days), tick=False):
        consents_expire()
    assert mail.outbox
    problems = [p for m in mail.outbox for p in _check(m, subject)]
    assert not problems, "\n".join(problems)


def test_session_invitation_in_french(cast):
    from practitioners.models import GroupSession
    from practitioners.services.sessions import _email_invited

    _french(cast.employer)
    session = GroupSession.objects.create(
        title="Atelier",
        topic="values",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Salle 2",
        office=cast.practitioner.office,
        facilitator=cast.practitioner,
    )
    _email_invited(session=session, organisation_ids=[cast.organisation.pk])
    message = next(m for m in mail.outbox if m.to == [cast.employer.email])
    problems = _check(message, "Invitation: employer group session")
    assert not problems, "\n".join(problems)


def test_referral_email_in_french(cast):
    from practitioners.models import Referral
    from practitioners.services.referrals import _email_referral

    _french(cast.practitioner2)
    referral = Referral.objects.create(
        seeker=cast.seeker,
        from_user=cast.practitioner,
        to_practitioner=cast.practitioner2,
        reason="Cuisine",
    )
    _email_referral(referral=referral, link="https://example.org/caseload/referrals/1/")
    problems = _check(mail.outbox[-1], "A client was referred to you")
    assert not problems, "\n".join(problems)


def test_invitation_carries_both_languages(cast):
    from accounts.invitations import _email_invitation
    from accounts.models import Invitation, Role

    invitation = Invitation.objects.create(
        email="new@example.org",
        role=Role.SEEKER,
        invited_by=cast.practitioner,
        practitioner=cast.practitioner,
        office=cast.practitioner.office,
        token_digest="x" * 32,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    _email_invitation(invitation=invitation, link="https://example.org/invitation/t/")
    message = mail.outbox[-1]
    assert "invited you to Thriving Workplaces" in message.body
    assert "Milieux de travail florissants" in message.body
    assert "Milieux de travail florissants" in message.subject


def test_the_english_finder_finds_english_and_lets_french_be():
    """The check the French review and these emails rely on: it must be able to fail."""
    assert english_left("Nothing specific to agree on this factor yet.", [])
    assert english_left("Renew it to keep using the service", [])
    french = "Vous pouvez quitter cette page : votre rapport vous attendra dans Mes rapports."
    assert not english_left(french, [])
    assert not english_left("Bienvenue, Line cook", ["Line cook"])  # typed data is left out

"""Demo data for the practitioners' workspace: notes, action plans, a referral waiting for
an answer, a past employer group session with attendance, and a placement (about three
months ago) with a workplace bargain both sides agreed to, ready to be revisited.

Safe to run again: each thing is looked up by a natural key (author and text, client and
title, facilitator and title) before it is created, and nothing someone changed while
trying the demo is overwritten. Notes are dated in the past, so they show as locked.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from employers.models import JobRole, Organisation, PayPeriod, RoleStatus
from factors.scales import FactorKey
from practitioners.models import (
    AttendanceStatus,
    Bargain,
    Goal,
    GroupSession,
    Note,
    NoteKind,
    Placement,
    Referral,
    SessionAttendance,
    Step,
    StepOwner,
    client_fields,
    client_q,
)
from seekers.models import Seeker

Client = Seeker | Organisation


def _note(
    client: Client, author: User, *, days_ago: int, kind: str, minutes: int | None, text: str
) -> None:
    if Note.objects.filter(client_q(client), author=author, text=text).exists():
        return
    when = timezone.now() - timedelta(days=days_ago)
    Note.objects.create(
        **client_fields(client),
        author=author,
        kind=kind,
        occurred_on=timezone.localdate(when),
        duration_minutes=minutes,
        text=text,
        created_at=when,
    )


def _goal(
    client: Client, author: User, title: str, steps: list[tuple[str, str, int, bool]]
) -> None:
    if Goal.objects.filter(client_q(client), title=title).exists():
        return
    goal = Goal.objects.create(**client_fields(client), title=title, created_by=author)
    today = timezone.localdate()
    Step.objects.bulk_create(
        [
            Step(
                goal=goal,
                text=text,
                owner=owner,
                due_on=today + timedelta(days=in_days),
                done_at=timezone.now() if done else None,
                done_by=author if done else None,
            )
            for text, owner, in_days, done in steps
        ]
    )


def _group_session(facilitator: User) -> None:
    title = "Flexible schedules that keep staff"
    if GroupSession.objects.filter(facilitator=facilitator, title=title).exists():
        return
    day = timezone.localdate() - timedelta(days=14)
    session = GroupSession.objects.create(
        title=title,
        topic=FactorKey.WORK_ARRANGEMENTS,
        starts_at=timezone.make_aware(datetime.combine(day, time(10, 0))),
        duration_minutes=90,
        place="Nova Scotia Works — Halifax, room 2",
        online_link="https://meet.example.org/flexible-schedules",
        office=facilitator.office,
        facilitator=facilitator,
        notes=(
            "Four businesses came. Most offer predictable schedules; few had thought of "
            "shift swaps or a transit pass. Two asked for a follow-up on split shifts."
        ),
    )
    businesses = Organisation.objects.filter(office=facilitator.office).order_by("name")
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(
                session=session,
                organisation=org,
                status=AttendanceStatus.ATTENDED,
                invited_by=facilitator,
                recorded_at=session.starts_at,
            )
            for org in businesses
        ]
    )


def _placement_with_bargain(practitioner: User) -> None:
    """One of the practitioner's demo seekers started a published role about three months
    ago; the bargain was written and agreed in the first week."""
    from practitioners.services.bargains import bargain_agreement_record, bargain_start
    from practitioners.services.placements import placement_record

    seeker = (
        Seeker.objects.filter(practitioner=practitioner, user__email__startswith="demo-seeker-")
        .order_by("user__email")
        .first()
    )
    role = (
        JobRole.objects.filter(status=RoleStatus.PUBLISHED)
        .exclude(organisation__members__user__email="employer@example.org")
        .order_by("organisation__name", "pk")
        .first()
    )
    if seeker is None or role is None or Placement.objects.filter(seeker=seeker).exists():
        return
    started = timezone.localdate() - timedelta(days=95)
    placement = placement_record(
        by=practitioner,
        seeker=seeker,
        role=role,
        started_on=started,
        hours_per_week=Decimal(role.hours_per_week),
        wage=role.pay_min,
        wage_period=role.pay_period or PayPeriod.HOUR,
    )
    placement.recorded_at = timezone.now() - timedelta(days=95)
    placement.save(update_fields=["recorded_at"])
    bargain = bargain_start(placement=placement, by=practitioner, language=seeker.user.language)
    Bargain.objects.filter(pk=bargain.pk).update(created_at=placement.recorded_at)
    agreed = started + timedelta(days=3)
    owner = role.organisation.members.select_related("user").order_by("-is_owner").first()
    bargain_agreement_record(
        bargain=bargain,
        by=practitioner,
        worker_agreed_on=agreed,
        employer_agreed_on=agreed,
        employer_agreed_by=owner.user.display_name if owner else role.organisation.name,
    )


@transaction.atomic
def demo_seed_practitioners() -> None:
    practitioner = User.objects.filter(email="practitioner@example.org").first()
    practitioner2 = User.objects.filter(email="practitioner2@example.org").first()
    seeker = Seeker.objects.filter(user__email="seeker@example.org").first()
    cafe = Organisation.objects.filter(members__user__email="employer@example.org").first()
    if not (practitioner and practitioner2 and seeker and cafe):
        return
    _note(
        seeker,
        practitioner,
        days_ago=9,
        kind=NoteKind.IN_PERSON,
        minutes=45,
        text=(
            "First meeting. Casey wants steady daytime hours near a bus route and has two years "
            "of grocery store experience."
        ),
    )
    _note(
        seeker,
        practitioner,
        days_ago=2,
        kind=NoteKind.PHONE,
        minutes=15,
        text=(
            "Called after the values activity. Family time matters most; "
            "open to part-time to start."
        ),
    )
    _note(
        cafe,
        practitioner,
        days_ago=5,
        kind=NoteKind.IN_PERSON,
        minutes=60,
        text=(
            "Visited the café. Sam lost three servers this year and wants to offer more than pay, "
            "but is not sure what."
        ),
    )
    _goal(
        seeker,
        practitioner,
        "Find steady daytime work near a bus route",
        [
            ("Finish the work arrangements activity", StepOwner.CLIENT, -2, True),
            ("Update the résumé with the grocery store experience", StepOwner.BOTH, 5, False),
            ("Call two employers in the Halifax caseload", StepOwner.PRACTITIONER, 10, False),
        ],
    )
    _goal(
        cafe,
        practitioner,
        "Keep new servers past three months",
        [
            ("Finish the offer activities beyond pay", StepOwner.CLIENT, 4, False),
            ("Try one low-cost lever from the group session", StepOwner.CLIENT, 21, False),
        ],
    )
    _group_session(practitioner)
    _placement_with_bargain(practitioner)

    moving = (
        Seeker.objects.filter(practitioner=practitioner2, user__email__startswith="demo-seeker-")
        .order_by("user__email")
        .first()
    )
    if moving is not None and not Referral.objects.filter(seeker=moving).exists():
        Referral.objects.create(
            seeker=moving,
            from_user=practitioner2,
            to_practitioner=practitioner,
            reason=(
                "Moving to Halifax next month and wants to work there. "
                "You know the Halifax employers."
            ),
        )

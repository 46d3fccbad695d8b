"""The funnel's first stages and the mindset tables, on hand-made data."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from employers.models import MindsetAnswer
from employers.models import MindsetRound as EmployerRound
from employers.services import OfferInput, offer_answers_save
from factors.matching import refresh_seeker_vector
from factors.models import Item, MindsetPrompt
from factors.selectors import current_version
from outcomes.dashboard.filters import DashboardFilter
from outcomes.dashboard.queries import (
    employer_mindsets,
    organisation_funnel,
    seeker_funnel,
)
from outcomes.dashboard.queries import (
    seeker_mindsets as seeker_mindset_numbers,
)
from seekers.models import Answer, EmployerConsent, MindsetResponse, MindsetRound
from tests.dashboard.conftest import TODAY, place

pytestmark = pytest.mark.django_db


def _answer_all(seeker, *, leave_out=0):
    items = list(Item.objects.filter(factor__version=current_version(), retired=False))
    Answer.objects.bulk_create(
        Answer(seeker=seeker, item=item, level=2) for item in items[leave_out:]
    )
    refresh_seeker_vector(seeker=seeker)


def test_seekers_who_finished_every_activity_and_who_matched(cast, role):
    _answer_all(cast.seeker)
    _answer_all(cast.seeker2, leave_out=1)  # one item short: not finished
    EmployerConsent.objects.create(
        seeker=cast.seeker2,
        organisation=cast.organisation,
        expires_at=timezone.now() + datetime.timedelta(days=30),
        source="seeker",
    )
    placed = place(cast, role, started_on=TODAY)  # a third seeker, placed: matched
    funnel = seeker_funnel(f=DashboardFilter())
    assert (funnel.signed_up, funnel.complete, funnel.matched) == (3, 1, 2)
    office = seeker_funnel(f=DashboardFilter(office_id=cast.seeker2.office_id))
    assert (office.signed_up, office.complete, office.matched) == (1, 0, 1)
    assert placed.seeker.office_id == cast.seeker.office_id


def test_employers_who_finished_and_who_matched(cast, role):
    items = list(Item.objects.filter(factor__version=current_version(), retired=False))
    # Through the service, as the activity pages save them: it records who finished.
    offer_answers_save(
        organisation=cast.organisation,
        answers=[OfferInput(item=item, level=2) for item in items],
        by=cast.employer,
    )
    offer_answers_save(
        organisation=cast.organisation2,
        answers=[OfferInput(item=item, level=2) for item in items[1:]],
        by=cast.employer2,
    )
    place(cast, role, started_on=TODAY)  # cast.organisation hired
    funnel = organisation_funnel(f=DashboardFilter())
    assert (funnel.signed_up, funnel.complete, funnel.matched) == (2, 1, 1)
    later = organisation_funnel(
        f=DashboardFilter(start=timezone.localdate() + datetime.timedelta(days=1))
    )
    assert later.signed_up == 0


def test_seeker_mindset_change_among_people_with_a_later_check(cast):
    prompts = list(
        MindsetPrompt.objects.filter(
            factor__version=current_version(),
            side="worker",
            limiting=True,
            factor__key="pay_benefits",
        )
    )
    assert prompts
    for seeker, first, later in ((cast.seeker, 5, 2), (cast.seeker2, 4, None)):
        for occasion, agreement in (("intake", first), ("retake", later)):
            if agreement is None:
                continue
            round_ = MindsetRound.objects.create(
                seeker=seeker, version=current_version(), occasion=occasion, token=uuid.uuid4()
            )
            MindsetResponse.objects.bulk_create(
                MindsetResponse(round=round_, prompt=p, agreement=agreement) for p in prompts
            )
    change = seeker_mindset_numbers(f=DashboardFilter())["pay_benefits"]
    # seeker2 has no later check: left out of both averages
    assert (change.people, change.first, change.later) == (1, 5, 2)


def test_employer_mindset_first_round_against_later_rounds(cast):
    prompts = list(
        MindsetPrompt.objects.filter(
            factor__version=current_version(), side="employer", limiting=True
        )
    )
    assert prompts
    key = prompts[0].factor.key
    for agreement in (4, 2):
        round_ = EmployerRound.objects.create(
            organisation=cast.organisation, version=current_version(), token=uuid.uuid4()
        )
        MindsetAnswer.objects.create(round=round_, prompt=prompts[0], agreement=agreement)
    lone = EmployerRound.objects.create(
        organisation=cast.organisation2, version=current_version(), token=uuid.uuid4()
    )
    MindsetAnswer.objects.create(round=lone, prompt=prompts[0], agreement=5)
    change = employer_mindsets(f=DashboardFilter())[key]
    assert (change.people, change.first, change.later) == (1, 4, 2)

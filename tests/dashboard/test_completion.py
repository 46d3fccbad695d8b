"""The stored "finished the activities" date is kept current by every write that can change
it, and the dashboard's counts from it equal the derivation from answers it replaced."""

from __future__ import annotations

import pytest
from django.db.models import Count, Q

from employers.models import OfferAnswer, Organisation
from employers.services import OfferInput, offer_answers_save, offer_carry_forward
from factors.completion import FirstMissingLevel
from factors.matching import refresh_seeker_vector, refresh_stale_match_vectors
from factors.models import Factor, Item
from factors.selectors import current_version
from factors.services import draft_start, version_publish
from outcomes.dashboard.filters import DashboardFilter
from outcomes.dashboard.queries import (
    organisation_funnel,
    organisations_for,
    seeker_funnel,
    seekers_for,
)
from seekers.models import Answer, Seeker, SeekerVector
from seekers.services import AnswerInput, answer_save
from tests.factories import SeekerFactory

pytestmark = pytest.mark.django_db


def _items() -> list[Item]:
    return list(
        Item.objects.filter(factor__version=current_version(), retired=False)
        .select_related("factor")
        .order_by("pk")
    )


def _answer(seeker: Seeker, items: list[Item]) -> None:
    for item in items:
        answer_save(seeker=seeker, factor=item.factor, answer=AnswerInput(item=item, level=2))


def _offer(organisation: Organisation, items: list[Item], by) -> None:
    offer_answers_save(
        organisation=organisation, answers=[OfferInput(item=i, level=2) for i in items], by=by
    )


def _completed(model, pk):
    return model.objects.get(pk=pk).activities_completed_at


def _publish_copy(admin):
    draft = draft_start(by=admin)
    version_publish(version=draft, by=admin, note="Review")
    return draft


def test_seeker_date_is_set_by_the_last_answer_kept_and_cleared(cast):
    items = _items()
    _answer(cast.seeker, items[:-1])
    assert _completed(Seeker, cast.seeker.pk) is None  # one item still unanswered
    _answer(cast.seeker, items[-1:])
    finished = _completed(Seeker, cast.seeker.pk)
    assert finished is not None
    _answer(cast.seeker, items[:1])  # changing an answer keeps the date it was finished
    assert _completed(Seeker, cast.seeker.pk) == finished
    # An answer taken away (any write re-packs the vector and re-checks): cleared.
    Answer.objects.filter(seeker=cast.seeker, item=items[0]).delete()
    refresh_seeker_vector(seeker=cast.seeker)
    assert _completed(Seeker, cast.seeker.pk) is None
    _answer(cast.seeker, items[:1])
    assert _completed(Seeker, cast.seeker.pk) is not None
    assert _completed(Seeker, cast.seeker2.pk) is None


def test_publishing_clears_every_date_and_the_repack_restores_carried_answers(cast):
    items = _items()
    _answer(cast.seeker, items)
    _answer(cast.seeker2, items[1:])
    _offer(cast.organisation, items, cast.employer)
    assert _completed(Organisation, cast.organisation.pk) is not None
    new = _publish_copy(cast.admin)
    assert _completed(Seeker, cast.seeker.pk) is None
    assert _completed(Organisation, cast.organisation.pk) is None
    # The background re-pack: the seeker's answers carry over by identity, so finished again.
    refresh_stale_match_vectors()
    assert _completed(Seeker, cast.seeker.pk) is not None
    assert _completed(Seeker, cast.seeker2.pk) is None
    # A business's answers are copied when it opens each activity of the new version.
    for factor in Factor.objects.filter(version=new):
        offer_carry_forward(organisation=cast.organisation, factor=factor)
    assert _completed(Organisation, cast.organisation.pk) is not None


def test_business_date_is_set_when_every_item_is_answered(cast):
    items = _items()
    _offer(cast.organisation, items[:-1], cast.employer)
    assert _completed(Organisation, cast.organisation.pk) is None
    _offer(cast.organisation, items[-1:], cast.employer)
    assert _completed(Organisation, cast.organisation.pk) is not None
    assert _completed(Organisation, cast.organisation2.pk) is None


# --- the derivation the stored date replaced (outcomes/dashboard/queries.py before) ------


def _old_seeker_complete(seekers) -> int:
    complete = (
        SeekerVector.objects.filter(version=current_version())
        .alias(missing_at=FirstMissingLevel("data"))
        .filter(missing_at=0)
        .values("seeker_id")
    )
    return seekers.aggregate(n=Count("pk", filter=Q(pk__in=complete)))["n"]


def _old_organisation_complete(organisations) -> int:
    items = Item.objects.filter(factor__version=current_version(), retired=False)
    answered_all = (
        OfferAnswer.objects.filter(item__in=items)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=max(items.count(), 1))
        .values("organisation_id")
    )
    return organisations.aggregate(n=Count("pk", filter=Q(pk__in=answered_all)))["n"]


def test_dashboard_counts_equal_the_derivation_from_answers(cast):
    items = _items()
    office = cast.practitioner.office
    people = [SeekerFactory(practitioner=cast.practitioner, office=office) for _ in range(5)]
    _answer(people[0], items)
    _answer(people[1], items)
    _answer(people[2], items[2:])  # partway
    _answer(people[3], items[:1])
    _answer(cast.seeker, items)  # and people[4] never started
    _offer(cast.organisation, items, cast.employer)
    _offer(cast.organisation2, items[1:], cast.employer2)
    for f in (DashboardFilter(), DashboardFilter(office_id=office.pk)):
        assert seeker_funnel(f=f).complete == _old_seeker_complete(seekers_for(f))
        assert organisation_funnel(f=f).complete == _old_organisation_complete(organisations_for(f))
    assert seeker_funnel(f=DashboardFilter()).complete == 3
    assert organisation_funnel(f=DashboardFilter()).complete == 1

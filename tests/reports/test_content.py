"""What goes into the reports, before any PDF: the right lines, no invented numbers,
and a fixed number of queries whatever the number of answers."""

from __future__ import annotations

import pytest

from employers.models import OfferAnswer
from factors.models import Item
from factors.scales import Direction, FactorKey
from factors.selectors import current_version
from reports.content import employer_offer_content, seeker_profile_content
from seekers.models import Answer

pytestmark = pytest.mark.django_db


def _items():
    return list(
        Item.objects.filter(factor__version=current_version(), retired=False).select_related(
            "factor"
        )
    )


def test_seeker_profile_sorts_answers_into_must_haves_deal_breakers_and_offers(cast):
    items = _items()
    need = next(i for i in items if i.direction == Direction.WORKER_NEEDS)
    nice = next(i for i in items if i.direction == Direction.WORKER_NEEDS and i != need)
    offer = next(i for i in items if i.direction == Direction.WORKER_OFFERS)
    weak = next(i for i in items if i.direction == Direction.WORKER_OFFERS and i != offer)
    Answer.objects.create(seeker=cast.seeker, item=need, level=3, dealbreaker=True)
    Answer.objects.create(seeker=cast.seeker, item=nice, level=1)
    Answer.objects.create(seeker=cast.seeker, item=offer, level=2, example="Ran the till")
    Answer.objects.create(seeker=cast.seeker, item=weak, level=1)

    profile = seeker_profile_content(seeker=cast.seeker)
    assert [line.text for line in profile.must_haves] == [need.worker_text]
    assert [line.text for line in profile.deal_breakers] == [need.worker_text]
    assert [line.text for line in profile.offers] == [offer.worker_text]
    assert [(line.text, line.example) for line in profile.talking_points] == [
        (offer.worker_text, "Ran the till")
    ]
    assert profile.answered == 4 and profile.total == len(items)
    unanswered = [s for s in profile.factors if s.answered == 0]
    assert unanswered and all(s.value is None for s in unanswered)
    assert all(s.value_text == "Not answered yet" for s in unanswered)


def test_employer_offer_flags_pay_only_offers_and_suggests_levers_across_factors(cast):
    # Pay fully offered; elsewhere two items per factor "could offer", the rest not
    # offered: the employers app's rule (offer_summary) calls that leaning on pay.
    items = _items()
    seen: dict[str, int] = {}
    answers = []
    for item in items:
        if item.direction != Direction.WORKER_NEEDS:
            continue
        key = item.factor.key
        seen[key] = seen.get(key, 0) + 1
        level = 2 if key == FactorKey.PAY_BENEFITS else (1 if seen[key] <= 2 else 0)
        answers.append(OfferAnswer(organisation=cast.organisation, item=item, level=level))
    OfferAnswer.objects.bulk_create(answers)
    offer = employer_offer_content(organisation=cast.organisation)
    assert offer.leans_on_pay is True
    assert [s.key for s in offer.strengths] == [FactorKey.PAY_BENEFITS]
    assert 0 < len(offer.levers) <= 6
    per_factor: dict[str, int] = {}
    for line in offer.levers:
        per_factor[line.factor] = per_factor.get(line.factor, 0) + 1
        assert line.level == "Could offer"
    assert max(per_factor.values()) <= 2 and len(per_factor) >= 3
    pay_name = next(s.name for s in offer.factors if s.key == FactorKey.PAY_BENEFITS)
    assert pay_name not in per_factor


def _count(call) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries.captured_queries)


def test_content_queries_do_not_grow_with_answers(cast):
    seeker_profile_content(seeker=cast.seeker)  # the process reads the version's items once
    empty = _count(lambda: seeker_profile_content(seeker=cast.seeker))
    Answer.objects.bulk_create(Answer(seeker=cast.seeker, item=item, level=2) for item in _items())
    assert _count(lambda: seeker_profile_content(seeker=cast.seeker)) == empty
    offer_empty = _count(lambda: employer_offer_content(organisation=cast.organisation))
    OfferAnswer.objects.bulk_create(
        OfferAnswer(organisation=cast.organisation, item=item, level=1) for item in _items()
    )
    assert _count(lambda: employer_offer_content(organisation=cast.organisation)) == offer_empty


def test_profile_content_is_the_profile_pages_summary(cast):
    """The PDF says what "My Magnetic Profile" says: built from profile_summary."""
    from seekers.selectors import profile_summary

    Answer.objects.bulk_create(Answer(seeker=cast.seeker, item=item, level=3) for item in _items())
    summary = profile_summary(seeker=cast.seeker)
    content = seeker_profile_content(seeker=cast.seeker)
    assert [(s.name, s.value, s.value_text) for s in content.factors] == [
        (f.name, f.needs_score, f.needs_text) for f in summary.factors
    ]
    assert [line.text for line in content.must_haves] == [line.text for line in summary.must_haves]
    assert content.sentences == list(summary.talking_points)


def test_offer_content_is_the_offer_pages_summary(cast):
    from employers.selectors import offer_summary

    OfferAnswer.objects.bulk_create(
        OfferAnswer(organisation=cast.organisation, item=item, level=2) for item in _items()
    )
    summary = offer_summary(organisation=cast.organisation)
    content = employer_offer_content(organisation=cast.organisation)
    assert [(s.value, s.value_text) for s in content.factors] == [
        (f.score, f.summary_text) for f in summary.factors
    ]
    assert content.leans_on_pay == summary.leans_on_pay

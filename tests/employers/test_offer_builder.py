"""The offer profile (summary, chart, strengths, thin spots) and the beyond-pay builder."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employers.models import OfferAnswer
from employers.selectors import (
    beyond_pay_suggestions,
    leans_on_pay,
    offer_summary,
)
from factors.scales import FactorKey
from tests.employers.conftest import answer_everything, answer_factor
from tests.factories import MemberFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def pay_heavy(organisation, *, others: int = 0) -> None:
    """Pay & benefits all offered; every other factor at ``others``."""
    answer_everything(organisation, offer=others)
    answer_factor(organisation, FactorKey.PAY_BENEFITS, offer=2)


# --- The summary ---------------------------------------------------------------------------


def test_summary_scores_counts_and_chart(cast, items):
    answer_factor(cast.organisation, FactorKey.VALUES, offer=2)
    OfferAnswer.objects.filter(item=items["values-purpose"]).update(level=1)
    answer_factor(cast.organisation, FactorKey.CULTURE, offer=0)
    summary = offer_summary(organisation=cast.organisation)
    values = summary.factor("values")
    assert (len(values.offered), len(values.could_offer), len(values.offers)) == (10, 1, 11)
    assert values.score == round(100 * 21 / 22)
    assert values.summary_text == "10 of 11 offered"
    assert summary.factor("culture").score == 0
    assert summary.factor("work_arrangements").score is None  # not answered: no bar, no zero
    assert [f.factor.key for f in summary.strengths] == ["values"]
    assert [f.factor.key for f in summary.thin_spots] == ["culture"]
    assert "work_arrangements" in [f.factor.key for f in summary.unanswered]
    chart = summary.chart()
    assert "<svg" in chart and "Not answered yet" in chart and "10 of 11 offered" in chart
    assert len(values.unanswered) == 0 and len(summary.factor("culture").not_offered) == 11


def test_summary_lists_needs_must_have_first(cast, items):
    OfferAnswer.objects.create(
        organisation=cast.organisation, item=items["skills-teamwork"], level=1
    )
    OfferAnswer.objects.create(
        organisation=cast.organisation, item=items["engage-reliable"], level=3
    )
    OfferAnswer.objects.create(
        organisation=cast.organisation, item=items["skills-computer"], level=0
    )
    needs = offer_summary(organisation=cast.organisation).needs
    assert [(a.item.code, a.label) for a in needs] == [
        ("engage-reliable", "Must have"),
        ("skills-teamwork", "Nice to have"),
    ]


def test_profile_page_shows_chart_strengths_thin_spots_and_lean(cast):
    pay_heavy(cast.organisation)
    html = cast.client_for(cast.employer).get(reverse("employers:offer_profile")).content.decode()
    assert 'role="img"' in html and "<table" in html
    assert "Your offer leans on pay" in html
    assert "Strengths" in html and "We pay a fair wage for the job and the area." in html
    assert "Thin spots" in html and reverse("employers:builder") in html


def test_profile_of_a_business_with_no_answers_says_so(cast):
    html = cast.client_for(cast.employer).get(reverse("employers:offer_profile")).content.decode()
    assert "Not answered yet" in html and "leans on pay" not in html


# --- The "leans on pay" rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("pay", "others", "expected"),
    [
        (2, 0, True),  # pay strong, everything else not offered
        (2, 1, False),  # others at "could offer" average 50: not thin
        (1, 0, False),  # pay itself only 50: not strong
        (0, 0, False),
        (2, 2, False),  # strong everywhere
    ],
)
def test_leans_on_pay_rule(cast, pay, others, expected):
    answer_everything(cast.organisation, offer=others)
    answer_factor(cast.organisation, FactorKey.PAY_BENEFITS, offer=pay)
    summary = offer_summary(organisation=cast.organisation)
    assert summary.leans_on_pay is expected
    assert leans_on_pay(factors=summary.factors) is expected


def test_leans_on_pay_needs_another_factor_answered(cast):
    answer_factor(cast.organisation, FactorKey.PAY_BENEFITS, offer=2)
    assert not offer_summary(organisation=cast.organisation).leans_on_pay
    answer_factor(cast.organisation, FactorKey.CULTURE, offer=0)
    assert offer_summary(organisation=cast.organisation).leans_on_pay


def test_average_of_other_factors_decides_not_one_thin_factor(cast):
    answer_everything(cast.organisation, offer=2)
    answer_factor(cast.organisation, FactorKey.CULTURE, offer=0)  # one thin spot only
    summary = offer_summary(organisation=cast.organisation)
    assert [f.factor.key for f in summary.thin_spots] == ["culture"]
    assert not summary.leans_on_pay


# --- Suggestions ----------------------------------------------------------------------------


def test_suggestions_come_from_other_factors_not_yet_offered_low_cost_first(cast, items):
    pay_heavy(cast.organisation)
    OfferAnswer.objects.filter(item=items["values-fair-treatment"]).update(level=2)
    summary = offer_summary(organisation=cast.organisation)
    result = beyond_pay_suggestions(organisation=cast.organisation, summary=summary, limit=200)
    codes = [s.item.code for s in result.suggestions]
    assert codes and all(not c.startswith("pay-") for c in codes)
    assert "values-fair-treatment" not in codes  # already offered
    costs = [s.item.cost for s in result.suggestions]
    assert costs == sorted(costs, key=["low", "medium", "high", ""].index)
    assert result.peer_basis is None and result.suggestions[0].peers_total is None


def test_suggestions_follow_what_similar_businesses_offer(cast, items):
    """Among equally cheap levers, the one most peers in the sector offer comes first."""
    pay_heavy(cast.organisation)
    cast.organisation.sector = "food_service"
    cast.organisation.save()
    peers = [OrganisationFactory(sector="food_service", size="50-99") for _ in range(3)]
    for index, peer in enumerate(peers):
        answer_everything(peer, offer=0)
        # All three offer the last low-cost values item; one offers the second-to-last.
        OfferAnswer.objects.filter(organisation=peer, item=items["values-culture-faith"]).update(
            level=2
        )
        if index == 0:
            OfferAnswer.objects.filter(organisation=peer, item=items["values-safety-first"]).update(
                level=2
            )
    other_sector = OrganisationFactory(sector="retail", size="50-99")
    answer_everything(other_sector, offer=2)  # offers everything, but is not similar
    summary = offer_summary(organisation=cast.organisation)
    result = beyond_pay_suggestions(organisation=cast.organisation, summary=summary)
    assert (result.peer_basis, result.peers_total) == ("sector", 3)
    first, second = result.suggestions[:2]
    assert (first.item.code, first.peers_offering, first.peers_total) == (
        "values-culture-faith",
        3,
        3,
    )
    assert (second.item.code, second.peers_offering) == ("values-safety-first", 1)


def test_peers_fall_back_to_same_size_then_everyone(cast):
    pay_heavy(cast.organisation)
    for _ in range(3):
        answer_everything(OrganisationFactory(sector="care", size=cast.organisation.size))
    result = beyond_pay_suggestions(
        organisation=cast.organisation, summary=offer_summary(organisation=cast.organisation)
    )
    assert (result.peer_basis, result.peers_total) == ("size", 3)
    other = MemberFactory(organisation__sector="trades", organisation__size="1-4").organisation
    result = beyond_pay_suggestions(organisation=other, summary=offer_summary(organisation=other))
    assert (result.peer_basis, result.peers_total) == ("all", 4)


def test_fewer_than_three_peers_are_never_counted(cast):
    pay_heavy(cast.organisation)
    answer_everything(cast.organisation2, offer=2)
    result = beyond_pay_suggestions(
        organisation=cast.organisation, summary=offer_summary(organisation=cast.organisation)
    )
    assert result.peer_basis is None
    html = cast.client_for(cast.employer).get(reverse("employers:builder")).content.decode()
    assert "businesses we compared offer this" not in html
    assert "Not enough other businesses have answered yet" in html


def test_peer_query_count_does_not_grow_with_peers(cast):
    pay_heavy(cast.organisation)
    client = cast.client_for(cast.employer)
    for _ in range(3):
        answer_everything(OrganisationFactory(sector=cast.organisation.sector))
    client.get(reverse("employers:home"))  # warm-up: the first request writes the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("employers:builder"))
    for _ in range(12):
        answer_everything(OrganisationFactory(sector=cast.organisation.sector), offer=1)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("employers:builder"))
    assert len(large) == len(small)


def test_builder_page_explains_the_lean_and_offers_one_step_adoption(cast, items):
    pay_heavy(cast.organisation)
    html = cast.client_for(cast.employer).get(reverse("employers:builder")).content.decode()
    assert "Your offer leans on pay" in html
    assert f'name="item" value="{items["values-fair-treatment"].pk}"' in html
    assert 'name="level" value="2"' in html and 'name="level" value="1"' in html


@pytest.mark.parametrize(("level", "expected"), [("2", 2), ("1", 1)])
def test_adopting_a_suggestion_puts_it_in_the_offer(cast, items, level, expected):
    pay_heavy(cast.organisation)
    fair = items["values-fair-treatment"]
    OfferAnswer.objects.filter(item=fair).update(example="We explain each decision")
    client = cast.client_for(cast.employer)
    response = client.post(reverse("employers:builder_adopt"), {"item": fair.pk, "level": level})
    assert response.status_code == 302
    answer = OfferAnswer.objects.get(organisation=cast.organisation, item=fair)
    assert answer.level == expected and answer.example == "We explain each decision"
    assert answer.answered_by == cast.employer
    assert OfferAnswer.objects.filter(organisation=cast.organisation, item=fair).count() == 1
    assert "Added to your offer" in client.get(response["Location"]).content.decode()


def test_adopting_an_unanswered_item_creates_the_answer(cast, items):
    purpose = items["values-purpose"]
    cast.client_for(cast.employer).post(
        reverse("employers:builder_adopt"), {"item": purpose.pk, "level": "2"}
    )
    assert OfferAnswer.objects.get(organisation=cast.organisation, item=purpose).level == 2


@pytest.mark.parametrize(
    "data",
    [
        {"item": "999999", "level": "2"},
        {"item": "abc", "level": "2"},
        {"level": "2"},
        {"item": "PLACEHOLDER", "level": "0"},  # "not offered" is not an adoption
        {"item": "PLACEHOLDER", "level": "9"},
        {"item": "NEED", "level": "2"},  # a worker-offers item is not a lever
    ],
)
def test_bad_adoptions_change_nothing(cast, items, data):
    data = dict(data)
    if data.get("item") == "PLACEHOLDER":
        data["item"] = str(items["values-purpose"].pk)
    if data.get("item") == "NEED":
        data["item"] = str(items["engage-reliable"].pk)
    client = cast.client_for(cast.employer)
    response = client.post(reverse("employers:builder_adopt"), data)
    assert response.status_code == 302
    assert not OfferAnswer.objects.exists()
    html = client.get(reverse("employers:builder")).content.decode()
    assert "Nothing was changed" in html


def test_profile_query_count_does_not_grow_with_data(cast):
    client = cast.client_for(cast.employer)
    answer_factor(cast.organisation, FactorKey.VALUES)
    client.get(reverse("employers:home"))  # warm-up: the first request writes the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("employers:offer_profile"))
    answer_everything(cast.organisation)
    for member in MemberFactory.create_batch(10):
        answer_everything(member.organisation)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("employers:offer_profile"))
    assert len(large) == len(small)

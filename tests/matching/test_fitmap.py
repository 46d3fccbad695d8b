"""The fit map rule: worked examples by hand, properties, and the fast path's equality."""

from __future__ import annotations

import uuid

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factors.fitmap import (
    FitItem,
    FitStatus,
    ReasonKind,
    RoleAnswers,
    SeekerAnswers,
    fit_map,
    overall_score,
    thousandths,
)
from factors.ranking import VectorLayout, rank_order, score_many
from factors.scales import Direction

KEYS = [
    "values",
    "culture",
    "work_arrangements",
    "skills_competencies",
    "productivity_engagement",
    "pay_benefits",
]
NEED, OFFER = Direction.WORKER_NEEDS, Direction.WORKER_OFFERS


def _items(per_factor: int = 3, offers_in: tuple[str, ...] = ("skills_competencies",)):
    items = []
    for key in KEYS:
        for n in range(per_factor):
            direction = OFFER if key in offers_in and n == per_factor - 1 else NEED
            items.append(FitItem(uuid.uuid5(uuid.NAMESPACE_DNS, f"{key}-{n}"), key, direction))
    return items


def test_thousandths_and_score_round_half_up():
    assert thousandths(1, 2) == 500
    assert thousandths(2, 3) == 667
    assert thousandths(0, 0) == 1000
    assert overall_score([1000, 1000, 500, 500]) == 75
    assert overall_score([1000, 1000, 1000]) is None
    assert overall_score([995, 1000, 1000, 1000]) == 100  # 99.875 -> 100
    assert overall_score([985, 1000, 1000, 1000]) == 100  # 99.625 -> 100
    assert overall_score([980, 980, 980, 980]) == 98


def test_worked_example_from_docs():
    """docs/matching.md, "A worked example", computed by hand."""
    a, b, c = (uuid.uuid4() for _ in range(3))
    items = [
        FitItem(a, "work_arrangements", NEED),
        FitItem(b, "work_arrangements", NEED),
        FitItem(c, "work_arrangements", NEED),
    ]
    seeker = SeekerAnswers(needs={a: (3, False), b: (2, False), c: (1, True)}, offers={})
    role = RoleAnswers(offers={a: 2, b: 1, c: 0}, needs={})
    factor = fit_map(
        factor_keys=["work_arrangements"], items=items, seeker=seeker, role=role
    ).factors[0]
    # weights 2*3, 2*2, 2*1 = 12; met 3*2 + 2*1 + 1*0 = 8; 8/12 = 0.6667 -> 667
    assert factor.fit == 667
    # The deal-breaker (c, not offered) makes it a gap whatever the number says.
    assert factor.status == FitStatus.GAP
    assert [r.kind for r in factor.attracts] == [ReasonKind.MUST_HAVE_OFFERED]
    assert [r.kind for r in factor.pushes] == [ReasonKind.DEALBREAKER_NOT_OFFERED]
    assert [r.kind for r in factor.discuss] == [ReasonKind.COULD_OFFER]


def test_missing_answers_make_a_factor_not_comparable_and_say_how_many():
    items = _items()
    seeker = SeekerAnswers(needs={}, offers={})
    role = RoleAnswers(offers={i.identity: 2 for i in items}, needs={i.identity: 1 for i in items})
    result = fit_map(factor_keys=KEYS, items=items, seeker=seeker, role=role)
    assert result.score is None and result.comparable == 0
    assert all(f.status == FitStatus.NOT_COMPARABLE for f in result.factors)
    assert result.factors[0].seeker_missing == 3 and result.factors[0].employer_missing == 0


def test_empty_profiles_never_get_a_number():
    items = _items()
    result = fit_map(
        factor_keys=KEYS, items=items, seeker=SeekerAnswers({}, {}), role=RoleAnswers({}, {})
    )
    assert result.score is None and not result.enough_information


def test_employer_must_have_skill_not_offered_is_a_push():
    s = uuid.uuid4()
    items = [FitItem(s, "skills_competencies", OFFER)]
    result = fit_map(
        factor_keys=["skills_competencies"],
        items=items,
        seeker=SeekerAnswers(needs={}, offers={s: 0}),
        role=RoleAnswers(offers={}, needs={s: 3}),
    )
    assert result.factors[0].status == FitStatus.GAP
    assert result.dealbreakers[0].kind == ReasonKind.EMPLOYER_MUST_NOT_OFFERED


def test_across_versions_is_said():
    items = _items(per_factor=1)
    answers = {i.identity: (1, False) for i in items}
    result = fit_map(
        factor_keys=KEYS,
        items=items,
        seeker=SeekerAnswers(answers, {i.identity: 2 for i in items}, frozenset({1})),
        role=RoleAnswers(
            {i.identity: 2 for i in items}, {i.identity: 1 for i in items}, frozenset({2})
        ),
    )
    assert result.across_versions


# --- properties ---------------------------------------------------------------------

ITEMS = _items(per_factor=3, offers_in=("skills_competencies", "productivity_engagement"))


@st.composite
def pairs(draw, complete: bool = False):
    needs, offers, role_offers, role_needs = {}, {}, {}, {}
    for item in ITEMS:
        answered = complete or draw(st.booleans()) or draw(st.booleans())
        role_answered = complete or draw(st.booleans()) or draw(st.booleans())
        if item.direction == NEED:
            if answered:
                needs[item.identity] = (draw(st.integers(0, 3)), draw(st.booleans()))
            if role_answered:
                role_offers[item.identity] = draw(st.integers(0, 2))
        else:
            if answered:
                offers[item.identity] = draw(st.integers(0, 3))
            if role_answered:
                role_needs[item.identity] = draw(st.integers(0, 3))
    return SeekerAnswers(needs, offers), RoleAnswers(role_offers, role_needs)


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_scores_stay_in_bounds(pair):
    seeker, role = pair
    result = fit_map(factor_keys=KEYS, items=ITEMS, seeker=seeker, role=role)
    assert result.score is None or 0 <= result.score <= 100
    for factor in result.factors:
        assert factor.fit is None or 0 <= factor.fit <= 1000


@settings(max_examples=300, deadline=None)
@given(pairs(complete=True), st.data())
def test_offering_more_of_what_the_seeker_wants_never_lowers_the_score(pair, data):
    seeker, role = pair
    wanted = [i for i in ITEMS if i.direction == NEED and seeker.needs[i.identity][0] > 0]
    if not wanted:
        return
    item = data.draw(st.sampled_from(wanted))
    before = fit_map(factor_keys=KEYS, items=ITEMS, seeker=seeker, role=role).score
    better = dict(role.offers)
    better[item.identity] = min(2, better[item.identity] + 1)
    after = fit_map(
        factor_keys=KEYS, items=ITEMS, seeker=seeker, role=RoleAnswers(better, role.needs)
    ).score
    assert after >= before


@settings(max_examples=300, deadline=None)
@given(pairs(complete=True), st.data())
def test_a_dealbreaker_always_shows(pair, data):
    seeker, role = pair
    item = data.draw(st.sampled_from([i for i in ITEMS if i.direction == NEED]))
    needs = dict(seeker.needs)
    needs[item.identity] = (data.draw(st.integers(1, 3)), True)
    offers = dict(role.offers)
    offers[item.identity] = 0
    result = fit_map(
        factor_keys=KEYS,
        items=ITEMS,
        seeker=SeekerAnswers(needs, seeker.offers),
        role=RoleAnswers(offers, role.needs),
    )
    assert any(r.fit_item.identity == item.identity for r in result.dealbreakers)
    factor = next(f for f in result.factors if f.factor_key == item.factor_key)
    assert factor.status == FitStatus.GAP


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_incomplete_data_never_yields_a_score(pair):
    seeker, role = pair
    result = fit_map(factor_keys=KEYS, items=ITEMS, seeker=seeker, role=role)
    if result.comparable < 4:
        assert result.score is None
    for factor in result.factors:
        if factor.seeker_missing or factor.employer_missing:
            assert factor.status == FitStatus.NOT_COMPARABLE and factor.fit is None


@settings(max_examples=60, deadline=None)
@given(st.lists(pairs(), min_size=1, max_size=25), pairs())
def test_fast_path_gives_identical_results(seekers, role_pair):
    _, role = role_pair
    layout = VectorLayout.build(factor_keys=KEYS, items=ITEMS)
    packed = [layout.seeker_vector(needs=s.needs, offers=s.offers) for s, _ in seekers]
    result = score_many(
        layout=layout,
        seekers=layout.unpack(packed),
        role=layout.role_vector(offers=role.offers, needs=role.needs),
    )
    for index, (seeker, _) in enumerate(seekers):
        reference = fit_map(factor_keys=KEYS, items=ITEMS, seeker=seeker, role=role)
        assert result.scores[index] == (-1 if reference.score is None else reference.score)
        assert list(result.statuses[index]) == [f.status for f in reference.factors]
        assert result.hard_pushes[index] == len(reference.dealbreakers)


def test_rank_order_puts_scored_first_then_fewer_dealbreakers():
    from factors.ranking import RankResult

    result = RankResult(
        scores=np.array([-1, 80, 90, 70]),
        statuses=np.empty((4, 0), dtype=object),
        hard_pushes=np.array([0, 0, 1, 0]),
    )
    assert list(rank_order(result)) == [1, 3, 2, 0]

"""The profile's logic, called directly with plain data: scores, lists, talking points, change."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from seekers import profile
from seekers.profile import FactorSummary, ItemLine

NEEDS, OFFERS = "worker_needs", "worker_offers"


def line(n: int, *, factor: str = "values", direction: str = NEEDS, level: int = 2, **kw):
    return ItemLine(
        identity=f"id-{factor}-{n}",
        factor_key=factor,
        factor_name=factor.replace("_", " ").capitalize(),
        text=kw.pop("text", f"Thing {n} of {factor}"),
        direction=direction,
        level=level,
        level_text=profile.level_text(direction, level),
        order=n,
        **kw,
    )


def factor(key: str, lines: list[ItemLine], *, total: int | None = None, order: int = 0, **kw):
    return profile.summarise_factor(
        key=key,
        name=key.replace("_", " ").capitalize(),
        order=order,
        total=len(lines) if total is None else total,
        lines=lines,
        **kw,
    )


def test_incomplete_factor_has_no_score_and_says_so():
    started = factor("values", [line(1, level=3)], total=4)
    assert started.needs_score is None and not started.complete
    assert started.needs_text == "Not finished: 1 of 4"
    untouched = factor("culture", [], total=4)
    assert untouched.needs_score is None and untouched.needs_text == "Not started"


def test_complete_factor_scores_the_average_importance():
    done = factor("values", [line(1, level=3), line(2, level=2), line(3, level=1)])
    assert done.needs_score == 66.7
    assert done.needs_text == "Important"
    zeros = factor("culture", [line(1, level=0), line(2, level=0)])
    assert zeros.needs_score == 0.0 and zeros.needs_text == "Not important"
    halfway = factor("pay_benefits", [line(1, level=3), line(2, level=2)])
    assert halfway.needs_text == "Must have"  # 2.5 rounds up


def test_chart_rows_draw_no_bar_for_incomplete_factors():
    summary = _summary(
        [
            factor("values", [line(1, level=3)]),
            factor("culture", [line(1, factor="culture")], total=3, order=1),
        ]
    )
    rows = summary.chart_rows
    assert rows[0].value == 100.0
    assert rows[1].value is None and rows[1].value_text == "Not finished: 1 of 3"


def test_must_haves_dealbreakers_and_offers():
    lines = [
        line(1, level=3),
        line(2, level=3, dealbreaker=True),
        line(3, level=1),
        line(4, direction=OFFERS, level=2),
        line(5, direction=OFFERS, level=3),
        line(6, direction=OFFERS, level=3, example="Ran the till at a busy bakery"),
        line(7, direction=OFFERS, level=1),
    ]
    factors = [factor("skills_competencies", lines)]
    assert [x.order for x in profile.must_haves_of(factors)] == [1, 2]
    assert [x.order for x in profile.dealbreakers_of(factors)] == [2]
    # Strongest first; with an example before without; "A little" is not listed.
    assert [x.order for x in profile.offers_of(factors)] == [6, 5, 4]


def _summary(factors: list[FactorSummary]) -> profile.ProfileSummary:
    offers = profile.offers_of(factors)
    dealbreakers = profile.dealbreakers_of(factors)
    return profile.ProfileSummary(
        version_number=1,
        factors=tuple(factors),
        must_haves=profile.must_haves_of(factors),
        dealbreakers=dealbreakers,
        offers=offers,
        mindset=profile.MindsetSnapshot(rounds=0, first_at=None, latest_at=None),
        talking_points=profile.talking_points(
            factors=factors, offers=offers, dealbreakers=dealbreakers
        ),
    )


def _rich_profile() -> list[FactorSummary]:
    return [
        factor(
            "values",
            [line(1, text="Being treated fairly by my boss", level=2), line(2, level=1)],
            reflection="Helping at the food bank made me proud.",
        ),
        factor(
            "pay_benefits",
            [
                line(1, factor="pay_benefits", text="Paid sick days", level=3, dealbreaker=True),
                line(2, factor="pay_benefits", text="A fair wage for the work", level=3),
            ],
            order=5,
        ),
        factor(
            "skills_competencies",
            [
                line(
                    1,
                    factor="skills_competencies",
                    direction=OFFERS,
                    level=3,
                    text="I am good with customers",
                    example="Two summers at a busy café",
                ),
                line(
                    2,
                    factor="skills_competencies",
                    direction=OFFERS,
                    level=2,
                    text="I work well with others",
                ),
            ],
            order=3,
        ),
    ]


def test_talking_points_follow_a_fixed_order_of_priority():
    points = _summary(_rich_profile()).talking_points
    assert points == (
        "I am good with customers. For example: Two summers at a busy café",
        "What matters most to me in a job is pay benefits, especially paid sick days.",
        "I do my best work when I have: paid sick days; a fair wage for the work; "
        "being treated fairly by my boss.",
        "I work well with others.",
        "A question I can ask the employer: how does this job handle “Paid sick days”?",
    )


def test_talking_points_are_deterministic_and_use_the_reflection_when_room():
    factors = _rich_profile()
    factors[2] = factor("skills_competencies", [line(1, factor="skills_competencies")], order=3)
    first = _summary(factors).talking_points
    assert first == _summary(factors).talking_points
    assert first[-1] == "A story I can tell about Values: Helping at the food bank made me proud."


def test_long_examples_and_stories_are_shortened_on_a_word():
    long = "word " * 100
    point = profile.point_for_offer(line(1, direction=OFFERS, level=3, example=long))
    assert point.endswith("…") and len(point) < 300 and "wor…" not in point


def test_no_talking_points_without_answers():
    assert _summary([factor("values", [], total=5)]).talking_points == ()


def test_all_low_answers_still_give_three_points():
    lines = [line(n, level=0) for n in range(3)] + [
        line(n, direction=OFFERS, level=0) for n in range(3, 5)
    ]
    points = _summary([factor("skills_competencies", lines)]).talking_points
    assert 3 <= len(points) <= 5
    assert points[0].startswith("Something I am working on")


@settings(max_examples=60, deadline=None)
@given(
    levels=st.lists(
        st.tuples(st.sampled_from([NEEDS, OFFERS]), st.integers(0, 3), st.booleans()),
        min_size=1,
        max_size=12,
    ),
    reflection=st.text(max_size=50),
)
def test_any_complete_profile_gets_three_to_five_points(levels, reflection):
    lines = [
        line(n, direction=d, level=lv, dealbreaker=d == NEEDS and lv > 0 and db)
        for n, (d, lv, db) in enumerate(levels)
    ]
    summary = _summary([factor("culture", lines, reflection=reflection)])
    assert summary.complete
    assert 3 <= len(summary.talking_points) <= 5


def test_lower_first_keeps_acronyms_and_the_word_i():
    assert profile._lower_first("A steady schedule") == "a steady schedule"
    assert profile._lower_first("TV at work") == "TV at work"
    assert profile._lower_first("I can lift") == "I can lift"


def test_changes_compare_items_by_identity():
    before = profile.snapshot_of(
        version_number=1,
        factors=[factor("values", [line(1, level=3, dealbreaker=True), line(2, level=1)])],
    )
    after = profile.snapshot_of(
        version_number=2,
        factors=[factor("values", [line(1, level=1), line(3, level=2)])],
    )
    texts = {"id-values-1": "Fairness", "id-values-2": "Purpose", "id-values-3": "Honesty"}
    changes = profile.profile_changes(
        before=before, after=after, item_texts=texts, factor_names={"values": "Values"}
    )
    assert [c.text for c in changes] == [
        "Values matters less to you than before.",
        "“Fairness”: now Nice to have (was Must have).",
        "No longer a deal-breaker: “Fairness”.",
        "New answer: “Honesty”.",
        "No longer asked: “Purpose”.",
    ]


def test_factor_shift_is_reported_first():
    before = profile.snapshot_of(version_number=1, factors=[factor("values", [line(1, level=0)])])
    after = profile.snapshot_of(version_number=1, factors=[factor("values", [line(1, level=3)])])
    changes = profile.profile_changes(
        before=before, after=after, item_texts={}, factor_names={"values": "Values"}
    )
    assert changes[0].kind == "factor"
    assert changes[0].text == "Values matters more to you than before."


def test_no_change_no_lines():
    snap = profile.snapshot_of(version_number=1, factors=_rich_profile())
    assert profile.profile_changes(before=snap, after=snap, item_texts={}, factor_names={}) == []
    assert profile.same_profile(snap, snap)


def test_mindset_change_reads_limiting_beliefs_the_other_way():
    narrow_then_open = profile.MindsetLine(
        identity="a",
        factor_name="Pay",
        text="Only pay matters",
        limiting=True,
        latest=1,
        latest_text="",
        first=5,
        first_text="",
    )
    assert narrow_then_open.change == "wider"
    open_belief_dropped = profile.MindsetLine(
        identity="b",
        factor_name="Pay",
        text="Benefits count",
        limiting=False,
        latest=2,
        latest_text="",
        first=4,
        first_text="",
    )
    assert open_belief_dropped.change == "narrower"
    only_once = profile.MindsetLine(
        identity="c",
        factor_name="Pay",
        text="x",
        limiting=True,
        latest=3,
        latest_text="",
        first=None,
        first_text="",
    )
    assert only_once.change is None

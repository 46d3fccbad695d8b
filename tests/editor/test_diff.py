"""``version_diff`` is pure: worked cases on hand-built snapshots, no database."""

from __future__ import annotations

import uuid
from dataclasses import replace

from django.utils import translation

from factors.editor.diff import (
    ChangeKind,
    FactorState,
    ItemState,
    PromptState,
    VersionContent,
    version_diff,
)

A, B, C, D, E = (uuid.uuid5(uuid.NAMESPACE_DNS, name) for name in "abcde")
VALUES = FactorState(
    key="values",
    order=0,
    texts={"name_en": "Values", "name_fr": "Valeurs", "definition_en": "What matters."},
)


def item(identity, order, text, **extra):
    defaults = {
        "identity": identity,
        "factor_key": "values",
        "code": f"values-{order}",
        "direction": "worker_needs",
        "worker_text_en": text,
        "worker_text_fr": f"{text} (fr)",
        "employer_text_en": f"We offer: {text}",
        "employer_text_fr": f"Nous offrons : {text}",
        "order": order,
    }
    return ItemState(**(defaults | extra))


BASE = VersionContent(
    factors=(VALUES,),
    items=(item(A, 0, "Fair treatment"), item(B, 1, "Purpose"), item(C, 2, "Honesty")),
)


def test_identical_versions_have_no_changes():
    assert version_diff(old=BASE, new=BASE) == []


def test_wording_change_names_side_language_before_and_after():
    new = replace(
        BASE,
        items=(replace(BASE.items[0], worker_text_en="Being treated fairly"), *BASE.items[1:]),
    )
    [change] = version_diff(old=BASE, new=new)
    assert change.kind == ChangeKind.TEXT and change.field == "worker_text"
    assert change.sentence == (
        "Item “Fair treatment”: job seeker wording in English changed "
        "from “Fair treatment” to “Being treated fairly”."
    )


def test_employer_wording_in_french_added_and_removed():
    items = list(BASE.items)
    old = replace(BASE, items=(replace(items[1], employer_text_fr=""), *tuple(items[2:])))
    new = replace(BASE, items=(items[1], replace(items[2], employer_text_fr="")))
    sentences = [c.sentence for c in version_diff(old=old, new=new)]
    assert sentences == [
        "Item “Purpose”: employer wording in French added: “Nous offrons : Purpose”.",
        "Item “Honesty”: employer wording in French removed (it was “Nous offrons : Honesty”).",
    ]


def test_new_item_and_retired_item():
    new = replace(
        BASE,
        items=(
            BASE.items[0],
            replace(BASE.items[1], retired=True),
            BASE.items[2],
            item(D, 3, "Community"),
        ),
    )
    changes = version_diff(old=BASE, new=new)
    assert [(c.kind, c.code) for c in changes] == [
        (ChangeKind.RETIRED, "values-1"),
        (ChangeKind.ADDED, "values-3"),
    ]
    assert changes[0].sentence == (
        "Retired: Item “Purpose” in Values is no longer asked; earlier answers keep it."
    )
    assert changes[1].sentence == "New item in Values: “Community”."


def test_retired_items_do_not_count_as_moved_and_others_keep_their_place():
    """Retiring the first item shifts every position, but nothing moved."""
    new = replace(BASE, items=(replace(BASE.items[0], retired=True), *BASE.items[1:]))
    assert [c.kind for c in version_diff(old=BASE, new=new)] == [ChangeKind.RETIRED]


def test_adding_in_the_middle_moves_nothing():
    new = replace(
        BASE,
        items=(
            BASE.items[0],
            item(D, 1, "Community"),
            replace(BASE.items[1], order=2),
            replace(BASE.items[2], order=3),
        ),
    )
    assert [c.kind for c in version_diff(old=BASE, new=new)] == [ChangeKind.ADDED]


def test_moving_last_item_to_the_top_is_one_move_not_three():
    new = replace(
        BASE,
        items=(
            replace(BASE.items[0], order=1),
            replace(BASE.items[1], order=2),
            replace(BASE.items[2], order=0),
        ),
    )
    [change] = version_diff(old=BASE, new=new)
    assert change.kind == ChangeKind.MOVED and change.code == "values-2"
    assert change.sentence == "Moved: Item “Honesty” is now number 1 in Values (it was number 3)."


def test_swapping_two_neighbours_reports_one_move():
    new = replace(
        BASE,
        items=(replace(BASE.items[0], order=1), replace(BASE.items[1], order=0), BASE.items[2]),
    )
    changes = version_diff(old=BASE, new=new)
    assert [c.kind for c in changes] == [ChangeKind.MOVED]


def test_restored_item_and_direction_and_cost():
    old = replace(BASE, items=(replace(BASE.items[0], retired=True), *BASE.items[1:]))
    new = replace(
        BASE,
        items=(
            BASE.items[0],
            replace(BASE.items[1], direction="worker_offers", cost="low"),
            *BASE.items[2:],
        ),
    )
    sentences = [c.sentence for c in version_diff(old=old, new=new)]
    assert sentences == [
        "Brought back: Item “Fair treatment” in Values is asked again.",
        "Item “Purpose”: direction changed from “Worker needs, employer offers” "
        "to “Employer needs, worker offers”.",
        "Item “Purpose”: cost to offer changed from “not set” to “Low cost”.",
    ]


def test_item_added_and_retired_in_between_is_not_news():
    new = replace(BASE, items=(*BASE.items, item(D, 3, "Community", retired=True)))
    assert version_diff(old=BASE, new=new) == []


def test_factor_text_change():
    new_factor = FactorState(
        key="values", order=0, texts=VALUES.texts | {"definition_fr": "Ce qui compte."}
    )
    [change] = version_diff(old=BASE, new=replace(BASE, factors=(new_factor,)))
    assert change.subject == "factor"
    assert change.sentence == "Values: definition in French added: “Ce qui compte.”."


def test_prompt_changes_by_side():
    worker = PromptState(
        identity=D,
        factor_key="values",
        code="values-mindset-a",
        side="worker",
        text_en="Any job will do",
        text_fr="N'importe quel emploi",
        limiting=True,
        order=0,
    )
    employer = replace(
        worker, identity=E, code="values-mindset-b", side="employer", text_en="Pay is all"
    )
    old = replace(BASE, prompts=(worker, employer))
    new = replace(BASE, prompts=(replace(worker, limiting=False), replace(employer, side="worker")))
    sentences = [c.sentence for c in version_diff(old=old, new=new)]
    assert (
        "Mindset prompt “Any job will do”: agreeing no longer shows a narrow mindset." in sentences
    )
    assert (
        "Mindset prompt “Pay is all”: now asked of “Job seeker” (it was “Employer”)." in sentences
    )


def test_sentences_follow_the_readers_language():
    new = replace(BASE, items=(*BASE.items, item(D, 3, "Community")))
    [change] = version_diff(old=BASE, new=new)
    with translation.override("fr"):
        sentence = change.sentence
    assert "Valeurs" in sentence and "Community (fr)" in sentence and "Nouvel" in sentence


def test_changes_come_in_factor_order_then_items_then_prompts():
    culture = FactorState(key="culture", order=1, texts={"name_en": "Culture"})
    old = replace(BASE, factors=(VALUES, culture))
    new = replace(
        old,
        items=(
            *BASE.items,
            item(D, 0, "Respect", factor_key="culture", code="culture-respect"),
            item(E, 9, "Family"),
        ),
    )
    assert [c.code for c in version_diff(old=old, new=new)] == ["values-9", "culture-respect"]

"""The editor's writes: each one transaction, refused on published versions, logged."""

from __future__ import annotations

import pytest

from employers.models import OfferAnswer
from factors import services as framework
from factors.editor import selectors, services
from factors.models import ChangeAction, FrameworkChange, FrameworkLocked, Item, MindsetPrompt
from factors.selectors import current_version
from seekers.models import Answer
from tests.editor.conftest import factor_of

pytestmark = pytest.mark.django_db


def active_codes(factor):
    return list(
        factor.items.filter(retired=False).order_by("order", "pk").values_list("code", flat=True)
    )


def test_factor_texts_in_both_languages_are_saved_and_logged(cast, draft):
    factor = factor_of(draft)
    changed = services.factor_texts_update(
        factor=factor,
        data={"definition_en": "  What matters most.  ", "definition_fr": "Ce qui compte le plus."},
        by=cast.admin,
    )
    factor.refresh_from_db()
    assert changed == ["definition_en", "definition_fr"]
    assert (
        factor.definition_en == "What matters most."
        and factor.definition_fr == "Ce qui compte le plus."
    )
    entry = FrameworkChange.objects.get(action=ChangeAction.FACTOR_EDITED)
    assert entry.by == cast.admin and entry.version == draft and entry.factor_key == "values"
    assert entry.fields_display == "definition (English), definition (French)"


def test_an_unchanged_save_writes_nothing_and_logs_nothing(cast, draft):
    factor = factor_of(draft)
    item = factor.items.first()
    before = FrameworkChange.objects.count()
    assert (
        services.item_update(item=item, data={"worker_text_en": item.worker_text_en}, by=cast.admin)
        == []
    )
    assert FrameworkChange.objects.count() == before


def test_add_item_gives_a_new_identity_a_readable_code_and_the_last_place(cast, draft):
    factor = factor_of(draft)
    identities = set(Item.objects.values_list("identity", flat=True))
    item = services.item_add(
        factor=factor,
        data={
            "worker_text_en": "A boss who listens",
            "worker_text_fr": "Un patron qui écoute",
            "employer_text_en": "We listen to our staff",
            "employer_text_fr": "Nous écoutons notre personnel",
            "direction": "worker_needs",
            "cost": "low",
        },
        by=cast.admin,
    )
    assert item.identity not in identities
    assert item.code == "values-a-boss-who-listens"
    assert active_codes(factor)[-1] == item.code
    # The same wording again (a double submit) is refused; nothing is added twice.
    with pytest.raises(services.EditorError, match="already has"):
        services.item_add(
            factor=factor,
            data={"worker_text_en": "a boss who listens ", "direction": "worker_needs"},
            by=cast.admin,
        )
    # Different wording that slugs to a code already taken, in any version, gets a suffix.
    again = services.item_add(
        factor=factor,
        data={"worker_text_en": "A boss who listens!", "direction": "worker_needs"},
        by=cast.admin,
    )
    assert again.code == "values-a-boss-who-listens-2"
    assert FrameworkChange.objects.filter(action=ChangeAction.ITEM_ADDED).count() == 2


def test_retire_keeps_the_row_and_restore_brings_it_back_last(cast, draft):
    factor = factor_of(draft)
    first = factor.items.order_by("order").first()
    services.item_retire(item=first, by=cast.admin)
    first.refresh_from_db()
    assert first.retired and Item.objects.filter(pk=first.pk).exists()
    assert first.code not in active_codes(factor)
    services.item_retire(item=first, by=cast.admin)  # a double click changes nothing more
    assert FrameworkChange.objects.filter(action=ChangeAction.ITEM_RETIRED).count() == 1
    with pytest.raises(services.EditorError, match="retired"):
        services.item_update(item=first, data={"worker_text_en": "x"}, by=cast.admin)
    services.item_restore(item=first, by=cast.admin)
    assert active_codes(factor)[-1] == first.code
    actions = list(
        FrameworkChange.objects.filter(subject=first.code).values_list("action", flat=True)
    )
    assert set(actions) == {ChangeAction.ITEM_RETIRED, ChangeAction.ITEM_RESTORED}


def test_move_up_and_down_swaps_neighbours_and_stops_at_the_ends(cast, draft):
    factor = factor_of(draft)
    codes = active_codes(factor)
    second = factor.items.get(code=codes[1])
    services.item_move(item=second, step=-1, by=cast.admin)
    assert active_codes(factor)[:2] == [codes[1], codes[0]]
    services.item_move(item=second, step=1, by=cast.admin)
    assert active_codes(factor) == codes
    with pytest.raises(services.EditorError, match="already first"):
        services.item_move(item=factor.items.get(code=codes[0]), step=-1, by=cast.admin)
    with pytest.raises(services.EditorError, match="already last"):
        services.item_move(item=factor.items.get(code=codes[-1]), step=1, by=cast.admin)


def test_prompts_add_move_within_their_side_and_retire(cast, draft):
    factor = factor_of(draft)
    prompt = services.prompt_add(
        factor=factor,
        data={
            "text_en": "Only the boss decides",
            "text_fr": "Seul le patron décide",
            "side": "worker",
            "limiting": True,
        },
        by=cast.admin,
    )
    assert prompt.code.startswith("values-mindset-only-the-boss")
    workers = list(factor.mindsets.filter(side="worker", retired=False).order_by("order"))
    assert workers[-1] == prompt
    services.prompt_move(prompt=prompt, step=-1, by=cast.admin)
    workers = list(factor.mindsets.filter(side="worker", retired=False).order_by("order"))
    assert workers[-2] == prompt
    services.prompt_retire(prompt=prompt, by=cast.admin)
    prompt.refresh_from_db()
    assert prompt.retired


def test_every_write_refuses_a_published_version(cast):
    published = factor_of(current_version())
    item = published.items.first()
    prompt = published.mindsets.first()
    calls = [
        lambda: services.factor_texts_update(
            factor=published, data={"name_en": "X"}, by=cast.admin
        ),
        lambda: services.item_update(item=item, data={"worker_text_en": "X"}, by=cast.admin),
        lambda: services.item_add(
            factor=published,
            data={"worker_text_en": "X", "direction": "worker_needs"},
            by=cast.admin,
        ),
        lambda: services.item_retire(item=item, by=cast.admin),
        lambda: services.item_move(item=item, step=1, by=cast.admin),
        lambda: services.prompt_update(prompt=prompt, data={"text_en": "X"}, by=cast.admin),
        lambda: services.prompt_retire(prompt=prompt, by=cast.admin),
    ]
    for call in calls:
        with pytest.raises(services.EditorError, match="Version 1 is published"):
            call()
    item.refresh_from_db()
    assert item.worker_text_en != "X" and not item.retired


def test_page_save_refuses_an_item_of_the_published_version_and_saves_nothing(cast, draft):
    factor = factor_of(draft)
    published_item = Item.objects.filter(factor__version=current_version()).first()
    edit = services.FactorPageEdit(
        texts={"name_en": "Changed name"},
        action=services.EditorAction(kind="item", verb="retire", pk=published_item.pk),
    )
    with pytest.raises(services.EditorError, match="belongs to version 1, which is published"):
        services.factor_page_save(factor=factor, edit=edit, by=cast.admin)
    factor.refresh_from_db()
    assert factor.name_en == "Values"


def test_page_save_is_all_or_nothing(cast, draft):
    """An item of another factor in the post: the factor's texts, saved first, roll back too."""
    factor = factor_of(draft)
    other = factor_of(draft, "culture").items.first()
    edit = services.FactorPageEdit(
        texts={"name_en": "Changed name"}, items={other.pk: {"worker_text_en": "Sneaky"}}
    )
    with pytest.raises(services.EditorError, match="not part of this factor"):
        services.factor_page_save(factor=factor, edit=edit, by=cast.admin)
    factor.refresh_from_db()
    other.refresh_from_db()
    assert factor.name_en == "Values" and other.worker_text_en != "Sneaky"
    assert not FrameworkChange.objects.filter(action=ChangeAction.FACTOR_EDITED).exists()


def test_history_records_draft_edits_and_publish_in_order(cast):
    draft = framework.draft_start(by=cast.admin)
    factor = factor_of(draft)
    item = factor.items.first()
    services.item_update(
        item=item, data={"worker_text_fr": "Être traité avec équité"}, by=cast.admin
    )
    framework.version_publish(version=draft, by=cast.admin, note="Plainer French")
    rows = list(selectors.history())
    assert [r.action for r in rows] == [
        ChangeAction.PUBLISHED,
        ChangeAction.ITEM_EDITED,
        ChangeAction.DRAFT_STARTED,
    ]
    assert rows[0].note == "Plainer French" and rows[1].subject == item.code
    assert rows[1].fields == ["worker_text_fr"]
    assert all(r.by == cast.admin and r.version == draft for r in rows)


def test_publish_refused_with_a_blank_note(cast, draft):
    with pytest.raises(framework.FrameworkError, match="say why"):
        framework.version_publish(version=draft, by=cast.admin, note="   ")


def test_missing_translations_name_the_place_and_link_to_the_field(cast, draft):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    services.item_update(item=item, data={"employer_text_fr": ""}, by=cast.admin)
    services.factor_texts_update(factor=factor, data={"guidance_en": ""}, by=cast.admin)
    missing = framework.missing_translations(version=draft)
    assert [str(m) for m in missing] == [
        "Values: practitioner guidance has no English text",
        f"Values / {item.code}: employer wording has no French text",
    ]
    assert missing[1].anchor == f"id_item-{item.pk}-employer_text_fr"
    assert missing[0].anchor == "id_factor-guidance_en"


def test_carry_forward_data_old_answers_keep_old_rows_new_version_keeps_identities(cast, draft):
    """The data side of carrying answers forward, after add, edit and retire, then publish."""
    v1 = current_version()
    old_items = {i.code: i for i in Item.objects.filter(factor__version=v1)}
    edited, retired, unchanged = "values-fair-treatment", "values-purpose", "values-honesty"
    for code in (edited, retired, unchanged):
        Answer.objects.create(seeker=cast.seeker, item=old_items[code], level=2)
    OfferAnswer.objects.create(organisation=cast.organisation, item=old_items[edited], level=1)
    old_wording = old_items[edited].worker_text_en

    factor = factor_of(draft)
    new_item = services.item_add(
        factor=factor,
        data={
            "worker_text_en": "A say in my shifts",
            "worker_text_fr": "Mon mot à dire sur mes quarts",
            "employer_text_en": "Staff have a say in shifts",
            "employer_text_fr": "Le personnel a son mot à dire",
            "direction": "worker_needs",
        },
        by=cast.admin,
    )
    services.item_update(
        item=factor.items.get(code=edited),
        data={
            "worker_text_en": "Being treated fairly, every shift",
            "worker_text_fr": "Être traité équitablement, à chaque quart",
        },
        by=cast.admin,
    )
    services.item_retire(item=factor.items.get(code=retired), by=cast.admin)
    framework.version_publish(version=draft, by=cast.admin, note="Spring review")

    v2 = current_version()
    assert v2 == draft
    # Old answers still point at the version 1 rows, with the version 1 wording.
    for answer in Answer.objects.filter(seeker=cast.seeker).select_related("item__factor__version"):
        assert answer.item.factor.version == v1
    assert (
        Answer.objects.get(seeker=cast.seeker, item__code=edited).item.worker_text_en == old_wording
    )
    assert OfferAnswer.objects.get(organisation=cast.organisation).item.factor.version == v1
    # The new version: same identities for every old item, the new one only in v2.
    new_items = {i.code: i for i in Item.objects.filter(factor__version=v2)}
    for code, old in old_items.items():
        assert new_items[code].identity == old.identity
    assert new_items[unchanged].worker_text_en == old_items[unchanged].worker_text_en
    assert not new_items[unchanged].retired
    assert new_items[retired].retired and not old_items[retired].retired
    assert new_items[edited].worker_text_en == "Being treated fairly, every shift"
    assert new_item.identity not in {i.identity for i in old_items.values()}
    # Published rows stay locked, old and new.
    with pytest.raises(FrameworkLocked):
        new_items[edited].save()


def test_retired_prompts_and_items_are_never_deleted(cast, draft):
    factor = factor_of(draft)
    counts = (Item.objects.count(), MindsetPrompt.objects.count())
    services.item_retire(item=factor.items.first(), by=cast.admin)
    services.prompt_retire(prompt=factor.mindsets.first(), by=cast.admin)
    assert (Item.objects.count(), MindsetPrompt.objects.count()) == counts

"""The versioned, bilingual framework: starter bank, drafts, publishing, immutability."""

from __future__ import annotations

import pytest

from factors import services
from factors.models import FrameworkLocked, FrameworkVersion, Item
from factors.scales import Direction, FactorKey
from factors.selectors import current_version
from factors.starter import read_starter
from seekers.models import Answer

pytestmark = pytest.mark.django_db


def test_starter_bank_is_published_as_version_one_with_six_factors():
    version = current_version()
    assert version is not None and version.number == 1 and version.is_published
    assert sorted(version.factors.values_list("key", flat=True)) == sorted(FactorKey.values)


@pytest.mark.parametrize("key", FactorKey.values)
def test_each_factor_has_eight_items_and_two_mindsets_in_both_languages(key):
    factor = current_version().factors.get(key=key)
    items = list(factor.items.all())
    assert len(items) >= 8
    assert factor.mindsets.count() >= 2
    for item in items:
        assert item.worker_text_en and item.worker_text_fr
        assert item.employer_text_en and item.employer_text_fr
    assert factor.definition_fr and factor.name_fr


@pytest.mark.parametrize("key", [FactorKey.SKILLS_COMPETENCIES, FactorKey.PRODUCTIVITY_ENGAGEMENT])
def test_skills_and_engagement_carry_items_in_both_directions(key):
    directions = set(
        current_version().factors.get(key=key).items.values_list("direction", flat=True)
    )
    assert directions == {Direction.WORKER_NEEDS, Direction.WORKER_OFFERS}


def test_pay_and_benefits_includes_non_monetary_rewards():
    texts = " ".join(
        current_version()
        .factors.get(key=FactorKey.PAY_BENEFITS)
        .items.values_list("worker_text_en", flat=True)
    ).lower()
    assert "recogni" in texts or "thank" in texts


def test_starter_file_codes_are_unique():
    codes = [i["code"] for f in read_starter()["factors"] for i in f["items"] + f["mindsets"]]
    assert len(codes) == len(set(codes))


def test_localized_text_follows_active_language():
    from django.utils import translation

    item = Item.objects.filter(factor__version=current_version()).first()
    with translation.override("fr"):
        assert item.worker_text == item.worker_text_fr
    with translation.override("en"):
        assert item.worker_text == item.worker_text_en


def test_published_version_cannot_be_changed_in_place():
    item = Item.objects.filter(factor__version=current_version()).first()
    item.worker_text_en = "Changed"
    with pytest.raises(FrameworkLocked):
        item.save()
    with pytest.raises(FrameworkLocked):
        item.delete()


def test_draft_copies_everything_with_same_identities():
    published = current_version()
    draft = services.draft_start(by=None)
    assert draft.number == published.number + 1 and not draft.is_published
    old = dict(Item.objects.filter(factor__version=published).values_list("identity", "code"))
    new = dict(Item.objects.filter(factor__version=draft).values_list("identity", "code"))
    assert old == new
    # Only one draft at a time: asking again returns the same one.
    assert services.draft_start(by=None).pk == draft.pk


def test_publish_refused_when_a_translation_is_missing_and_names_it():
    draft = services.draft_start(by=None)
    item = Item.objects.filter(factor__version=draft, code__startswith="values-").first()
    item.worker_text_fr = ""
    item.save()
    with pytest.raises(services.FrameworkError) as refusal:
        services.version_publish(version=draft, by=None, note="test")
    assert item.code in str(refusal.value) and "French" in str(refusal.value)
    draft.refresh_from_db()
    assert not draft.is_published


def test_new_wording_after_publish_while_old_answers_keep_old_wording(cast):
    published = current_version()
    old_item = Item.objects.get(factor__version=published, code="values-fair-treatment")
    answer = Answer.objects.create(seeker=cast.seeker, item=old_item, level=3)
    old_wording = old_item.worker_text_en

    draft = services.draft_start(by=cast.admin)
    draft_item = Item.objects.get(factor__version=draft, code="values-fair-treatment")
    draft_item.worker_text_en = "Being treated fairly, every shift"
    draft_item.worker_text_fr = "Être traité équitablement, à chaque quart"
    draft_item.save()
    services.version_publish(version=draft, by=cast.admin, note="Clearer wording")

    assert current_version().pk == draft.pk
    answer.refresh_from_db()
    assert answer.item.worker_text_en == old_wording
    assert (
        Item.objects.get(
            factor__version=current_version(), code="values-fair-treatment"
        ).worker_text_en
        == "Being treated fairly, every shift"
    )
    assert FrameworkVersion.objects.published().count() == 2


def test_publishing_twice_is_refused():
    draft = services.draft_start(by=None)
    services.version_publish(version=draft, by=None, note="first")
    with pytest.raises(services.FrameworkError):
        services.version_publish(version=draft, by=None, note="again")

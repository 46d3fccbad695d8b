"""A published version's items are read once per process; drafts and newly published
versions are never answered from what was kept."""

from __future__ import annotations

import pytest

from factors.matching import match_items
from factors.models import Factor, Item
from factors.services import draft_start
from tests.matching.test_matching import _publish_new_version

pytestmark = pytest.mark.django_db


def test_a_published_versions_items_are_read_once(django_assert_num_queries):
    first = match_items()
    # Only "which version is current" is asked again: the items are kept.
    with django_assert_num_queries(1):
        again = match_items()
    assert again.items == first.items
    assert again.layout() is first.layout()


def test_a_draft_is_read_afresh_every_time(cast):
    draft = draft_start(by=cast.admin)
    before = match_items(version=draft)
    Item.objects.create(
        factor=Factor.objects.get(version=draft, key="values"),
        code="values-late",
        direction="worker_needs",
        worker_text_en="Added after the first read",
        worker_text_fr="Ajouté après la première lecture",
        employer_text_en="Added.",
        employer_text_fr="Ajouté.",
    )
    after = match_items(version=draft)
    assert len(after.items) == len(before.items) + 1


def test_publishing_a_new_version_gives_its_own_items(cast, django_capture_on_commit_callbacks):
    old = match_items()
    with django_capture_on_commit_callbacks(execute=False):
        new_version = _publish_new_version(cast)
    current = match_items()
    assert current.version.pk == new_version.pk != old.version.pk
    assert len(current.items) == len(old.items) + 1
    assert "values-extra" in {fit_item.item.code for fit_item in current.items}

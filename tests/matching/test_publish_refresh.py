"""Publishing a version re-packs the match vectors in a background task, after commit;
until it has run, ranking re-packs what it reads and never ranks from a stale layout."""

from __future__ import annotations

import random

import pytest
from kombu.exceptions import OperationalError

from factors import tasks
from factors.matching import (
    _store_if_stale,
    fit_for,
    match_items,
    rank_seekers_for_role,
    rebuild_match_vectors,
    refresh_stale_match_vectors,
)
from seekers.models import Seeker, SeekerVector
from tests.employers.conftest import answer_everything, make_role
from tests.matching.test_matching import (
    _current_items,
    _expected_vector,
    _publish_new_version,
    _random_answers,
)

pytestmark = pytest.mark.django_db


def _answered_world(cast):
    for n, person in enumerate([cast.seeker, cast.seeker2]):
        _random_answers(random.Random(n), person, _current_items(), skip=0)
    answer_everything(cast.organisation, offer=2, need=2)
    rebuild_match_vectors()
    return make_role(cast.organisation)


def test_publish_enqueues_the_repack_after_commit_not_inside_it(
    cast,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    role = _answered_world(cast)
    old = SeekerVector.objects.get(seeker=cast.seeker).version_id
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new_version = _publish_new_version(cast)
    # Inside the publish transaction nothing was re-packed ...
    assert set(SeekerVector.objects.values_list("version_id", flat=True)) == {old}
    assert [c.__name__ for c in callbacks] == ["match_vectors_refresh_dispatch"]
    # ... and the task runs once the publish is committed.
    callbacks[0]()
    vectors = SeekerVector.objects.filter(seeker__in=[cast.seeker, cast.seeker2])
    assert {v.version_id for v in vectors} == {new_version.pk}
    assert bytes(vectors.get(seeker=cast.seeker).data) == _expected_vector(cast.seeker)
    # A second run finds nothing left to do.
    assert refresh_stale_match_vectors() == 0
    page = rank_seekers_for_role(role=role, seekers_queryset=Seeker.objects.all())
    assert page.total == Seeker.objects.count()


def test_ranking_before_the_task_has_run_equals_the_reference(
    cast, django_capture_on_commit_callbacks
):
    role = _answered_world(cast)
    with django_capture_on_commit_callbacks(execute=False):
        new_version = _publish_new_version(cast)  # the task never runs here
    page = rank_seekers_for_role(role=role, seekers_queryset=Seeker.objects.all(), page_size=10)
    for row in page.rows:
        reference = fit_for(seeker=Seeker.objects.get(pk=row.seeker_id), role=role)
        assert row.score == reference.score
        assert row.statuses == {f.factor_key: f.status for f in reference.factors}
    # The stale vectors were re-packed for the new layout as they were read.
    assert set(SeekerVector.objects.values_list("version_id", flat=True)) == {new_version.pk}


def test_the_repack_never_overwrites_a_vector_made_current_meanwhile(cast):
    _answered_world(cast)
    version = match_items().version
    current = bytes(SeekerVector.objects.get(seeker=cast.seeker).data)
    older = bytes(len(current))
    _store_if_stale({cast.seeker.pk: older}, version)
    assert bytes(SeekerVector.objects.get(seeker=cast.seeker).data) == current
    SeekerVector.objects.filter(seeker=cast.seeker2).delete()
    _store_if_stale({cast.seeker2.pk: older}, version)
    assert bytes(SeekerVector.objects.get(seeker=cast.seeker2).data) == older


def test_publish_succeeds_with_the_broker_down(cast, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.refresh_match_vectors, "apply_async", refuse)
    assert tasks.match_vectors_refresh_dispatch() is False
    assert "re-packed by ranking" in caplog.text

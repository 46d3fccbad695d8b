"""Matching reads: answers across versions, packed vectors kept current, ranking = reference."""

from __future__ import annotations

import random

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from employers.models import OfferAnswer, RoleNeed, RoleOfferOverride
from employers.selectors import role_effective_offer, role_needs
from factors.fitmap import FitStatus
from factors.matching import (
    fit_for,
    match_items,
    rank_seekers_for_role,
    rebuild_match_vectors,
    role_answers,
    seeker_answers,
)
from factors.models import Factor, Item
from factors.selectors import current_version
from factors.services import draft_start, version_publish
from seekers import services
from seekers.models import Answer, Seeker, SeekerVector
from tests.employers.conftest import answer_everything, make_role
from tests.factories import SeekerFactory


def _current_items():
    return list(
        Item.objects.filter(factor__version=current_version(), retired=False).select_related(
            "factor"
        )
    )


def _expected_vector(seeker: Seeker) -> bytes:
    items = match_items()
    answers = seeker_answers(seeker=seeker, items=items)
    return items.layout().seeker_vector(needs=answers.needs, offers=answers.offers)


def _stored_vector(seeker: Seeker) -> bytes:
    return bytes(SeekerVector.objects.get(seeker=seeker).data)


def _random_answers(rng: random.Random, seeker: Seeker, items: list[Item], skip: float) -> None:
    rows = []
    for item in items:
        if rng.random() < skip:
            continue
        level = rng.randint(0, 3)
        rows.append(
            Answer(
                seeker=seeker,
                item=item,
                level=level,
                dealbreaker=item.is_need and level > 0 and rng.random() < 0.15,
            )
        )
    Answer.objects.bulk_create(rows)


def test_answer_save_and_activity_save_keep_the_vector_current(cast):
    items = _current_items()
    need = next(i for i in items if i.is_need)
    services.answer_save(
        seeker=cast.seeker,
        factor=need.factor,
        answer=services.AnswerInput(item=need, level=3, dealbreaker=True),
    )
    stored = _stored_vector(cast.seeker)
    assert stored == _expected_vector(cast.seeker)
    position = match_items().layout().identities.index(need.identity)
    width = match_items().layout().width
    assert stored[position] == 3 and stored[width + position] == 1  # level and deal-breaker

    factor = need.factor
    inputs = [services.AnswerInput(item=i, level=1) for i in factor.items.filter(retired=False)]
    services.activity_save(seeker=cast.seeker, factor=factor, answers=inputs, reflection=None)
    assert _stored_vector(cast.seeker) == _expected_vector(cast.seeker)
    assert _stored_vector(cast.seeker)[position] == 1


def test_a_refused_answer_leaves_the_vector_as_it_was(cast):
    need = next(i for i in _current_items() if i.is_need)
    with pytest.raises(services.SeekerError):
        services.answer_save(
            seeker=cast.seeker, factor=need.factor, answer=services.AnswerInput(item=need, level=9)
        )
    assert not SeekerVector.objects.filter(seeker=cast.seeker).exists()


def _publish_new_version(cast):
    draft = draft_start(by=cast.admin)
    Item.objects.create(
        factor=Factor.objects.get(version=draft, key="values"),
        code="values-extra",
        direction="worker_needs",
        worker_text_en="Something new",
        worker_text_fr="Quelque chose de neuf",
        employer_text_en="We offer something new.",
        employer_text_fr="Nous offrons du neuf.",
    )
    version_publish(version=draft, by=cast.admin, note="Review")
    return draft


def test_publishing_repacks_vectors_and_old_answers_count_across_versions(
    cast, eager_tasks, django_capture_on_commit_callbacks
):
    old_items = _current_items()
    _random_answers(random.Random(1), cast.seeker, old_items, skip=0)
    rebuild_match_vectors()
    with django_capture_on_commit_callbacks(execute=True):
        new_version = _publish_new_version(cast)
    vector = SeekerVector.objects.get(seeker=cast.seeker)
    assert vector.version_id == new_version.pk
    assert bytes(vector.data) == _expected_vector(cast.seeker)
    answers = seeker_answers(seeker=cast.seeker)
    assert answers.version_numbers == frozenset({1})
    assert len(answers.needs) + len(answers.offers) == len(old_items)  # the new one is missing

    # Carrying forward copies to the new rows: the vector follows, answers now say version 2.
    services.answers_carry_forward(seeker=cast.seeker, version=new_version)
    assert seeker_answers(seeker=cast.seeker).version_numbers == frozenset({2})
    assert _stored_vector(cast.seeker) == _expected_vector(cast.seeker)


def test_role_answers_follow_the_employers_rule(cast):
    rng = random.Random(7)
    items = _current_items()
    for item in items:
        if rng.random() < 0.8:
            OfferAnswer.objects.create(
                organisation=cast.organisation,
                item=item,
                level=rng.randint(0, 2 if item.is_need else 3),
            )
    role = make_role(cast.organisation)
    for item in rng.sample(items, 12):
        if item.is_need:
            RoleOfferOverride.objects.create(role=role, item=item, level=rng.randint(0, 2))
        else:
            RoleNeed.objects.create(role=role, item=item, level=rng.randint(0, 3))
    answers = role_answers(role=role)
    assert dict(answers.offers) == role_effective_offer(role=role)
    assert dict(answers.needs) == role_needs(role=role)


def _random_world(cast, seekers: int, seed: int):
    rng = random.Random(seed)
    items = _current_items()
    answer_everything(cast.organisation, offer=2, need=2)
    for answer in OfferAnswer.objects.filter(organisation=cast.organisation):
        answer.level = rng.randint(0, 2 if answer.item.is_need else 3)
        answer.save()
    role = make_role(cast.organisation)
    for item in rng.sample(items, 8):
        if item.is_need:
            RoleOfferOverride.objects.create(role=role, item=item, level=rng.randint(0, 2))
        else:
            RoleNeed.objects.create(role=role, item=item, level=rng.randint(0, 3))
    people = [SeekerFactory(user__email=f"r{seed}-{n}@example.org") for n in range(seekers)]
    for person in people:
        _random_answers(rng, person, items, skip=rng.choice([0, 0, 0.02, 0.3]))
    return role, people


def test_ranking_equals_the_reference_for_every_seeker(cast):
    role, people = _random_world(cast, seekers=40, seed=3)
    rebuild_match_vectors()
    queryset = Seeker.objects.filter(pk__in=[p.pk for p in people])
    page = rank_seekers_for_role(role=role, seekers_queryset=queryset, page=1, page_size=100)
    assert page.total == 40 and len(page.rows) == 40
    scored = 0
    for row in page.rows:
        reference = fit_for(seeker=Seeker.objects.get(pk=row.seeker_id), role=role)
        assert row.score == reference.score
        assert row.statuses == {f.factor_key: f.status for f in reference.factors}
        assert row.hard_pushes == len(reference.dealbreakers)
        scored += row.score is not None
    assert 0 < scored < 40  # the random data covers both cases
    # Best first: scored before unscored, fewer deal-breakers, then higher scores.
    keys = [(r.score is None, r.hard_pushes, -(r.score or 0)) for r in page.rows]
    assert keys == sorted(keys)


def test_ranking_repairs_missing_vectors_and_pages(cast):
    role, people = _random_world(cast, seekers=7, seed=5)
    SeekerVector.objects.all().delete()
    queryset = Seeker.objects.filter(pk__in=[p.pk for p in people])
    everyone = rank_seekers_for_role(role=role, seekers_queryset=queryset, page=1, page_size=50)
    assert SeekerVector.objects.filter(seeker__in=people).count() == 7
    second = rank_seekers_for_role(role=role, seekers_queryset=queryset, page=2, page_size=3)
    assert [r.seeker_id for r in second.rows] == [r.seeker_id for r in everyone.rows[3:6]]
    assert second.pages == 3
    beyond = rank_seekers_for_role(role=role, seekers_queryset=queryset, page=99, page_size=3)
    assert beyond.page == 3 and len(beyond.rows) == 1
    empty = rank_seekers_for_role(role=role, seekers_queryset=Seeker.objects.none())
    assert empty.rows == [] and empty.total == 0


def test_ranking_query_count_does_not_grow_with_seekers(cast):
    role, few = _random_world(cast, seekers=3, seed=11)
    rebuild_match_vectors()
    with CaptureQueriesContext(connection) as small:
        rank_seekers_for_role(role=role, seekers_queryset=Seeker.objects.all())
    more = [SeekerFactory(user__email=f"more-{n}@example.org") for n in range(30)]
    for person in more:
        _random_answers(random.Random(person.pk), person, _current_items(), skip=0.1)
    rebuild_match_vectors()
    with CaptureQueriesContext(connection) as large:
        page = rank_seekers_for_role(role=role, seekers_queryset=Seeker.objects.all())
    assert page.total == len(few) + len(more) + 2  # the cast's two seekers too
    assert len(large.captured_queries) == len(small.captured_queries)


def test_rebuild_command_packs_everyone(cast):
    _random_answers(random.Random(2), cast.seeker, _current_items(), skip=0.2)
    call_command("rebuild_match_vectors", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SeekerVector.objects.count() == Seeker.objects.count()
    assert _stored_vector(cast.seeker) == _expected_vector(cast.seeker)
    assert _stored_vector(cast.seeker2) == _expected_vector(cast.seeker2)  # no answers: all -1
    assert set(_stored_vector(cast.seeker2)[: match_items().layout().width]) == {255}


def test_fit_for_names_reasons_and_statuses(cast):
    answer_everything(cast.organisation, offer=2, need=2)
    role = make_role(cast.organisation)
    items = _current_items()
    Answer.objects.bulk_create(
        [Answer(seeker=cast.seeker, item=i, level=3 if i.is_need else 2) for i in items]
    )
    result = fit_for(seeker=cast.seeker, role=role)
    assert result.score == 100
    assert {f.status for f in result.factors} == {FitStatus.ALIGNED}
    assert result.factors[0].attracts[0].fit_item.item is not None
    assert not result.across_versions


def test_scoring_many_roles_for_one_seeker_equals_scoring_each_role(db):
    """``score_roles`` (one seeker, many roles) gives ``score_codes``'s numbers per role,
    on random vectors with missing answers, deal-breakers and roles' missing answers."""
    from factors.ranking import score_codes, score_roles

    items = match_items()
    layout = items.layout()
    generator = np.random.default_rng(7)
    roles = generator.integers(0, 4, size=(300, layout.width))
    roles[150:][generator.random((150, layout.width)) < 0.05] = -1  # some roles left blanks
    for round_ in range(20):
        levels = generator.integers(0, 4, size=layout.width).astype(np.int8)
        if round_ % 2:
            levels[generator.random(layout.width) < 0.03] = -1
        flags = (levels > 0) & layout.is_need & (generator.random(layout.width) < 0.3)
        seeker = np.stack([levels, flags.astype(np.int8)])
        together = score_roles(layout=layout, seeker=seeker, roles=roles)
        for index, role in enumerate(roles):
            alone = score_codes(layout=layout, seekers=seeker[None, :, :], role=role)
            assert together.scores[index] == alone.scores[0]
            assert together.hard_pushes[index] == alone.hard_pushes[0]
            assert (together.status_codes[index] == alone.status_codes[0]).all()
    assert (together.scores >= 0).any() and (together.hard_pushes > 0).any()


def test_ranking_leaves_the_callers_join_settings_as_they_were(cast):
    """The vector read turns hash and merge joins off for itself only, also when it runs
    inside a caller's transaction (PostgreSQL keeps a released savepoint's settings)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner settings")
    answer_everything(cast.organisation)
    role = make_role(cast.organisation)
    with transaction.atomic():
        rank_seekers_for_role(role=role, seekers_queryset=Seeker.objects.all())
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_hashjoin")
            hashjoin = cursor.fetchone()[0]
            cursor.execute("SHOW enable_mergejoin")
            mergejoin = cursor.fetchone()[0]
    assert (hashjoin, mergejoin) == ("on", "on")

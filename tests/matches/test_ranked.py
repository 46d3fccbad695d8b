"""Ranked pages: the query count does not grow with the number of seekers or roles, every
row's fit map is the reference one, and the bulk reads equal the one-at-a-time reads."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from factors.fitmap import FitStatus
from factors.fitmap_html import fitmap_table_html
from factors.fitmap_view import fitmap_view
from factors.matching import fit_for, match_items, role_answers, seeker_answers
from matches import selectors
from seekers.models import Seeker
from tests.matches.conftest import answer_all, current_items, more_seekers, published_role

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> tuple[int, object]:
    client.get(url)  # warm up: pseudonyms and packed vectors made once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def _assert_row_is_the_reference(row, *, reader: str) -> None:
    """A row shows exactly the reference fit map: score, hard pushes, a chip per factor
    (name, status, words) and the whole map in words (``fitmap_table_html``)."""
    reference = fit_for(seeker=row.seeker, role=row.role)
    view = fitmap_view(fitmap=reference, reader=reader)
    assert row.score == reference.score
    assert row.hard_pushes == len(reference.dealbreakers)
    assert [(c.name, c.status, c.label) for c in row.chips] == [
        (f.name, f.status, f.status_label) for f in view.factors
    ]
    assert row.fit.table == fitmap_table_html(view)


def test_practitioner_ranked_page_query_count_is_constant(matching):
    client = matching.client_for(matching.practitioner)
    url = reverse("matches:role_seekers", args=[matching.role.pk])
    more_seekers(4, practitioner=matching.practitioner, office=matching.seeker.office)
    small, response = _count(client, url)
    assert response.context["page"].total == 5
    more_seekers(45, practitioner=matching.practitioner, office=matching.seeker.office)
    large, response = _count(client, url)
    assert response.context["page"].total == 50
    assert len(response.context["page"].rows) == selectors.PAGE_SIZE
    assert small == large
    office, _ = _count(client, url + "?scope=office")
    assert office == large


def test_employer_candidates_query_count_is_constant(matching):
    client = matching.client_for(matching.employer)
    url = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    more_seekers(3, practitioner=matching.practitioner, office=matching.seeker.office)
    small, response = _count(client, url)
    assert response.context["page"].total == 5
    more_seekers(45, practitioner=matching.practitioner2, office=matching.seeker2.office)
    # The ranked order is kept a minute (RANKED_SECONDS): new seekers join after it.
    assert _count(client, url)[1].context["page"].total == 5
    cache.clear()
    large, response = _count(client, url)
    assert response.context["page"].total == 50
    assert small == large
    second, response = _count(client, url + "?page=2")
    assert second == large and len(response.context["page"].rows) == 25


def test_seeker_roles_query_count_is_constant(matching):
    client = matching.client_for(matching.seeker.user)
    url = reverse("seeker_matches:roles")
    for n in range(3):
        published_role(matching.organisation, title=f"Role {n}")
    small, response = _count(client, url)
    assert response.context["page"].total == 5
    for n in range(45):
        published_role(matching.organisation2, title=f"Other role {n}")
    large, response = _count(client, url)
    assert response.context["page"].total == 50
    assert small == large
    practitioner = matching.client_for(matching.practitioner)
    seeker_url = reverse("matches:seeker_roles", args=[matching.seeker.pk])
    assert _count(practitioner, seeker_url)[1].context["page"].total == 50


def test_rows_carry_the_reference_fit_map_in_rank_order(matching):
    extra = more_seekers(6, practitioner=matching.practitioner, office=matching.seeker.office)
    low = extra[0]
    low.answers.update(level=0)
    seekers = selectors.seekers_for_practitioner(user=matching.practitioner, scope="mine")
    page = selectors.seekers_ranked_for_role(role=matching.role, seekers=seekers, page=1)
    assert page.total == 7
    for row in page.rows:
        _assert_row_is_the_reference(row, reader="practitioner")
    keys = [row.fit.rank_key for row in page.rows]
    assert keys == sorted(keys)
    assert page.rows[-1].seeker == low


def test_bulk_reads_equal_single_reads(matching):
    items = match_items()
    seekers = [matching.seeker, matching.seeker2]
    many = selectors.seeker_answers_many(seeker_ids=[s.pk for s in seekers], items=items)
    for seeker in seekers:
        assert many[seeker.pk] == seeker_answers(seeker=seeker, items=items)
    roles = [matching.role, matching.role2]
    bulk = selectors.role_answers_many(roles=roles, items=items)
    for role in roles:
        assert bulk[role.pk] == role_answers(role=role, items=items)


def test_seeker_sees_roles_ranked_best_first_with_reasons(matching):
    good = published_role(matching.organisation, title="Good fit")
    response = matching.client_for(matching.seeker.user).get(reverse("seeker_matches:roles"))
    page = response.context["page"]
    assert {row.role for row in page.rows} == {matching.role, matching.role2, good}
    content = response.content.decode()
    assert "<details>" in content and "Overall fit" in content
    assert all(row.score is not None for row in page.rows)


def test_practitioner_only_ranks_seekers_who_share_with_them(matching):
    quiet = Seeker.objects.create(
        user=type(matching.seeker.user).objects.create_user(
            "quiet@example.org", "x-password-123", full_name="Quiet Person", role="seeker"
        ),
        practitioner=matching.practitioner,
        office=matching.seeker.office,
    )
    answer_all(quiet)
    response = matching.client_for(matching.practitioner).get(
        reverse("matches:role_seekers", args=[matching.role.pk])
    )
    content = response.content.decode()
    assert "Quiet Person" not in content
    assert "1 more is not shown" in content
    record = matching.client_for(matching.practitioner).get(
        reverse("matches:seeker_roles", args=[quiet.pk])
    )
    assert b"has not agreed to share their answers" in record.content
    assert record.context["page"] is None


def test_not_comparable_rows_say_so(matching):
    matching.seeker.answers.filter(
        item__factor__key__in=["values", "culture", "pay_benefits"]
    ).delete()
    page = selectors.seekers_ranked_for_role(
        role=matching.role,
        seekers=Seeker.objects.filter(pk=matching.seeker.pk),
        page=1,
    )
    row = page.rows[0]
    assert row.score is None
    assert FitStatus.NOT_COMPARABLE in {chip.status for chip in row.chips}


def _seeker_page(matching):
    return selectors.roles_ranked_for_seeker(
        seeker=matching.seeker, roles=selectors.published_roles(), page=1, reader="worker"
    )


def test_roles_for_a_seeker_follow_a_changed_offer_at_once(matching):
    """Roles are scored on cached packed vectors: a change to an offer is seen by the next
    page (the counter every role-side write bumps), and the order is the reference one."""
    from employers.models import OfferAnswer
    from factors.matching import refresh_seeker_vector

    refresh_seeker_vector(seeker=matching.seeker)  # a stamp: the rows are kept too
    for n in range(4):
        published_role(matching.organisation2, title=f"Other role {n}")
    before = _seeker_page(matching)
    keys = [row.fit.rank_key for row in before.rows]
    assert keys == sorted(keys)
    for row in before.rows:
        _assert_row_is_the_reference(row, reader="worker")
    best = before.rows[0].role
    for answer in OfferAnswer.objects.filter(organisation=best.organisation):
        answer.level = 0  # offers nothing any more: its roles fall down the list
        answer.save()
    after = _seeker_page(matching)
    keys = [row.fit.rank_key for row in after.rows]
    assert keys == sorted(keys)
    for row in after.rows:
        _assert_row_is_the_reference(row, reader="worker")
    assert after.rows[0].role.organisation_id != best.organisation_id


def test_roles_for_a_seeker_without_the_cache(matching, monkeypatch):
    expected = [row.role for row in _seeker_page(matching).rows]

    def unreachable(**_kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(selectors, "_cached_role_sides", unreachable)
    assert [row.role for row in _seeker_page(matching).rows] == expected


def _age_kept_page(role, seconds: float) -> None:
    """Make the employer's kept ranked page (page 1) look ``seconds`` old."""
    items = match_items()
    key = selectors._ranked_key(keep_as="candidates", role=role, page=1, items=items)
    kept = cache.get(key)
    assert isinstance(kept, selectors._Kept)
    cache.set(key, selectors._Kept(ranked=kept.ranked, at=kept.at - seconds), 300)


def _candidates_total(client, role) -> int:
    url = reverse("employer_matches:role_candidates", args=[role.pk])
    return client.get(url).context["page"].total


def test_when_the_minute_is_up_the_kept_page_is_shown_while_a_task_ranks_again(
    matching, monkeypatch
):
    """No request waits for the province to be ranked: the kept page is shown and one
    task (not one per request) ranks again; its result is what the next request shows."""
    from matches import tasks

    client = matching.client_for(matching.employer)
    assert _candidates_total(client, matching.role) == 2
    more_seekers(3, practitioner=matching.practitioner, office=matching.seeker.office)
    assert _candidates_total(client, matching.role) == 2  # fresh: kept
    queued = []
    monkeypatch.setattr(tasks, "rerank_page_dispatch", lambda **kw: queued.append(kw) or True)
    _age_kept_page(matching.role, selectors.RANKED_SECONDS + 1)
    assert _candidates_total(client, matching.role) == 2  # shown while the task ranks
    assert _candidates_total(client, matching.role) == 2
    assert queued == [{"role_id": matching.role.pk, "keep_as": "candidates", "page": 1}]
    tasks.rerank_page(**queued[0])  # the worker runs it
    assert _candidates_total(client, matching.role) == 5


def test_with_the_broker_down_the_request_ranks_again(matching, monkeypatch):
    from matches import tasks

    client = matching.client_for(matching.employer)
    assert _candidates_total(client, matching.role) == 2
    more_seekers(3, practitioner=matching.practitioner, office=matching.seeker.office)
    monkeypatch.setattr(tasks, "rerank_page_dispatch", lambda **_kw: False)
    _age_kept_page(matching.role, selectors.RANKED_SECONDS + 1)
    assert _candidates_total(client, matching.role) == 2  # this request ranked for the next
    assert _candidates_total(client, matching.role) == 5


def _ranks_from_the_database(role) -> bool:
    """Whether ranking ``role``'s candidates (nothing kept for it yet) reads the pool's
    vectors (``factors.matching._stored_vectors``: one ``string_agg`` over them all)."""
    with CaptureQueriesContext(connection) as queries:
        selectors.seekers_ranked_for_role(
            role=role,
            seekers=selectors.candidate_seekers(),
            page=1,
            reader="employer",
            keep_as="candidates",
        )
    return any("string_agg(int8send" in query["sql"] for query in queries)


def test_a_role_ranked_first_within_the_minute_uses_the_pool_read_for_another(matching):
    """The candidates' vectors are read once a minute for every role, not once per role;
    re-ranking a kept page (the task) reads them afresh."""
    from matches import tasks

    other = published_role(matching.organisation2, title="Second role")
    third = published_role(matching.organisation2, title="Third role")
    assert _ranks_from_the_database(matching.role)
    assert not _ranks_from_the_database(other)
    with CaptureQueriesContext(connection) as queries:
        tasks.rerank_page(role_id=third.pk, keep_as="candidates", page=1)
    assert any("string_agg(int8send" in query["sql"] for query in queries)


def test_role_answers_from_the_kept_vectors_equal_the_rows(matching):
    """The seeker's ranked roles get their fit maps from the kept role vectors: the answers
    they hold are exactly what ``role_answers`` reads, version numbers included."""
    from employers.models import OfferAnswer, RoleOfferOverride

    other = published_role(matching.organisation2, title="With an override")
    need_item = next(i for i in current_items() if i.is_need)
    RoleOfferOverride.objects.create(role=other, item=need_item, level=0)
    OfferAnswer.objects.filter(
        organisation=matching.organisation, item__direction="worker_needs"
    ).first().delete()
    items = match_items()
    layout = items.layout()
    roles = [selectors.RoleRef(r.pk, r.organisation_id) for r in selectors.published_roles()]
    for _attempt in ("packed now", "from the cache"):
        sides = selectors._role_sides(
            roles=roles, items=items, generation=selectors.role_side_generation()
        )
        for index, ref in enumerate(roles):
            role = selectors.JobRole.objects.get(pk=ref.pk)
            assert sides.answers(index, layout) == role_answers(role=role, items=items)


def _change_an_answer(seeker) -> None:
    """Through the service, as a person does (the seeker's vector is rewritten with it)."""
    from seekers.services import AnswerInput, answer_save

    for item in current_items():
        if item.is_need:
            answer_save(
                seeker=seeker,
                factor=item.factor,
                answer=AnswerInput(item=item, level=3, dealbreaker=True),
            )


def test_kept_rows_follow_the_seekers_own_answers_at_once(matching, monkeypatch):
    """Rows are kept per pair under the seeker's vector stamp: kept while nothing
    changes, computed again as soon as the seeker answers differently."""
    from factors.matching import refresh_seeker_vector

    refresh_seeker_vector(seeker=matching.seeker)
    before = _seeker_page(matching)
    computed = []
    real = selectors._fit
    monkeypatch.setattr(selectors, "_fit", lambda *a: computed.append(1) or real(*a))
    assert [row.fit for row in _seeker_page(matching).rows] == [row.fit for row in before.rows]
    assert computed == []  # kept
    _change_an_answer(matching.seeker)
    after = _seeker_page(matching)
    assert computed  # computed again
    assert [row.fit for row in after.rows] != [row.fit for row in before.rows]
    for row in after.rows:
        _assert_row_is_the_reference(row, reader="worker")


def test_kept_candidate_rows_follow_the_candidates_answers(matching):
    client = matching.client_for(matching.employer)
    url = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    before = {row.seeker.pk: row.fit for row in client.get(url).context["page"].rows}
    _change_an_answer(matching.seeker)
    rows = client.get(url).context["page"].rows
    assert {row.seeker.pk: row.fit for row in rows} != before
    for row in rows:
        _assert_row_is_the_reference(row, reader="employer")


def test_kept_rows_are_per_language_and_reader(matching):
    from factors.matching import refresh_seeker_vector

    refresh_seeker_vector(seeker=matching.seeker)
    english = _seeker_page(matching)
    with translation.override("fr"):
        french = _seeker_page(matching)
        for row in french.rows:
            _assert_row_is_the_reference(row, reader="worker")
    assert [row.chips for row in french.rows] != [row.chips for row in english.rows]
    practitioner = selectors.roles_ranked_for_seeker(
        seeker=matching.seeker, roles=selectors.published_roles(), page=1, reader="practitioner"
    )
    for row in practitioner.rows:
        _assert_row_is_the_reference(row, reader="practitioner")

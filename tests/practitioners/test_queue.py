"""The queue: both client types in one list, filters, search, sort, pages, and a query
count that does not grow with the caseload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from employers.models import Member, OfferAnswer, Organisation
from factors.models import Item
from practitioners.models import Goal, Referral, Step, StepOwner
from seekers.models import Answer, Seeker
from tests.practitioners.conftest import queries_for

pytestmark = pytest.mark.django_db
QUEUE = reverse("practitioners:queue")


def _html(cast, user, **params) -> str:
    response = cast.client_for(user).get(QUEUE, params)
    assert response.status_code == 200
    return response.content.decode()


def make_clients(practitioner, count: int, *, prefix: str = "Client") -> None:
    """``count`` clients for ``practitioner``: half seekers, half businesses, names
    interleaved so both kinds share every page; some with answers and dated steps."""
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix.lower()}-s{n:04d}@example.org", full_name=f"{prefix} {n:04d} S")
            for n in range(count // 2)
        ]
    )
    seekers = Seeker.objects.bulk_create(
        [Seeker(user=u, practitioner=practitioner, office=practitioner.office) for u in users]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{prefix} {n:04d} E",
                sector="retail",
                region="halifax",
                size="1-4",
                practitioner=practitioner,
                office=practitioner.office,
            )
            for n in range(count - count // 2)
        ]
    )
    owners = User.objects.bulk_create(
        [
            User(email=f"{prefix.lower()}-e{n:04d}@example.org", role=Role.EMPLOYER)
            for n in range(len(organisations))
        ]
    )
    Member.objects.bulk_create(
        [
            Member(user=u, organisation=o, is_owner=True)
            for u, o in zip(owners, organisations, strict=True)
        ]
    )
    items = list(Item.objects.filter(retired=False)[:5])
    Answer.objects.bulk_create(
        [Answer(seeker=s, item=i, level=2) for s in seekers[::3] for i in items]
    )
    OfferAnswer.objects.bulk_create(
        [OfferAnswer(organisation=o, item=i, level=2) for o in organisations[::3] for i in items]
    )
    goals = Goal.objects.bulk_create(
        [Goal(seeker=s, title="Work") for s in seekers[::2]]
        + [Goal(organisation=o, title="Hire") for o in organisations[::2]]
    )
    Step.objects.bulk_create(
        [
            Step(goal=g, text="Call", owner=StepOwner.BOTH, due_on=timezone.localdate())
            for g in goals
        ]
    )


# --- What is shown, to whom ---------------------------------------------------------------


def test_queue_shows_both_client_types_of_own_caseload(cast):
    html = _html(cast, cast.practitioner)
    assert cast.seeker.user.full_name in html and "Harbour Café" in html
    assert "Job seeker" in html and "Employer" in html
    assert cast.seeker2.user.full_name not in html and "Cabot Outfitters" not in html


def test_office_view_adds_colleagues_clients_marked_view_only(cast, colleague):
    make_clients(colleague, 2, prefix="Colleague")
    mine = _html(cast, cast.practitioner)
    assert "Colleague 0000" not in mine
    office = _html(cast, cast.practitioner, practitioner="all")
    assert "Colleague 0000 S" in office and "Colleague 0000 E" in office
    assert "View only" in office
    assert "Cabot Outfitters" not in office  # another office


def test_admin_sees_every_client_and_can_choose_them(cast):
    html = _html(cast, cast.admin)
    for name in (cast.seeker.user.full_name, cast.seeker2.user.full_name):
        assert name in html
    assert "Harbour Café" in html and "Cabot Outfitters" in html
    assert 'form="reassign-selection"' in html and "View only" not in html


def test_practitioner_cannot_widen_the_queue_beyond_what_they_may_see(cast):
    html = _html(cast, cast.practitioner, practitioner=str(cast.practitioner2.pk))
    assert "Cabot Outfitters" not in html and cast.seeker2.user.full_name not in html
    html = _html(cast, cast.practitioner, office=str(cast.practitioner2.office_id))
    assert "Cabot Outfitters" not in html


def test_progress_marks_and_words(cast):
    items = Item.objects.filter(factor__key="values", retired=False)
    Answer.objects.bulk_create([Answer(seeker=cast.seeker, item=i, level=1) for i in items])
    html = _html(cast, cast.practitioner, kind="seeker")
    assert "1 of 6 done" in html and "Values: done" in html and "Culture: not started" in html


def test_pending_referral_and_referrals_waiting(cast):
    Referral.objects.create(
        seeker=cast.seeker2,
        from_user=cast.practitioner2,
        to_practitioner=cast.practitioner,
        reason="Needs an employer-side contact in Halifax",
    )
    html = _html(cast, cast.practitioner)
    assert "1 referral waiting for your answer" in html
    assert cast.seeker2.user.full_name in html  # named in the waiting list
    other = _html(cast, cast.practitioner2)
    assert "Referral waiting" in other  # badge on their row
    assert "waiting for your answer" not in other


def test_rows_show_matches_in_progress_and_follow_ups_due(cast):
    from matches.models import Pair, PairStatus
    from outcomes.models import FollowUp
    from practitioners.models import Placement
    from tests.employers.conftest import make_role

    role = make_role(cast.organisation, status="published")
    other_role = make_role(cast.organisation, title="Dishwasher", status="published")
    Pair.objects.create(seeker=cast.seeker, role=role, status=PairStatus.SHORTLISTED)
    Pair.objects.create(seeker=cast.seeker, role=other_role, status=PairStatus.DECLINED)
    placement = Placement.objects.create(
        seeker=cast.seeker,
        organisation=cast.organisation,
        role=role,
        started_on=timezone.localdate() - timedelta(days=40),
        hours_per_week=30,
        wage=18,
        wage_period="hour",
        delivery_method="self_serve",
    )
    today = timezone.localdate()
    FollowUp.objects.create(placement=placement, party="worker", month=1, due_on=today)
    FollowUp.objects.create(placement=placement, party="employer", month=1, due_on=today)
    FollowUp.objects.create(  # answered: no longer due
        placement=placement,
        party="worker",
        month=3,
        due_on=today - timedelta(days=1),
        answered_at=timezone.now(),
    )
    FollowUp.objects.create(  # not due yet
        placement=placement, party="employer", month=3, due_on=today + timedelta(days=30)
    )
    html = _html(cast, cast.practitioner)
    seeker_row = html.split(cast.seeker.user.display_name, 1)[1].split("</tr>", 1)[0]
    assert "1 match in progress" in seeker_row  # the declined pair is settled
    assert "1 follow-up due" in seeker_row
    organisation_row = html.split(cast.organisation.name, 1)[1].split("</tr>", 1)[0]
    assert "2 matches in progress" not in organisation_row
    assert "1 match in progress" in organisation_row
    assert "1 follow-up due" in organisation_row


# --- Filters, search, sort, pages ---------------------------------------------------------


def test_filter_by_type(cast):
    html = _html(cast, cast.practitioner, kind="employer")
    assert "Harbour Café" in html and cast.seeker.user.full_name not in html


def test_filter_by_status(cast):
    items = list(Item.objects.filter(retired=False))
    Answer.objects.bulk_create([Answer(seeker=cast.seeker, item=i, level=1) for i in items])
    OfferAnswer.objects.create(organisation=cast.organisation, item=items[0], level=1)
    complete = _html(cast, cast.practitioner, status="complete")
    assert cast.seeker.user.full_name in complete and "Harbour Café" not in complete
    started = _html(cast, cast.practitioner, status="in_progress")
    assert "Harbour Café" in started and cast.seeker.user.full_name not in started
    assert "1 client" in _html(cast, cast.practitioner, status="in_progress")
    not_started = _html(cast, cast.practitioner, status="not_started")
    assert "0 clients" in not_started


def test_filter_by_office_and_practitioner_for_admins(cast):
    html = _html(cast, cast.admin, office=str(cast.practitioner2.office_id))
    assert "Cabot Outfitters" in html and "Harbour Café" not in html
    html = _html(cast, cast.admin, practitioner=str(cast.practitioner.pk))
    assert "Harbour Café" in html and "Cabot Outfitters" not in html
    Seeker.objects.filter(pk=cast.seeker2.pk).update(practitioner=None)
    html = _html(cast, cast.admin, practitioner="none")
    assert cast.seeker2.user.full_name in html and "Harbour Café" not in html


def test_search_by_name_and_email(cast):
    assert "Harbour Café" in _html(cast, cast.practitioner, q="harbour")
    assert "Harbour Café" in _html(cast, cast.practitioner, q="e1@example")  # a member's email
    by_email = _html(cast, cast.practitioner, q="s1@example.org")
    assert cast.seeker.user.full_name in by_email and "Harbour Café" not in by_email
    assert "0 clients" in _html(cast, cast.practitioner, q="nobody-like-this")


def test_sorts(cast):
    make_clients(cast.practitioner, 6, prefix="Sorted")
    html = _html(cast, cast.practitioner, sort="name", q="Sorted")
    assert html.index("Sorted 0000 E") < html.index("Sorted 0002 S")
    html = _html(cast, cast.practitioner, sort="name_desc", q="Sorted")
    assert html.index("Sorted 0002 S") < html.index("Sorted 0000 E")
    goal = Goal.objects.create(
        seeker=Seeker.objects.get(user__full_name="Sorted 0001 S"), title="x"
    )
    Step.objects.create(
        goal=goal, text="Soonest", owner="client", due_on=timezone.localdate() - timedelta(days=3)
    )
    html = _html(cast, cast.practitioner, sort="due", q="Sorted")
    assert html.index("Sorted 0001 S") < html.index("Sorted 0000 E")
    assert "overdue" in html
    html = _html(cast, cast.practitioner, sort="progress", q="Sorted")
    # 0000 S and 0000 E have answers (every third client); the others come first.
    assert html.index("Sorted 0001 S") < html.index("Sorted 0000 S")


def test_pages_keep_the_filters(cast):
    make_clients(cast.practitioner, 60, prefix="Paged")
    html = _html(cast, cast.practitioner, q="Paged", kind="seeker")
    assert "30 clients" in html and "Page 1 of 2" in html
    assert "?q=Paged&amp;kind=seeker&amp;page=2" in html
    page2 = _html(cast, cast.practitioner, q="Paged", kind="seeker", page="2")
    assert "Paged 0029 S" in page2 and "Paged 0000 S" not in page2
    assert "Page 2 of 2" in _html(cast, cast.practitioner, q="Paged", kind="seeker", page="999")


@pytest.mark.parametrize(
    "params",
    [
        {"office": "abc"},
        {"office": "99999999999999999999999"},
        {"practitioner": "<script>alert(1)</script>"},
        {"sort": "pk; DROP TABLE seekers"},
        {"kind": "admin"},
        {"status": "lost"},
        {"q": "x" * 500},
        {"page": "-1"},
        {"page": "NaN"},
    ],
)
def test_hostile_filters_are_reported_and_ignored(cast, params):
    response = cast.client_for(cast.practitioner).get(QUEUE, params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Harbour Café" in html  # defaults still apply
    assert "<script>alert(1)</script>" not in html


# --- Cost ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "due"},
        {"sort": "progress", "status": "in_progress"},
        {"q": "client", "kind": "employer"},
    ],
    ids=["default", "due", "progress", "search"],
)
def test_queue_of_500_costs_the_same_queries_as_5(cast, params):
    Referral.objects.create(
        seeker=cast.seeker2,
        from_user=cast.practitioner2,
        to_practitioner=cast.practitioner,
        reason="x",
    )
    make_clients(cast.practitioner, 5)
    client = cast.client_for(cast.practitioner)
    small = queries_for(client, QUEUE, params)
    make_clients(cast.practitioner, 495, prefix="More")
    caseload = Seeker.objects.filter(practitioner=cast.practitioner).count()
    caseload += Organisation.objects.filter(practitioner=cast.practitioner).count()
    assert caseload >= 500
    assert queries_for(client, QUEUE, params) == small


def test_admin_queue_cost_is_flat_too(cast):
    make_clients(cast.practitioner, 5)
    client = cast.client_for(cast.admin)
    small = queries_for(client, QUEUE)
    make_clients(cast.practitioner2, 500, prefix="Other")
    assert queries_for(client, QUEUE) == small


@pytest.mark.parametrize("sort", ["name", "name_desc", "newest", "due", "progress"])
def test_each_page_is_the_slice_of_the_whole_union_in_order(cast, sort):
    """Each type is cut to the page's end before the union is sorted: the rows and their
    order must be those of sorting the whole union (names interleave both types)."""
    from factors.selectors import current_version
    from practitioners.selectors.queue import (
        ORDERINGS,
        QueueFilters,
        _organisation_rows,
        _Queue,
        _seeker_rows,
    )

    make_clients(cast.practitioner, 40, prefix="Cut")
    User.objects.filter(email__startswith="cut-s0003").update(full_name="")  # sorts by email
    filters = QueueFilters(practitioner="mine", sort=sort)
    common = {"viewer": cast.practitioner, "filters": filters, "version": current_version()}
    branches = [_seeker_rows(**common, total=1), _organisation_rows(**common, total=1)]
    whole = [
        (row["kind"], row["cid"])
        for row in branches[0].rows.union(branches[1].rows, all=True).order_by(*ORDERINGS[sort])
    ]
    queue = _Queue(branches, ORDERINGS[sort])
    assert queue.count() == len(whole) > 40
    for start in range(0, len(whole), 7):
        page = [(row["kind"], row["cid"]) for row in queue[start : start + 7]]
        assert page == whole[start : start + 7]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_activity_marks_write_what_the_template_wrote(language):
    """The marks tag replaced practitioners/includes/marks.html: same markup, same words."""
    from django.template import Context, Template
    from django.utils import translation

    from practitioners.selectors.queue import FactorMark
    from practitioners.templatetags.caseload_marks import activity_marks

    template = Template(
        "{% load i18n %}"
        '<span class="marks" role="img" aria-label="{% for m in row.marks %}{{ m.name }}: '
        "{% if m.complete %}{% translate 'done' %}{% elif m.started %}"
        "{% translate 'started' %}{% else %}{% translate 'not started' %}{% endif %}"
        '{% if not forloop.last %}; {% endif %}{% endfor %}">{% for m in row.marks %}'
        '<span class="fmark {% if m.complete %}fmark--done{% elif m.started %}fmark--started'
        '{% else %}fmark--todo{% endif %}"></span>{% endfor %}</span>\n'
        '<span class="marks__text">{% blocktranslate with done=row.done %}{{ done }} of 6 done'
        "{% endblocktranslate %}</span>\n"
    )

    class Row:
        marks = [
            FactorMark("Autonomy & <pace>", 4, 4),
            FactorMark('"Belonging"', 1, 4),
            FactorMark("Growth", 0, 4),
        ]
        done = 1

    with translation.override(language):
        assert activity_marks(Row()) == template.render(Context({"row": Row()}))
        assert "&lt;pace&gt;" in activity_marks(Row())

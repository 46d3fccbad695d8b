"""Hostile input on the main forms of every app, with hypothesis.

Each target is a POST address and the person who may use it. The field names come from
the form the page itself shows (so new fields are fuzzed too), plus any listed by hand.
Each example posts a random mix of: missing fields, random text, huge text, NUL bytes,
numbers far out of range, other people's ids, markup, and several values for one field,
then posts it again (a duplicate submit). Expected every time:

- never a server error (the test client re-raises any exception);
- an answer that refuses the input (4xx, or a page with error messages) saved nothing:
  the row counts of every app are unchanged (no partial save).

GET views that read parameters (filters, pages, comparisons) get random query strings.
Examples are few (``FUZZ``) so the suite stays fast.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factors.models import Factor
from factors.selectors import current_version
from factors.services import draft_start
from practitioners.models import Goal, GroupSession, Note, SessionAttendance
from seekers import services as seeker_services
from seekers.models import ConsentKind
from tests.employers.conftest import make_role

FUZZ = settings(
    max_examples=8,
    deadline=None,
    # The cast is built once per test; each example only posts, and checks its own effect.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
COUNTED_APPS = (
    "accounts",
    "factors",
    "seekers",
    "employers",
    "practitioners",
    "reports",
    "matches",
    "outcomes",
)
ERROR_MARKERS = ("is-invalid", "errorlist", "alert-danger", "invalid-feedback", 'role="alert"')
FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.IGNORECASE)


def row_counts() -> dict[str, int]:
    """Rows of every table of the project's apps, in one query."""
    models = [m for app in COUNTED_APPS for m in apps.get_app_config(app).get_models()]
    parts = ", ".join(
        f"(SELECT COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)})"  # noqa: S608 - model tables
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        values = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, values, strict=True)}


def form_fields(html: str) -> list[str]:
    names = {name for name in FIELD.findall(html) if name != "csrfmiddlewaretoken"}
    return sorted(names)


@dataclass
class Target:
    url: str
    user: Any
    fields: list[str] = field(default_factory=list)  # added to those found on the page


def build_targets(cast: Any) -> dict[str, Target]:
    """The main forms of each app, as the person who may use them, on their own objects."""
    version = current_version()
    factor = Factor.objects.filter(version=version).order_by("pk").first()
    seeker_services.welcome_accept(seeker=cast.seeker, share_with_practitioner=True)
    seeker_services.consent_give(seeker=cast.seeker2, kind=ConsentKind.DATA_USE)
    role = make_role(cast.organisation)
    client = {"kind": "seekers", "pk": cast.seeker.pk}
    note = Note.objects.create(
        seeker=cast.seeker,
        author=cast.practitioner,
        kind="phone",
        occurred_on=timezone.localdate(),
        text="Called.",
    )
    goal = Goal.objects.create(seeker=cast.seeker, created_by=cast.practitioner, title="Goal")
    session = GroupSession.objects.create(
        title="Interview practice",
        topic=factor.key,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        place="Room 2",
        office=cast.practitioner.office,
        facilitator=cast.practitioner,
    )
    SessionAttendance.objects.create(session=session, organisation=cast.organisation)
    draft = draft_start(by=cast.admin)
    seeker, employer, practitioner, admin = (
        cast.seeker.user,
        cast.employer,
        cast.practitioner,
        cast.admin,
    )
    r = reverse
    return {
        # seekers: answers, reflections, activities, consent, mindset
        "seeker activity": Target(r("seekers:activity", args=[factor.key]), seeker),
        "seeker reflection": Target(
            r("seekers:activity_reflection", args=[factor.key]), seeker, ["reflection"]
        ),
        "seeker welcome": Target(r("seekers:welcome"), seeker, ["agree", "share"]),
        "seeker sharing": Target(r("seekers:sharing"), seeker, ["share"]),
        "seeker mindset": Target(r("seekers:mindset"), seeker),
        "seeker consent withdraw": Target(r("seekers:consent_withdraw"), seeker, ["kind"]),
        "seeker erasure": Target(r("seekers:erasure_request"), seeker, ["confirm"]),
        # employers: organisation offer, mindset, roles, postings, colleagues
        "employer activity": Target(r("employers:activity", args=[factor.key]), employer),
        "employer mindset": Target(r("employers:mindset"), employer),
        "employer adopt": Target(r("employers:builder_adopt"), employer, ["item", "level"]),
        "employer role create": Target(r("employers:role_create"), employer),
        "employer role edit": Target(r("employers:role_edit", args=[role.pk]), employer),
        "employer role offer": Target(r("employers:role_offer", args=[role.pk]), employer),
        "employer posting": Target(r("employers:posting_edit", args=[role.pk]), employer),
        "employer posting check": Target(
            r("employers:posting_check", args=[role.pk]), employer, ["text", "language"]
        ),
        "employer colleagues": Target(r("employers:colleagues"), employer, ["email"]),
        # practitioners: notes, goals, steps, referrals, sessions, invitations, reassign
        "note add": Target(r("practitioners:note_add", kwargs=client), practitioner),
        "note edit": Target(
            r("practitioners:note_edit", kwargs={**client, "note_id": note.pk}), practitioner
        ),
        "delivery": Target(
            r("practitioners:delivery_update", kwargs=client), practitioner, ["delivery_method"]
        ),
        "goal add": Target(r("practitioners:goal_add", kwargs=client), practitioner, ["title"]),
        "step add": Target(
            r("practitioners:step_add", kwargs={**client, "goal_id": goal.pk}),
            practitioner,
            ["text", "owner", "due_on"],
        ),
        "referral": Target(r("practitioners:referral_create", kwargs=client), practitioner),
        "session create": Target(r("practitioners:session_create"), practitioner),
        "session edit": Target(r("practitioners:session_edit", args=[session.pk]), practitioner),
        "session invite": Target(
            r("practitioners:session_invite", args=[session.pk]), practitioner, ["organisations"]
        ),
        "session attendance": Target(
            r("practitioners:session_attendance", args=[session.pk]),
            practitioner,
            [f"org_{cast.organisation.pk}"],
        ),
        "session notes": Target(
            r("practitioners:session_notes", args=[session.pk]), practitioner, ["notes"]
        ),
        "practitioner invite": Target(r("practitioners:invite"), practitioner),
        "reassign": Target(r("practitioners:reassign"), admin),
        # framework editor, staff, reports
        "framework factor edit": Target(
            r("factors:factor_edit", args=[draft.number, factor.key]), admin
        ),
        "framework publish": Target(r("factors:version_publish", args=[draft.number]), admin),
        "staff invite": Target(r("staff:staff_invite"), admin),
        "reports ask (seeker)": Target(r("reports:request"), seeker, ["kind", "subject"]),
        "reports ask (practitioner)": Target(
            r("reports:request"), practitioner, ["kind", "subject"]
        ),
    }


def other_peoples_ids(cast: Any) -> list[str]:
    """Ids that exist but belong to someone else (and a few that do not exist)."""
    from employers.models import JobRole

    other_role = make_role(cast.organisation2)
    ids = [
        cast.seeker2.pk,
        cast.organisation2.pk,
        cast.employer2.pk,
        cast.practitioner2.pk,
        other_role.pk,
        JobRole.objects.count() + 1000,
        0,
        -1,
        2**31,
        2**63,
    ]
    return [str(i) for i in ids]


def junk(ids: list[str]) -> st.SearchStrategy[Any]:
    text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
    one = st.one_of(
        text,
        text.map(lambda s: ((s or "x") * 12_000)[:12_001]),  # huge: past every max_length
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.sampled_from(ids),
        st.sampled_from(
            [
                "",
                " ",
                "\x00",
                "null",
                "true",
                "on",
                "NaN",
                "1e309",
                "2026-02-30",
                "9999-12-31",
                "25:61",
                "javascript:alert(1)",
                "/caseload/\nSet-Cookie: x=1",  # a header split in a "next" address
                "²",  # a digit to str.isdigit(), not to int()
                "١٢",  # Arabic-Indic digits: int() reads them
                "-0",
                "<script>alert(1)</script><b>x</b>",
                str(uuid.uuid4()),
                "seeker_profile",
                "employer_offer",
            ]
        ),
    )
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))  # several values for one field


def refused(response: Any) -> bool:
    if response.status_code >= 400:
        return True
    if response.status_code == 200:
        body = response.content.decode(errors="replace")
        return any(marker in body for marker in ERROR_MARKERS)
    return False


TARGET_NAMES = [
    "seeker activity",
    "seeker reflection",
    "seeker welcome",
    "seeker sharing",
    "seeker mindset",
    "seeker consent withdraw",
    "seeker erasure",
    "employer activity",
    "employer mindset",
    "employer adopt",
    "employer role create",
    "employer role edit",
    "employer role offer",
    "employer posting",
    "employer posting check",
    "employer colleagues",
    "note add",
    "note edit",
    "delivery",
    "goal add",
    "step add",
    "referral",
    "session create",
    "session edit",
    "session invite",
    "session attendance",
    "session notes",
    "practitioner invite",
    "reassign",
    "framework factor edit",
    "framework publish",
    "staff invite",
    "reports ask (seeker)",
    "reports ask (practitioner)",
]


def test_every_target_is_fuzzed(cast):
    assert sorted(build_targets(cast)) == sorted(TARGET_NAMES)


@pytest.mark.parametrize("name", TARGET_NAMES)
def test_hostile_post_never_500_and_saves_nothing_when_refused(cast, name):
    target = build_targets(cast)[name]
    client = cast.client_for(target.user)
    page = client.get(target.url)
    found = form_fields(page.content.decode(errors="replace")) if page.status_code == 200 else []
    names = sorted({*found, *target.fields})
    assert names, f"no form fields found for {name}"
    hostile_posts_never_500(client, target.url, names, ids=other_peoples_ids(cast), label=name)


def hostile_posts_never_500(
    client: Any,
    url: str,
    names: list[str],
    *,
    ids: list[Any],
    label: str,
    fixed: dict[str, Any] | None = None,
    was_refused: Any = None,
) -> None:
    """POST ``url`` twice (the second a duplicate submit) with junk in any of ``names``
    plus the ``fixed`` fields: never a 500, and nothing saved when ``was_refused`` (by
    default ``refused``) says the answer was a refusal."""
    was_refused = was_refused or refused

    @FUZZ
    @given(data=st.fixed_dictionaries({}, optional={n: junk(ids) for n in names}))
    def post(data: dict[str, Any]) -> None:
        for _attempt in range(2):
            before = row_counts()
            response = client.post(url, {**data, **(fixed or {})})
            assert response.status_code < 500
            if was_refused(response):
                assert row_counts() == before, f"{label}: refused input saved something"

    post()


GET_TARGETS: dict[str, tuple[str, str, list[str]]] = {
    "queue": ("practitioners:queue", "practitioner", ["q", "kind", "status", "office", "sort"]),
    "sessions": ("practitioners:session_list", "practitioner", ["page", "when"]),
    "reassignments": ("practitioners:reassignment_list", "admin", ["page"]),
    "compare": ("factors:compare", "admin", ["old", "new"]),
    "history": ("factors:history", "admin", ["page"]),
    "reports": ("reports:list", "seeker", ["page"]),
    "seeker history": ("seekers:history", "seeker", ["page"]),
    "role list": ("employers:role_list", "employer", ["page", "status"]),
}


@pytest.mark.parametrize("name", sorted(GET_TARGETS))
def test_hostile_query_strings_never_500(cast, name):
    url_name, who, params = GET_TARGETS[name]
    user = getattr(cast, who)
    client = cast.client_for(getattr(user, "user", user))
    hostile_gets_never_500(client, reverse(url_name), params, other_peoples_ids(cast))


def hostile_gets_never_500(client: Any, url: str, params: list[str], ids: list[Any]) -> None:
    """GET ``url`` with junk in its own parameters and the usual ones (page, pk, id)."""
    names = [*params, "page", "pk", "id"]

    @FUZZ
    @given(data=st.fixed_dictionaries({}, optional={n: junk(ids) for n in names}))
    def get(data: dict[str, Any]) -> None:
        assert client.get(url, data).status_code in {200, 302, 400, 404}

    get()


def test_other_peoples_object_in_a_form_is_refused(cast):
    """A seeker's id from another caseload in a practitioner's referral form: refused."""
    target = build_targets(cast)["referral"]
    client = cast.client_for(target.user)
    before = row_counts()
    response = client.post(
        target.url, {"to_practitioner": cast.practitioner2.pk * 1000, "reason": "x"}
    )
    assert response.status_code < 500 and refused(response)
    assert row_counts() == before


def test_oversized_post_is_refused_with_400_not_500(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = cast.client_for(cast.practitioner)
    before = row_counts()
    url = reverse("practitioners:goal_add", kwargs={"kind": "seekers", "pk": cast.seeker.pk})
    response = client.post(url, {"title": "x" * 20_000})
    assert response.status_code in {400, 413}
    assert row_counts() == before


def test_too_many_fields_is_refused_with_400_not_500(cast, settings):
    client = cast.client_for(cast.practitioner)
    url = reverse("practitioners:goal_add", kwargs={"kind": "seekers", "pk": cast.seeker.pk})
    data = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 10)}
    assert client.post(url, data).status_code in {400, 413}


def test_request_size_limits_are_set():
    from django.conf import settings as django_settings

    assert 0 < django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 5 * 1024 * 1024
    assert 0 < django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 5000


PUBLIC_FORMS = {
    "sign-up": (
        "/accounts/signup/",
        [
            "email",
            "password1",
            "password2",
            "full_name",
            "role",
            "organisation_name",
            "sector",
            "region",
            "size",
        ],
    ),
    "sign-in": ("/accounts/login/", ["login", "password", "remember"]),
    "password reset": ("/accounts/password/reset/", ["email"]),
}


@pytest.mark.parametrize("name", sorted(PUBLIC_FORMS))
def test_hostile_public_forms_never_500(cast, name):
    """Anonymous forms: junk is refused (or rate limited, 429), never a server error."""
    url, names = PUBLIC_FORMS[name]
    from django.test import Client

    ids = other_peoples_ids(cast)

    @FUZZ
    @given(data=st.fixed_dictionaries({}, optional={n: junk(ids) for n in names}))
    def post(data: dict[str, Any]) -> None:
        before = row_counts()
        response = Client().post(url, data)
        assert response.status_code < 500
        if refused(response):
            assert row_counts() == before, f"{name}: refused input saved something"

    post()

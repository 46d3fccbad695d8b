"""Hostile input on the forms and parameter-taking views of matching, placements, bargains,
assisted sessions, follow-ups, the program dashboard and every kind of report.

Same method as tests/test_fuzz_forms.py (its helpers are reused): the field names come
from the page itself plus any listed by hand; each example posts a random mix of missing
fields, random and huge text, NUL bytes, out-of-range numbers, other people's ids, markup
and repeated values, twice (a duplicate submit). Never a 500; a refused post saves nothing.
Objects come from tests/test_every_url.py's ``World`` (owned by the first cast member).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.test_every_url import World
from tests.test_fuzz_forms import (
    form_fields,
    hostile_gets_never_500,
    hostile_posts_never_500,
    other_peoples_ids,
    refused,
    row_counts,
)


@dataclass
class Target:
    url: str
    user: Any  # None: anonymous (the signed follow-up link)
    fields: list[str] = field(default_factory=list)
    fixed: dict[str, Any] = field(default_factory=dict)  # always sent (e.g. the report kind)


def _second_placement(w: World) -> Any:
    """A placement without a bargain (the World's first one gets a bargain below)."""
    from practitioners.models import Placement

    return Placement.objects.create(
        seeker=w.consented,
        organisation=w.cast.organisation,
        role=w.published_role,
        started_on=timezone.localdate() - datetime.timedelta(days=10),
        hours_per_week=20,
        wage=17,
        wage_period="hour",
        delivery_method="self_serve",
        recorded_by=w.cast.practitioner,
    )


def _mindset_follow_up(w: World) -> Any:
    """The 3-month follow-up asks the mindset prompts too: more fields to fuzz."""
    from outcomes.models import FollowUp

    return FollowUp.objects.create(
        placement=w.placement,
        party="worker",
        month=3,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )


def build_targets(cast: Any, w: World | None = None) -> dict[str, Target]:
    w = w or World(cast)
    from tests.seekers.conftest import fill_answers

    fill_answers(w.consented, w.factor.version)  # ranked pages and reports have answers
    seeker, employer, practitioner, admin = (
        cast.seeker.user,
        cast.employer,
        cast.practitioner,
        cast.admin,
    )
    employer_consent = w.employer_consent
    bargained = w.bargained_placement
    fresh = _second_placement(w)
    seeker_client = {"kind": "seekers", "pk": w.consented.pk}
    employer_client = {"kind": "employers", "pk": cast.organisation.pk}
    role = w.published_role.pk
    r = reverse
    return {
        # matches
        "shortlist": Target(
            r("matches:shortlist", args=[role, w.consented.pk]), practitioner, ["next"]
        ),
        "introduce": Target(r("matches:pair_introduce", args=[w.pair.pk]), practitioner, ["next"]),
        "seeker interested": Target(r("seeker_matches:interested", args=[role]), seeker, ["next"]),
        "seeker share consent": Target(r("seeker_matches:share", args=[role]), seeker, ["agree"]),
        "seeker decline": Target(r("seeker_matches:decline", args=[role]), seeker, ["next"]),
        "employer invite": Target(
            r("employer_matches:candidate_invite", args=[role, w.alias]), employer, ["next"]
        ),
        # placements, bargains, assisted sessions
        "placement": Target(
            r("practitioners:placement_create", kwargs=seeker_client) + f"?role={role}",
            practitioner,
            ["role", "started_on", "hours_per_week", "wage", "wage_period"],
        ),
        "bargain start": Target(
            r("practitioners:bargain_edit", args=[fresh.pk]), practitioner, ["language"]
        ),
        "bargain terms": Target(r("practitioners:bargain_edit", args=[bargained.pk]), practitioner),
        "bargain agreement": Target(
            r("practitioners:bargain_agreement", args=[bargained.pk]), practitioner
        ),
        "bargain revisit": Target(
            r("practitioners:bargain_revisit", args=[bargained.pk]), practitioner
        ),
        "assisted seeker": Target(
            r("practitioners:assisted_activity", kwargs={**seeker_client, "factor_key": "values"}),
            practitioner,
            ["then", "reflection"],
        ),
        "assisted employer": Target(
            r(
                "practitioners:assisted_activity",
                kwargs={**employer_client, "factor_key": "values"},
            ),
            practitioner,
            ["then"],
        ),
        # follow-ups and consent
        "follow-up record": Target(
            r("outcomes:follow_up_record", args=[w.follow_up.pk]), practitioner, ["source"]
        ),
        "follow-up record (3 months)": Target(
            r("outcomes:follow_up_record", args=[_mindset_follow_up(w).pk]), practitioner
        ),
        "follow-up link": Target(r("outcomes:answer", args=[w.follow_up_token]), None),
        "consent renew": Target(
            r("outcomes:consent_renew"),
            seeker,
            ["kind", "employer_consent"],
            {},
        ),
        "consent renew (employer)": Target(
            r("outcomes:consent_renew"), seeker, ["kind"], {"employer_consent": employer_consent.pk}
        ),
        # program dashboard's report
        "program report": Target(
            r("dashboard:report"), admin, ["office", "practitioner", "start", "end"]
        ),
        # reports of every kind
        **{
            f"report {kind} ({who})": Target(
                r("reports:request"),
                user,
                ["subject", "seeker_id", "role_id"],
                {"kind": kind},
            )
            for kind, who, user in [
                ("seeker_profile", "seeker", seeker),
                ("seeker_profile", "practitioner", practitioner),
                ("employer_offer", "employer", employer),
                ("employer_offer", "practitioner", practitioner),
                ("match_summary", "practitioner", practitioner),
                ("bargain", "practitioner", practitioner),
                ("program", "admin", admin),
            ]
        },
    }


TARGET_NAMES = [
    "shortlist",
    "introduce",
    "seeker interested",
    "seeker share consent",
    "seeker decline",
    "employer invite",
    "placement",
    "bargain start",
    "bargain terms",
    "bargain agreement",
    "bargain revisit",
    "assisted seeker",
    "assisted employer",
    "follow-up record",
    "follow-up record (3 months)",
    "follow-up link",
    "consent renew",
    "consent renew (employer)",
    "program report",
    "report seeker_profile (seeker)",
    "report seeker_profile (practitioner)",
    "report employer_offer (employer)",
    "report employer_offer (practitioner)",
    "report match_summary (practitioner)",
    "report bargain (practitioner)",
    "report program (admin)",
]


def refused_or_turned_back(response: Any) -> bool:
    """Refused (4xx, or the form again with errors), or sent back with an error message:
    the views that answer a button with a redirect say "no" with ``messages.error``."""
    from django.contrib import messages

    if refused(response):
        return True
    if response.status_code in {301, 302, 303}:
        stored = messages.get_messages(response.wsgi_request)
        return any(m.level >= messages.ERROR for m in stored)
    return False


def _client(cast: Any, user: Any) -> Client:
    return Client() if user is None else cast.client_for(user)


def test_every_new_target_is_fuzzed(cast):
    assert sorted(build_targets(cast)) == sorted(TARGET_NAMES)


@pytest.mark.parametrize("name", TARGET_NAMES)
def test_hostile_post_never_500_and_saves_nothing_when_refused(cast, name):
    target = build_targets(cast)[name]
    client = _client(cast, target.user)
    page = client.get(target.url)
    found = form_fields(page.content.decode(errors="replace")) if page.status_code == 200 else []
    names = sorted({*found, *target.fields} - set(target.fixed))
    assert names, f"no form fields found for {name}"
    hostile_posts_never_500(
        client,
        target.url,
        names,
        ids=other_peoples_ids(cast),
        label=name,
        fixed=target.fixed,
        was_refused=refused_or_turned_back,
    )


def _get_targets(cast: Any) -> dict[str, tuple[str, Any, list[str]]]:
    w = World(cast)
    seeker_client = {"kind": "seekers", "pk": w.consented.pk}
    role = w.published_role.pk
    r = reverse
    return {
        "matches home": (r("matches:home"), cast.practitioner, ["organisation", "pairs_page"]),
        "ranked role": (r("matches:role_seekers", args=[role]), cast.practitioner, ["scope"]),
        "ranked seeker": (r("matches:seeker_roles", args=[w.consented.pk]), cast.practitioner, []),
        "pair": (r("matches:pair_detail", args=[w.pair.pk]), cast.practitioner, []),
        "my roles": (r("seeker_matches:roles"), cast.seeker.user, []),
        "share step": (r("seeker_matches:share", args=[role]), cast.seeker.user, []),
        "candidates": (
            r("employer_matches:role_candidates", args=[role]),
            cast.employer,
            [],
        ),
        "candidate": (
            r("employer_matches:candidate_detail", args=[role, w.alias]),
            cast.employer,
            [],
        ),
        "placement form": (
            r("practitioners:placement_create", kwargs=seeker_client),
            cast.practitioner,
            ["role"],
        ),
        "follow-ups": (r("outcomes:follow_up_list"), cast.practitioner, ["show"]),
        "dashboard": (
            r("dashboard:dashboard"),
            cast.admin,
            ["office", "practitioner", "start", "end"],
        ),
        "dashboard csv": (
            r("dashboard:csv", args=["funnel"]),
            cast.admin,
            ["office", "practitioner", "start", "end"],
        ),
        "report detail": (r("reports:detail", args=[w.report.pk]), cast.seeker.user, []),
    }


GET_NAMES = [
    "matches home",
    "ranked role",
    "ranked seeker",
    "pair",
    "my roles",
    "share step",
    "candidates",
    "candidate",
    "placement form",
    "follow-ups",
    "dashboard",
    "dashboard csv",
    "report detail",
]


@pytest.mark.parametrize("name", GET_NAMES)
def test_hostile_query_strings_never_500(cast, name):
    url, user, params = _get_targets(cast)[name]
    hostile_gets_never_500(cast.client_for(user), url, params, other_peoples_ids(cast))


def test_every_get_target_is_fuzzed(cast):
    assert sorted(_get_targets(cast)) == sorted(GET_NAMES)


@pytest.mark.parametrize(
    ("value", "status"),
    [("²", 200), ("١٢", 200), ("9" * 30, 200), ("-1", 200), ("0x1f", 200)],
)
def test_odd_digits_in_filters_are_ignored_not_500(cast, value, status):
    """str.isdigit() says yes to "²", int() says no: the filters read plain 0-9 only."""
    w = World(cast)
    client = cast.client_for(cast.practitioner)
    seeker_client = {"kind": "seekers", "pk": w.consented.pk}
    assert client.get(reverse("matches:home"), {"organisation": value}).status_code == status
    placement = reverse("practitioners:placement_create", kwargs=seeker_client)
    assert client.get(placement, {"role": value}).status_code == status
    note_add = reverse("practitioners:note_add", kwargs=seeker_client)
    assert client.get(note_add, {"corrects": value}).status_code in {200, 404}
    assert client.get(reverse("practitioners:queue"), {"practitioner": value}).status_code == 200
    renew = cast.client_for(cast.seeker.user).post(
        reverse("outcomes:consent_renew"), {"employer_consent": value}
    )
    assert renew.status_code == 302


@pytest.mark.parametrize("name", ["shortlist", "introduce", "seeker decline", "employer invite"])
def test_next_with_a_header_break_is_not_followed(cast, name):
    """A "next" address carrying a line break goes to the default page, never a 500."""
    target = build_targets(cast)[name]
    client = cast.client_for(target.user)
    response = client.post(target.url, {"next": "/caseload/\r\nSet-Cookie: x=1"})
    assert response.status_code in {302, 303}
    assert "\n" not in response["Location"] and "Set-Cookie" not in response["Location"]


def test_strangers_objects_in_new_forms_are_404(cast):
    """Other people's pair, placement and follow-up: 404 for the second practitioner,
    and nothing saved."""
    w = World(cast)
    client = cast.client_for(cast.practitioner2)
    before = row_counts()
    urls = [
        reverse("matches:pair_introduce", args=[w.pair.pk]),
        reverse("practitioners:bargain_edit", args=[w.bargained_placement.pk]),
        reverse("practitioners:bargain_revisit", args=[w.bargained_placement.pk]),
        reverse("outcomes:follow_up_record", args=[w.follow_up.pk]),
        reverse("practitioners:placement_create", kwargs={"kind": "seekers", "pk": w.consented.pk}),
    ]
    before = row_counts()
    for url in urls:
        assert client.post(url, {"language": "en", "source": "phone"}).status_code == 404, url
    assert row_counts() == before


def _valid_posts(cast: Any) -> dict[str, tuple[Target, dict[str, Any]]]:
    """A valid post for each target where a second click could save a second row."""
    from practitioners.services.bargains import bargain_agreement_record

    w = World(cast)
    targets = build_targets(cast, w)
    today = timezone.localdate()
    bargain = w.bargained_placement.bargain
    bargain_agreement_record(
        bargain=bargain,
        by=cast.practitioner,
        worker_agreed_on=today,
        employer_agreed_on=today,
        employer_agreed_by="Sam",
    )
    keys = list(bargain.terms.values_list("factor_key", flat=True))
    revisit = {"revisited_on": today.isoformat(), "note": "Fine."}
    revisit |= {f"outcome-{k}": "kept" for k in keys} | {f"note-{k}": "" for k in keys}
    placement = {
        "role": w.published_role.pk,
        "started_on": today.isoformat(),
        "hours_per_week": "30",
        "wage": "18",
        "wage_period": "hour",
    }
    return {
        "shortlist": (targets["shortlist"], {}),
        "introduce": (targets["introduce"], {}),
        "seeker interested": (targets["seeker interested"], {}),
        "seeker share consent": (targets["seeker share consent"], {}),
        "employer invite": (targets["employer invite"], {}),
        "placement": (targets["placement"], placement),
        "bargain start": (targets["bargain start"], {"language": "fr"}),
        "bargain revisit": (targets["bargain revisit"], revisit),
        "follow-up record": (
            targets["follow-up record"],
            {"still_there": "yes", "source": "phone"},
        ),
        "follow-up link": (targets["follow-up link"], {"still_there": "yes"}),
        "report seeker_profile (seeker)": (targets["report seeker_profile (seeker)"], {}),
        "program report": (targets["program report"], {}),
    }


# The World already holds the pair these act on: the first post changes its state only.
# A follow-up's answer fills its own row: no row is added.
ALREADY_SAVED = {
    "shortlist",
    "introduce",
    "seeker interested",
    "employer invite",
    "follow-up record",
    "follow-up link",
}
DUPLICATES = [
    "shortlist",
    "introduce",
    "seeker interested",
    "seeker share consent",
    "employer invite",
    "placement",
    "bargain start",
    "bargain revisit",
    "follow-up record",
    "follow-up link",
    "report seeker_profile (seeker)",
    "program report",
]


@pytest.mark.parametrize("name", DUPLICATES)
def test_a_valid_post_sent_twice_saves_once(cast, name):
    """A double click: the first post saves, the second adds no row (and is no 500)."""
    target, data = _valid_posts(cast)[name]
    client = _client(cast, target.user)
    before = row_counts()
    first = client.post(target.url, {**data, **target.fixed})
    body = first.content.decode()
    assert first.status_code < 400, re.findall(r"(?:invalid-feedback|alert)[^>]*>([^<]+)", body)
    after_first = row_counts()
    if name not in ALREADY_SAVED:
        assert after_first != before, f"{name}: the valid post saved nothing"
    second = client.post(target.url, {**data, **target.fixed})
    assert second.status_code < 500
    # Each agreement is audited, a repeated one too (consent law): only other rows count.
    added = {
        k: v - after_first[k]
        for k, v in row_counts().items()
        if v != after_first[k] and k != "accounts.AuditEvent"
    }
    assert not added, f"{name}: the second click saved again: {added}"


def test_a_redirect_with_an_error_message_counts_as_refused(cast):
    """The helper above reads the messages: a renewal of an unknown kind is turned back."""
    client = cast.client_for(cast.seeker.user)
    response = client.post(reverse("outcomes:consent_renew"), {"kind": "junk"})
    assert response.status_code == 302 and refused_or_turned_back(response)

"""Every URL of the project, for every role, with objects owned by someone else.

``EVERY_URL`` names each URL pattern (``namespace:name``) with a ``Covered`` entry:
how to build its URL arguments for an object that belongs to one member of the
cast (``owner``), and who else sees that object (``also_sees``). Which roles may use
the URL at all comes from the view's ``@requires`` action and the PERMISSIONS matrix.

For each of anonymous, seeker, seeker2, employer, employer2, practitioner,
practitioner2 and admin the test expects:

- anonymous: a redirect to sign-in (public URLs: anything but a server error);
- a role the action does not allow: 403;
- an allowed role that is neither the owner nor in ``also_sees``: 404;
- the owner, ``also_sees``, and everyone allowed when there is no owner: success
  (200, or a redirect).

A GET that answers 405 is retried as an empty POST (POST-only views); strangers are
tried before the owner so that a POST by the owner cannot hide a stranger's result.

A new URL pattern without an entry fails ``test_every_url_pattern_has_an_entry``
with the line to add. See docs/conventions.md ("Every URL test").
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Role
from accounts.permissions import PERMISSIONS
from employers.models import JobRole
from factors.models import Factor, Item
from factors.selectors import current_version
from practitioners.models import (
    Goal,
    GroupSession,
    Note,
    Reassignment,
    Referral,
    SessionAttendance,
    Step,
)
from reports.models import Report
from seekers import services as seeker_services
from seekers.models import ConsentKind, EmployerConsent
from tests.factories import PractitionerFactory
from tests.test_url_matrix import PUBLIC, project_views

VIEWERS = (
    "anonymous",
    "seeker",
    "seeker2",
    "employer",
    "employer2",
    "practitioner",
    "practitioner2",
    "admin",
)
OK = {200, 301, 302, 303}


class World:
    """Objects for the URLs, each owned by the *first* member of the cast of its role
    (seeker, employer, practitioner); built on first use."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast

    def user(self, name: str) -> Any:
        found = getattr(self.cast, name)
        return getattr(found, "user", found)

    # --- framework (no owner) -------------------------------------------------------
    @cached_property
    def factor(self) -> Factor:
        return Factor.objects.filter(version=current_version()).order_by("pk").first()

    @cached_property
    def worker_item(self) -> Item:
        return Item.objects.filter(factor=self.factor, retired=False).order_by("pk").first()

    # --- the seeker's own -----------------------------------------------------------
    @cached_property
    def consented(self) -> Any:
        seeker = self.cast.seeker
        seeker_services.welcome_accept(seeker=seeker, share_with_practitioner=True)
        seeker_services.consent_give(seeker=self.cast.seeker2, kind=ConsentKind.DATA_USE)
        return seeker

    @cached_property
    def snapshot(self) -> Any:
        from tests.seekers.conftest import fill_answers

        fill_answers(self.consented, current_version())
        return seeker_services.profile_retake(seeker=self.consented)

    @cached_property
    def employer_consent(self) -> EmployerConsent:
        return seeker_services.consent_grant_employer(
            seeker=self.consented, organisation=self.cast.organisation, source="practitioner"
        )

    @cached_property
    def erasure(self) -> Any:
        return seeker_services.erasure_request(seeker=self.cast.seeker)

    # --- the employer's own ---------------------------------------------------------
    @cached_property
    def role(self) -> JobRole:
        from tests.employers.conftest import make_role

        return make_role(self.cast.organisation)

    @cached_property
    def employer_invitation(self) -> Invitation:
        return Invitation.objects.create(
            email="colleague@example.org",
            role=Role.EMPLOYER,
            invited_by=self.cast.employer,
            organisation=self.cast.organisation,
            token_digest=uuid.uuid4().hex,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )

    # --- the practitioner's caseload ------------------------------------------------
    @cached_property
    def note(self) -> Note:
        return Note.objects.create(
            seeker=self.cast.seeker,
            author=self.cast.practitioner,
            kind="phone",
            occurred_on=timezone.localdate(),
            text="Called about the interview.",
        )

    @cached_property
    def goal(self) -> Goal:
        return Goal.objects.create(
            seeker=self.cast.seeker, created_by=self.cast.practitioner, title="Find a kitchen job"
        )

    @cached_property
    def step(self) -> Step:
        return Step.objects.create(goal=self.goal, text="Write a CV", owner="client")

    @cached_property
    def colleague(self) -> Any:
        return PractitionerFactory(email="p3@example.org", office=self.cast.practitioner.office)

    @cached_property
    def referral(self) -> Referral:
        return Referral.objects.create(
            seeker=self.cast.seeker,
            from_user=self.cast.practitioner,
            to_practitioner=self.colleague,
            reason="Specialist in kitchens.",
        )

    @cached_property
    def practitioner_invitation(self) -> Invitation:
        return Invitation.objects.create(
            email="newclient@example.org",
            role=Role.SEEKER,
            invited_by=self.cast.practitioner,
            practitioner=self.cast.practitioner,
            office=self.cast.practitioner.office,
            token_digest=uuid.uuid4().hex,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )

    @cached_property
    def staff_invitation(self) -> Invitation:
        return Invitation.objects.create(
            email="newstaff@example.org",
            role=Role.PRACTITIONER,
            invited_by=self.cast.admin,
            office=self.cast.practitioner.office,
            token_digest=uuid.uuid4().hex,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        )

    @cached_property
    def reassignment(self) -> Reassignment:
        return Reassignment.objects.create(
            performed_by=self.cast.admin,
            from_practitioner=self.cast.practitioner,
            to_practitioner=self.colleague,
        )

    @cached_property
    def session(self) -> GroupSession:
        return GroupSession.objects.create(
            title="Interview practice",
            topic=self.factor.key,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            place="Room 2",
            office=self.cast.practitioner.office,
            facilitator=self.cast.practitioner,
        )

    @cached_property
    def attendance(self) -> SessionAttendance:
        return SessionAttendance.objects.create(
            session=self.session, organisation=self.cast.organisation
        )

    # --- matching, placements, follow-ups -------------------------------------------
    @cached_property
    def published_role(self) -> JobRole:
        from tests.matches.conftest import published_role

        return published_role(self.cast.organisation, title="Published cook")

    @cached_property
    def pair(self) -> Any:
        from matches.services import pair_shortlist

        return pair_shortlist(
            seeker=self.consented, role=self.published_role, by=self.cast.practitioner
        )

    @cached_property
    def alias(self) -> str:
        from matches.services import aliases_for

        seeker = self.consented  # a candidate has agreed to data use
        return aliases_for(organisation=self.cast.organisation, seeker_ids=[seeker.pk])[seeker.pk]

    @cached_property
    def placement(self) -> Any:
        from practitioners.models import Placement

        return Placement.objects.create(
            seeker=self.consented,
            organisation=self.cast.organisation,
            role=self.published_role,
            started_on=timezone.localdate() - datetime.timedelta(days=40),
            hours_per_week=30,
            wage=18,
            wage_period="hour",
            delivery_method="self_serve",
            recorded_by=self.cast.practitioner,
        )

    @cached_property
    def bargained_placement(self) -> Any:
        from practitioners.services.bargains import bargain_start

        bargain_start(placement=self.placement, by=self.cast.practitioner, language="en")
        return self.placement

    @cached_property
    def follow_up(self) -> Any:
        from outcomes.models import FollowUp

        return FollowUp.objects.create(
            placement=self.placement,
            party="worker",
            month=1,
            due_on=timezone.localdate() - datetime.timedelta(days=9),
        )

    @cached_property
    def follow_up_token(self) -> str:
        from outcomes.services import follow_up_token

        return follow_up_token(follow_up=self.follow_up, user=self.cast.seeker.user)

    # --- reports --------------------------------------------------------------------
    @cached_property
    def report(self) -> Report:
        return Report.objects.create(
            owner=self.consented.user,
            kind="seeker_profile",
            params={"seeker": self.consented.pk},
            params_key=uuid.uuid4().hex,
            language="en",
            title="My profile",
        )


@dataclass(frozen=True)
class Covered:
    """How to reach one URL pattern.

    kwargs: builds the URL arguments from the World (None: the pattern takes none).
    owner: the cast member the object belongs to (None: no one's object, e.g. a list
        or "new" page, or the viewer's own room); other allowed people get 404.
    also_sees: cast members besides the owner who may open it (e.g. admins see every
        practitioner's caseload).
    ok: the statuses that count as success for those who may open it; widen it only for
        a POST-only view whose empty form is a clear error (400/422), with a comment.
    expect: per-viewer exceptions to the rule, e.g. {"admin": "403"} when only the author
        may edit; each with a comment saying why.
    """

    kwargs: Callable[[World], dict[str, Any]] | None = None
    owner: str | None = None
    also_sees: frozenset[str] = field(default_factory=frozenset)
    ok: frozenset[int] = frozenset(OK)
    expect: dict[str, str] = field(default_factory=dict)


STAFF_SEES = frozenset({"admin"})
NO_ARGS = Covered()


def _seeker_client(w: World) -> dict[str, Any]:
    return {"kind": "seekers", "pk": w.cast.seeker.pk}


def _client_and(**extra: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    return lambda w: {**_seeker_client(w), **{k: build(w) for k, build in extra.items()}}


def caseload(kwargs: Callable[[World], dict[str, Any]], **more: Any) -> Covered:
    """An object in the first practitioner's caseload: the other office gets 404."""
    return Covered(kwargs, owner="practitioner", also_sees=STAFF_SEES, **more)


EMPTY_POST_REFUSED = frozenset({*OK, 400, 422})  # POST-only: an empty form is a clear error


EVERY_URL: dict[str, Covered] = {
    # --- public (see tests/test_url_matrix.py PUBLIC) ---
    "home": NO_ARGS,
    "language_switch": NO_ARGS,
    "healthz": NO_ARGS,
    "ping": NO_ARGS,
    "invitation_accept": Covered(lambda w: {"token": "not-a-real-token"}),
    "factors:factor_detail": Covered(lambda w: {"key": w.factor.key}),
    # --- framework editor (admins) ---
    "factors:overview": NO_ARGS,
    "factors:draft_create": NO_ARGS,
    "factors:compare": NO_ARGS,
    "factors:history": NO_ARGS,
    "factors:version_detail": Covered(lambda w: {"number": 1}),
    "factors:version_publish": Covered(lambda w: {"number": 1}),
    "factors:factor_edit": Covered(lambda w: {"number": 1, "key": w.factor.key}),
    "factors:factor_preview": Covered(lambda w: {"number": 1, "key": w.factor.key}),
    # --- the seeker's room: "me/" is always the viewer's own ---
    "seekers:home": NO_ARGS,
    "seekers:welcome": NO_ARGS,
    "seekers:mindset": NO_ARGS,
    "seekers:activity": Covered(lambda w: {"factor_key": w.factor.key}),
    "seekers:activity_item": Covered(
        lambda w: {"factor_key": w.factor.key, "item_id": w.worker_item.pk}
    ),
    "seekers:activity_reflection": Covered(lambda w: {"factor_key": w.factor.key}),
    "seekers:profile": NO_ARGS,
    "seekers:profile_retake": NO_ARGS,
    "seekers:history": NO_ARGS,
    "seekers:history_detail": Covered(lambda w: {"pk": w.snapshot.pk}, owner="seeker"),
    "seekers:sharing": NO_ARGS,
    "seekers:consent_withdraw": NO_ARGS,
    "seekers:employer_consent_withdraw": Covered(
        lambda w: {"pk": w.employer_consent.pk}, owner="seeker"
    ),
    "seekers:my_data": NO_ARGS,
    "seekers:export_json": NO_ARGS,
    "seekers:export_csv": NO_ARGS,
    "seekers:erasure_request": Covered(ok=EMPTY_POST_REFUSED),
    "seekers:erasure_cancel": NO_ARGS,
    # --- the employer's room ---
    "employers:home": NO_ARGS,
    "employers:mindset": NO_ARGS,
    "employers:activity": Covered(lambda w: {"factor_key": w.factor.key}),
    "employers:activity_item_save": Covered(
        lambda w: {"factor_key": w.factor.key, "item_id": w.worker_item.pk}
    ),
    "employers:offer_profile": NO_ARGS,
    "employers:builder": NO_ARGS,
    "employers:builder_adopt": NO_ARGS,
    "employers:role_list": NO_ARGS,
    "employers:role_create": NO_ARGS,
    **{
        f"employers:{name}": Covered(lambda w: {"role_id": w.role.pk}, owner="employer")
        for name in (
            "role_detail",
            "role_edit",
            "role_offer",
            "role_publish",
            "role_close",
            "posting_edit",
            "posting_download",
        )
    },
    "employers:posting_check": Covered(
        lambda w: {"role_id": w.role.pk}, owner="employer", ok=EMPTY_POST_REFUSED
    ),
    "employers:colleagues": NO_ARGS,
    "employers:invitation_withdraw": Covered(
        lambda w: {"invitation_id": w.employer_invitation.pk}, owner="employer"
    ),
    # --- practitioners' workspace ---
    "practitioners:queue": NO_ARGS,
    "practitioners:client_record": caseload(_seeker_client),
    "practitioners:note_add": caseload(_seeker_client),
    "practitioners:note_edit": caseload(
        _client_and(note_id=lambda w: w.note.pk),
        expect={"admin": "403"},  # only a note's author corrects it
    ),
    "practitioners:delivery_update": caseload(_seeker_client),
    "practitioners:goal_add": caseload(_seeker_client),
    "practitioners:step_add": caseload(_client_and(goal_id=lambda w: w.goal.pk)),
    "practitioners:step_toggle": caseload(_client_and(step_id=lambda w: w.step.pk)),
    "practitioners:referral_create": caseload(_seeker_client),
    **{
        f"practitioners:{name}": caseload(lambda w: {"pk": w.referral.pk})
        for name in ("referral_detail", "referral_withdraw")
    },
    # Only the colleague a referral is addressed to decides it; the sender and admins 403.
    **{
        f"practitioners:{name}": caseload(
            lambda w: {"pk": w.referral.pk}, expect={"practitioner": "403", "admin": "403"}
        )
        for name in ("referral_accept", "referral_decline")
    },
    "practitioners:invite": NO_ARGS,
    "practitioners:invitation_withdraw": Covered(
        lambda w: {"pk": w.practitioner_invitation.pk},
        owner="practitioner",
        also_sees=STAFF_SEES,
    ),
    "practitioners:reassign": NO_ARGS,
    "practitioners:reassignment_list": NO_ARGS,
    "practitioners:reassignment_detail": Covered(lambda w: {"pk": w.reassignment.pk}),
    "practitioners:session_list": NO_ARGS,
    "practitioners:session_create": NO_ARGS,
    **{
        f"practitioners:{name}": caseload(lambda w: {"pk": w.session.pk})
        for name in (
            "session_detail",
            "session_edit",
            "session_invite",
            "session_attendance",
            "session_notes",
            "session_peers",
        )
    },
    "practitioners:session_uninvite": caseload(
        lambda w: {"pk": w.attendance.session_id, "organisation_id": w.cast.organisation.pk},
        ok=frozenset({*OK, 404}),  # the first successful POST removes the invitation
    ),
    "practitioners:placement_create": caseload(_seeker_client),
    "practitioners:placement_detail": caseload(lambda w: {"pk": w.placement.pk}),
    "practitioners:assisted_activity": caseload(
        lambda w: {"kind": "seekers", "pk": w.consented.pk, "factor_key": w.factor.key}
    ),
    **{
        f"practitioners:{name}": caseload(lambda w: {"pk": w.placement.pk})
        for name in ("bargain_edit", "bargain_revisit")
    },
    "practitioners:bargain_agreement": caseload(lambda w: {"pk": w.bargained_placement.pk}),
    # --- matching ---
    "matches:home": NO_ARGS,
    # Any practitioner may match any published role (the role is not someone's caseload).
    "matches:role_seekers": Covered(lambda w: {"role_id": w.published_role.pk}),
    "matches:seeker_roles": caseload(lambda w: {"seeker_id": w.consented.pk}),
    "matches:shortlist": caseload(
        lambda w: {"role_id": w.published_role.pk, "seeker_id": w.consented.pk}
    ),
    "matches:pair_detail": caseload(lambda w: {"pair_id": w.pair.pk}),
    "matches:pair_introduce": caseload(lambda w: {"pair_id": w.pair.pk}),
    "seeker_matches:roles": NO_ARGS,
    # A published role is open to every seeker; each acts only on their own answer to it.
    **{
        f"seeker_matches:{name}": Covered(lambda w: {"role_id": w.published_role.pk})
        for name in ("interested", "decline", "share")
    },
    "employer_matches:home": NO_ARGS,
    "employer_matches:role_candidates": Covered(
        lambda w: {"role_id": w.published_role.pk}, owner="employer"
    ),
    **{
        f"employer_matches:{name}": Covered(
            lambda w: {"role_id": w.published_role.pk, "alias": w.alias}, owner="employer"
        )
        for name in ("candidate_detail", "candidate_invite")
    },
    # --- follow-ups ---
    "outcomes:follow_up_list": NO_ARGS,
    "outcomes:follow_up_record": caseload(lambda w: {"pk": w.follow_up.pk}),
    "outcomes:consent_renew": NO_ARGS,
    "outcomes:answered": NO_ARGS,
    # The signed link is the credential: whoever holds it may answer, signed in or not.
    "outcomes:answer": Covered(lambda w: {"token": w.follow_up_token}),
    # --- program dashboard and audit log (admins) ---
    "dashboard:dashboard": NO_ARGS,
    "dashboard:csv": Covered(lambda w: {"table": "funnel"}),
    "dashboard:report": NO_ARGS,
    "staff:audit_log": NO_ARGS,
    "staff:audit_export": NO_ARGS,
    # --- program administration ---
    "staff:staff_list": NO_ARGS,
    "staff:staff_invite": NO_ARGS,
    "staff:office_list": NO_ARGS,
    "staff:office_rename": Covered(lambda w: {"pk": w.cast.practitioner2.office_id}),
    "staff:invitation_withdraw": Covered(lambda w: {"pk": w.staff_invitation.pk}),
    "staff:staff_deactivate": Covered(lambda w: {"pk": w.colleague.pk}),
    "staff:staff_reactivate": Covered(lambda w: {"pk": w.colleague.pk}),
    "seeker_staff:erasure_list": NO_ARGS,
    "seeker_staff:erasure_confirm": caseload(lambda w: {"pk": w.erasure.pk}),
    # --- reports: only the person who asked sees a report ---
    "reports:list": NO_ARGS,
    "reports:request": Covered(ok=EMPTY_POST_REFUSED),
    "reports:detail": Covered(lambda w: {"report_id": w.report.pk}, owner="seeker"),
    "reports:download": Covered(lambda w: {"report_id": w.report.pk}, owner="seeker"),
}


def _patterns() -> dict[str, tuple[str, Any]]:
    return {name: (route, callback) for route, name, callback in project_views()}


def test_every_url_pattern_has_an_entry():
    missing = {name: route for name, (route, _) in _patterns().items() if name not in EVERY_URL}

    def line(name: str, route: str) -> str:
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        if not params:
            return f'    "{name}": NO_ARGS,  # {route}'
        kwargs = ", ".join(f'"{p}": w.<object>.pk' for p in params)
        return f'    "{name}": Covered(lambda w: {{{kwargs}}}, owner="<cast member>"),  # {route}'

    lines = [line(name, route) for name, route in sorted(missing.items())]
    assert not missing, (
        "These URL patterns are not covered by tests/test_every_url.py. Add to EVERY_URL:\n"
        + "\n".join(lines)
        + "\n(build the object in World; owner = the cast member it belongs to; "
        "see docs/conventions.md, 'Every URL test')"
    )


def test_every_entry_is_still_a_url_pattern():
    stale = set(EVERY_URL) - set(_patterns())
    assert not stale, f"Remove these from EVERY_URL (no such URL pattern any more): {stale}"


def expected(name: str, action: str | None, entry: Covered, viewer: str, world: World) -> str:
    if name in PUBLIC:
        return "public"
    if viewer in entry.expect:
        return entry.expect[viewer]
    if viewer == "anonymous":
        return "sign-in"
    if world.user(viewer).role not in PERMISSIONS[action]:
        return "403"
    if entry.owner is None or viewer == entry.owner or viewer in entry.also_sees:
        return "ok"
    return "404"


def _order(entry: Covered) -> list[str]:
    """Strangers first, so a POST by the owner cannot change what a stranger sees."""
    last = {entry.owner, *entry.also_sees}
    return [v for v in VIEWERS if v not in last] + [v for v in VIEWERS if v in last]


def _call(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.parametrize("name", sorted(EVERY_URL))
def test_url_for_every_role(cast, name):
    patterns = _patterns()
    if name not in patterns:
        pytest.skip("stale entry (reported by test_every_entry_is_still_a_url_pattern)")
    _, callback = patterns[name]
    action = getattr(callback, "required_action", None)
    entry = EVERY_URL[name]
    world = World(cast)
    url = reverse(name, kwargs=entry.kwargs(world) if entry.kwargs else None)
    wrong = []
    for viewer in _order(entry):
        client = cast.client_for(None if viewer == "anonymous" else world.user(viewer))
        response = _call(client, url)
        status = response.status_code
        want = expected(name, action, entry, viewer, world)
        if want == "public":
            good = status < 500 and status != 403
        elif want == "sign-in":
            good = status == 302 and response["Location"].startswith(reverse("account_login"))
        elif want == "ok":
            good = status in entry.ok
        else:
            good = status == int(want)
        if not good:
            wrong.append(f"{viewer}: expected {want}, got {status}")
    assert not wrong, f"{name} {url}\n" + "\n".join(wrong)

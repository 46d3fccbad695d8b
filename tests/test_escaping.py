"""Text people write is shown as text, never as markup, on every page that shows it.

Notes, goals, steps, referral reasons, session titles and notes, reflections, examples,
role titles and duties, job postings and names are all filled with markup, then every
page that shows them is read: the markup appears escaped (``&lt;script&gt;``), never as
an element. PDFs: tests/reports/test_pdf.py (``test_everything_people_typed_is_printed_as
_text_not_markup``) and ``test_pdf_prints_markup_as_literal_text`` below.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from employers.models import JobPosting
from factors.models import Factor, Item
from factors.selectors import current_version
from practitioners.models import Goal, GroupSession, Note, Referral, Step
from reports.documents import report_pdf
from reports.models import Report
from seekers import services as seeker_services
from seekers.models import Answer, Reflection
from tests.employers.conftest import make_role
from tests.factories import PractitionerFactory
from tests.reports.conftest import pdf_text

MARKUP = "<script>alert(1)</script><b>x</b>"
ESCAPED = escape(MARKUP)  # &lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;


def _marked(text: str) -> str:
    return f"{text} {MARKUP}"


@pytest.fixture
def written(cast):
    """Everything people write, full of markup, in the first seeker's and business's world."""
    version = current_version()
    factor = Factor.objects.filter(version=version).order_by("pk").first()
    seeker = cast.seeker
    seeker_services.welcome_accept(seeker=seeker, share_with_practitioner=True)
    seeker.user.full_name = _marked("Zoë")
    seeker.user.save(update_fields=["full_name"])
    Reflection.objects.create(seeker=seeker, factor=factor, text=_marked("I value"))
    offers = Item.objects.filter(factor__version=version, retired=False)
    for item in offers:
        Answer.objects.create(
            seeker=seeker,
            item=item,
            level=2,
            example="" if item.is_need else _marked("Example"),
        )
    role = make_role(
        cast.organisation, title=_marked("Cook"), duties=_marked("Duties"), location="Here"
    )
    JobPosting.objects.create(role=role, text=_marked("Posting"), updated_by=cast.employer)
    note = Note.objects.create(
        seeker=seeker,
        author=cast.practitioner,
        kind="phone",
        occurred_on=timezone.localdate(),
        text=_marked("Note"),
    )
    goal = Goal.objects.create(seeker=seeker, created_by=cast.practitioner, title=_marked("Goal"))
    Step.objects.create(goal=goal, text=_marked("Step"), owner="client")
    colleague = PractitionerFactory(email="p3@example.org", office=cast.practitioner.office)
    referral = Referral.objects.create(
        seeker=seeker,
        from_user=cast.practitioner,
        to_practitioner=colleague,
        reason=_marked("Reason"),
    )
    session = GroupSession.objects.create(
        title=_marked("Session"),
        topic=factor.key,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place=_marked("Room"),
        notes=_marked("Session notes"),
        office=cast.practitioner.office,
        facilitator=cast.practitioner,
    )
    return {
        "factor": factor,
        "role": role,
        "note": note,
        "referral": referral,
        "session": session,
        "colleague": colleague,
    }


def _pages(cast, written) -> list[tuple[object, str, bool]]:
    """(viewer, url, must show the escaped text)."""
    client_record = reverse(
        "practitioners:client_record", kwargs={"kind": "seekers", "pk": cast.seeker.pk}
    )
    role = written["role"].pk
    session = written["session"].pk
    factor = written["factor"].key
    return [
        (cast.seeker.user, reverse("seekers:activity", args=[factor]), True),
        (cast.seeker.user, reverse("seekers:profile"), True),
        (cast.seeker.user, reverse("seekers:home"), False),
        (cast.seeker.user, reverse("seekers:my_data"), False),
        (cast.employer, reverse("employers:role_list"), True),
        (cast.employer, reverse("employers:role_detail", args=[role]), True),
        (cast.employer, reverse("employers:role_edit", args=[role]), True),
        (cast.employer, reverse("employers:posting_edit", args=[role]), True),
        (cast.practitioner, reverse("practitioners:queue"), True),
        (cast.practitioner, client_record, True),
        (
            cast.practitioner,
            reverse(
                "practitioners:note_edit",
                kwargs={"kind": "seekers", "pk": cast.seeker.pk, "note_id": written["note"].pk},
            ),
            True,
        ),
        (
            cast.practitioner,
            reverse("practitioners:referral_detail", args=[written["referral"].pk]),
            True,
        ),
        (
            written["colleague"],
            reverse("practitioners:referral_detail", args=[written["referral"].pk]),
            True,
        ),
        (cast.practitioner, reverse("practitioners:session_list"), True),
        (cast.practitioner, reverse("practitioners:session_detail", args=[session]), True),
        (cast.practitioner, reverse("practitioners:session_edit", args=[session]), True),
        (cast.admin, client_record, True),
        (cast.admin, reverse("seeker_staff:erasure_list"), False),
    ]


def _markup_problems(cast, pages: list[tuple[object, str, bool]]) -> list[str]:
    """Each page (viewer, url, whether it shows the text; viewer None: signed out) that
    fails to answer, renders the markup as elements, or does not show the text escaped."""
    from django.test import Client

    problems = []
    for viewer, url, shows in pages:
        client = Client() if viewer is None else cast.client_for(viewer)
        response = client.get(url)
        html = response.content.decode()
        if response.status_code != 200:
            problems.append(f"{url}: status {response.status_code}")
            continue
        if "<script>alert(1)" in html or "<b>x</b>" in html:
            problems.append(f"{url}: markup rendered as elements")
        if shows and ESCAPED not in html:
            problems.append(f"{url}: the text people wrote is not shown (escaped)")
    return problems


def test_markup_people_wrote_is_escaped_on_every_page_that_shows_it(cast, written):
    problems = _markup_problems(cast, _pages(cast, written))
    assert not problems, "\n".join(problems)


def test_posting_download_is_plain_text(cast, written):
    response = cast.client_for(cast.employer).get(
        reverse("employers:posting_download", args=[written["role"].pk])
    )
    assert response["Content-Type"].startswith("text/plain")
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert MARKUP in response.content.decode()  # literal characters, as typed


def test_exports_keep_the_literal_characters(cast, written):
    client = cast.client_for(cast.seeker.user)
    for name, kind in [
        ("seekers:export_json", "application/json"),
        ("seekers:export_csv", "text/csv"),
    ]:
        response = client.get(reverse(name))
        # Data, not a page: never sniffed as HTML, so the characters stay as typed.
        assert response["Content-Type"].startswith(kind)
        assert response.get("X-Content-Type-Options") == "nosniff"
        assert "alert(1)" in response.content.decode()


def test_pdf_prints_markup_as_literal_text(cast, written):
    """The name and examples with markup come out of the PDF as the characters typed."""
    report = Report(
        owner=cast.seeker.user,
        kind="seeker_profile",
        params={"seeker": cast.seeker.pk},
        language="en",
        title="Profile",
    )
    text = pdf_text(report_pdf(report=report)).replace("\n", "")
    assert "<script>alert(1)</script>" in text
    assert "<b>x</b>" in text  # printed, not turned into bold


# --- matching, placements, bargains, follow-ups ---------------------------------------------


@pytest.fixture
def written_later(cast):
    """What people write in the later apps, full of markup: a published role's title and
    duties, the seeker's name, the bargain's terms, who agreed for the employer, a revisit's
    notes and a follow-up's comment; with a pair and a placement between them."""
    from matches.services import pair_shortlist
    from outcomes.models import FollowUp
    from outcomes.services import FollowUpAnswer, follow_up_answer, follow_up_token
    from practitioners.models import Placement
    from practitioners.services import bargains
    from tests.matches.conftest import published_role
    from tests.seekers.conftest import fill_answers

    seeker = cast.seeker
    seeker_services.welcome_accept(seeker=seeker, share_with_practitioner=True)
    fill_answers(seeker, current_version())
    seeker.user.full_name = _marked("Zoë")
    seeker.user.save(update_fields=["full_name"])
    role = published_role(cast.organisation, title=_marked("Cook"), duties=_marked("Duties"))
    pair = pair_shortlist(seeker=seeker, role=role, by=cast.practitioner)
    seeker_services.consent_grant_employer(
        seeker=seeker, organisation=cast.organisation, source="practitioner"
    )
    today = timezone.localdate()
    placement = Placement.objects.create(
        seeker=seeker,
        organisation=cast.organisation,
        role=role,
        started_on=today - datetime.timedelta(days=100),
        hours_per_week=30,
        wage=18,
        wage_period="hour",
        delivery_method="self_serve",
        recorded_by=cast.practitioner,
    )
    bargain = bargains.bargain_start(placement=placement, by=cast.practitioner, language="en")
    keys = list(bargain.terms.values_list("factor_key", flat=True))
    bargains.bargain_terms_save(
        bargain=bargain, by=cast.practitioner, texts={k: _marked("Term") for k in keys}
    )
    bargains.bargain_agreement_record(
        bargain=bargain,
        by=cast.practitioner,
        worker_agreed_on=today,
        employer_agreed_on=today,
        employer_agreed_by=_marked("Boss"),
    )
    bargain.refresh_from_db()
    bargains.bargain_revisit_record(
        bargain=bargain,
        by=cast.practitioner,
        revisited_on=today,
        note=_marked("Revisit"),
        outcomes={k: ("kept", _marked("Kept")) for k in keys},
    )
    answered = FollowUp.objects.create(
        placement=placement, party="worker", month=1, due_on=today - datetime.timedelta(days=60)
    )
    follow_up_answer(
        follow_up=answered,
        answer=FollowUpAnswer(still_there="yes", comment=_marked("Comment")),
        source="phone",
        recorded_by=cast.practitioner,
    )
    due = FollowUp.objects.create(
        placement=placement, party="worker", month=3, due_on=today - datetime.timedelta(days=1)
    )
    return {
        "role": role,
        "pair": pair,
        "placement": placement,
        "answered": answered,
        "due": due,
        "token": follow_up_token(follow_up=due, user=seeker.user),
    }


def test_markup_in_the_later_apps_is_escaped_on_every_page(cast, written_later):
    from matches.services import aliases_for

    w = written_later
    role, placement = w["role"].pk, w["placement"].pk
    alias = aliases_for(organisation=cast.organisation, seeker_ids=[cast.seeker.pk])[cast.seeker.pk]
    seeker, employer, practitioner = cast.seeker.user, cast.employer, cast.practitioner
    r = reverse
    pages = [
        (practitioner, r("matches:home"), True),
        (practitioner, r("matches:role_seekers", args=[role]), True),
        (practitioner, r("matches:seeker_roles", args=[cast.seeker.pk]), True),
        (practitioner, r("matches:pair_detail", args=[w["pair"].pk]), True),
        (seeker, r("seeker_matches:roles"), True),
        (seeker, r("seeker_matches:share", args=[role]), True),
        (employer, r("employer_matches:home"), True),
        (employer, r("employer_matches:role_candidates", args=[role]), True),
        (employer, r("employer_matches:candidate_detail", args=[role, alias]), True),
        (practitioner, r("practitioners:placement_detail", args=[placement]), True),
        (practitioner, r("practitioners:bargain_edit", args=[placement]), True),
        (practitioner, r("practitioners:bargain_agreement", args=[placement]), True),
        (practitioner, r("practitioners:bargain_revisit", args=[placement]), True),
        (practitioner, r("outcomes:follow_up_list"), True),
        (practitioner, r("outcomes:follow_up_record", args=[w["answered"].pk]), True),
        (practitioner, r("outcomes:follow_up_record", args=[w["due"].pk]), True),
        (None, r("outcomes:answer", args=[w["token"]]), False),
        (seeker, r("seekers:my_data"), False),
    ]
    problems = _markup_problems(cast, pages)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind", ["bargain", "match_summary"])
def test_bargain_and_match_summary_pdfs_print_markup_as_text(cast, written_later, kind):
    """Terms, notes, names and the role title come out of the PDF as the characters typed."""
    w = written_later
    params = (
        {"placement": w["placement"].pk}
        if kind == "bargain"
        else {"seeker": cast.seeker.pk, "role": w["role"].pk}
    )
    report = Report(
        owner=cast.practitioner, kind=kind, params=params, language="en", title="Printed"
    )
    text = pdf_text(report_pdf(report=report)).replace("\n", "")
    assert "<script>alert(1)</script>" in text
    assert "<b>x</b>" in text
    if kind == "bargain":
        assert "Term <script>" in text  # the terms themselves, not only the names

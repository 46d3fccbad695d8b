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


def test_markup_people_wrote_is_escaped_on_every_page_that_shows_it(cast, written):
    problems = []
    for viewer, url, shows in _pages(cast, written):
        response = cast.client_for(viewer).get(url)
        html = response.content.decode()
        if response.status_code != 200:
            problems.append(f"{url}: status {response.status_code}")
            continue
        if "<script>alert(1)" in html or "<b>x</b>" in html:
            problems.append(f"{url}: markup rendered as elements")
        if shows and ESCAPED not in html:
            problems.append(f"{url}: the text people wrote is not shown (escaped)")
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

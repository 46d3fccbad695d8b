"""The match summary report: a seeker and a role for a three-way meeting, for the
seeker's practitioner. The PDF's text holds the names, every factor's result and the
reader's language; the seeker's answers only with their consent; nobody else can ask
for it or download it; a practitioner who lost the seeker loses the report."""

from __future__ import annotations

import uuid

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from employers.models import RoleStatus
from reports.documents import report_pdf
from reports.models import Problem, Report, ReportStatus
from seekers.services import welcome_accept
from tests.employers.conftest import make_role
from tests.reports.conftest import pdf_text
from tests.reports.test_pdf import ENGLISH_FACTORS, FRENCH_FACTORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(answered):
    """The answered seeker (sharing with their practitioner) and a published role."""
    welcome_accept(seeker=answered.seeker, share_with_practitioner=True)
    role = make_role(answered.organisation, title="Line cook", status=RoleStatus.PUBLISHED)
    return answered, role


def _ask(client, captured, **data):
    with captured(execute=True):
        return client.post(reverse("reports:request"), {"kind": "match_summary", **data})


def _match(cast, role, language="en") -> Report:
    return Report(
        owner=cast.practitioner,
        kind="match_summary",
        params={"seeker": cast.seeker.pk, "role": role.pk},
        language=language,
        title="Résumé" if language == "fr" else "Match summary",
    )


def test_pdf_holds_both_names_every_factor_answers_and_points(pair):
    cast, role = pair
    text = pdf_text(report_pdf(report=_match(cast, role)))
    assert "Match summary" in text
    assert "Zoë" in text and "Line cook" in text and cast.organisation.name in text
    for name in ENGLISH_FACTORS:
        assert name in text
    assert "Overall fit:" in text
    assert "Job seeker: Must have" in text  # the seeker's answers, in words
    assert "Employer: Offered" in text
    assert "Points to discuss" in text
    assert "Valeurs" not in text


def test_pdf_in_french_is_french(pair):
    cast, role = pair
    text = pdf_text(report_pdf(report=_match(cast, role, language="fr")))
    for name in FRENCH_FACTORS:
        assert name in text
    assert "Résumé de l\u2019appariement" in text or "Résumé de l'appariement" in text
    assert "Points to discuss" not in text and "Match summary" not in text


def test_without_the_seekers_consent_their_answers_stay_out(pair):
    cast, role = pair
    welcome_accept(seeker=cast.seeker, share_with_practitioner=False)
    text = pdf_text(report_pdf(report=_match(cast, role)))
    assert "has not chosen to share their answers" in text
    assert "Job seeker:" not in text and "Must have" not in text
    for name in ENGLISH_FACTORS:  # each factor's result is still there
        assert name in text


def test_practitioner_asks_and_downloads_for_their_caseload(
    pair, django_capture_on_commit_callbacks
):
    cast, role = pair
    client = cast.client_for(cast.practitioner)
    response = _ask(
        client, django_capture_on_commit_callbacks, seeker_id=cast.seeker.pk, role_id=role.pk
    )
    assert response.status_code == 302
    report = Report.objects.get(owner=cast.practitioner)
    assert report.params == {"seeker": cast.seeker.pk, "role": role.pk}
    assert report.status == ReportStatus.DONE
    assert report.title.startswith("Match summary — ") and "Line cook" in report.title
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert "Line cook" in pdf_text(b"".join(download.streaming_content))
    # Everyone else, guessing the id or not: 404.
    for other in (cast.practitioner2, cast.seeker.user, cast.employer, cast.admin):
        viewer = cast.client_for(other)
        assert viewer.get(reverse("reports:download", args=[report.pk])).status_code == 404
        assert viewer.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    guessed = reverse("reports:download", args=[uuid.uuid4()])
    assert client.get(guessed).status_code == 404


def test_a_stranger_cannot_ask_about_someone_outside_their_caseload(
    pair, django_capture_on_commit_callbacks
):
    cast, role = pair
    stranger = cast.client_for(cast.practitioner2)
    response = _ask(
        stranger, django_capture_on_commit_callbacks, seeker_id=cast.seeker.pk, role_id=role.pk
    )
    assert response.status_code == 404
    draft = make_role(cast.organisation2, title="Unpublished")  # a draft of another business
    response = _ask(
        cast.client_for(cast.practitioner),
        django_capture_on_commit_callbacks,
        seeker_id=cast.seeker.pk,
        role_id=draft.pk,
    )
    assert response.status_code == 404
    assert not Report.objects.exists()


@pytest.mark.parametrize("who", ["seeker", "employer"])
def test_other_roles_may_not_ask_for_it(pair, django_capture_on_commit_callbacks, who):
    cast, role = pair
    user = cast.seeker.user if who == "seeker" else cast.employer
    response = _ask(
        cast.client_for(user),
        django_capture_on_commit_callbacks,
        seeker_id=cast.seeker.pk,
        role_id=role.pk,
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"seeker_id": "abc", "role_id": "1"},
        {"seeker_id": "-1", "role_id": "1"},
        {"seeker_id": "9" * 40, "role_id": "1"},
        {"seeker_id": "1; DROP TABLE reports_report", "role_id": "1"},
    ],
)
def test_hostile_ids_are_refused_without_saving(pair, django_capture_on_commit_callbacks, data):
    cast, _role = pair
    response = _ask(cast.client_for(cast.practitioner), django_capture_on_commit_callbacks, **data)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_missing_role_is_not_found(pair, django_capture_on_commit_callbacks):
    cast, _role = pair
    response = _ask(
        cast.client_for(cast.practitioner),
        django_capture_on_commit_callbacks,
        seeker_id=cast.seeker.pk,
    )
    assert response.status_code == 404


def test_refused_when_the_practitioner_lost_the_seeker(pair, django_capture_on_commit_callbacks):
    cast, role = pair
    client = cast.client_for(cast.practitioner)
    # Lost before the worker picks the job up: refused, with a message they understand.
    with django_capture_on_commit_callbacks(execute=False) as pending:
        client.post(
            reverse("reports:request"),
            {"kind": "match_summary", "seeker_id": cast.seeker.pk, "role_id": role.pk},
        )
    cast.seeker.practitioner = cast.practitioner2
    cast.seeker.office = cast.practitioner2.office
    cast.seeker.save()
    for callback in pending:
        callback()
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED and report.problem == Problem.NOT_ALLOWED
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_button_include_posts_the_seeker_and_the_role(pair):
    cast, role = pair
    request = RequestFactory().get("/")
    request.user = cast.practitioner
    html = render_to_string(
        "reports/includes/match_summary_button.html",
        {"seeker": cast.seeker, "role": role},
        request=request,
    )
    assert 'name="kind" value="match_summary"' in html
    assert f'name="seeker_id" value="{cast.seeker.pk}"' in html
    assert f'name="role_id" value="{role.pk}"' in html
    assert "Line cook" in html and "<script" not in html


def test_try_again_asks_for_the_same_seeker_and_role(pair, django_capture_on_commit_callbacks):
    cast, role = pair
    report = Report.objects.create(
        owner=cast.practitioner,
        kind="match_summary",
        params={"seeker": cast.seeker.pk, "role": role.pk},
        params_key="x",
        language="en",
        title="Match summary",
        status=ReportStatus.FAILED,
        problem=Problem.GAVE_UP,
    )
    page = cast.client_for(cast.practitioner).get(reverse("reports:detail", args=[report.pk]))
    html = page.content.decode()
    assert f'name="seeker_id" value="{cast.seeker.pk}"' in html
    assert f'name="role_id" value="{role.pk}"' in html

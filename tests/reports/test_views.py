"""Report pages: ask, wait, download, list. Owner 200, stranger 404, wrong role 403,
wrong method 405, bad id 404, hostile input 400/404 with nothing saved."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from reports.models import Problem, Report, ReportStatus

pytestmark = pytest.mark.django_db


def _ask(client, captured, **data):
    """POST a request and run what waits for the commit (the in-process render)."""
    with captured(execute=True):
        return client.post(reverse("reports:request"), data)


def _speak_french(user):
    """People choose their language on their account (it wins over the cookie)."""
    user.language = "fr"
    user.save(update_fields=["language"])


def _profile(cast, captured):
    client = cast.client_for(cast.seeker.user)
    response = _ask(client, captured, kind="seeker_profile")
    report = Report.objects.get(owner=cast.seeker.user)
    return client, response, report


def test_seeker_asks_waits_and_downloads_own_profile(cast, django_capture_on_commit_callbacks):
    client, response, report = _profile(cast, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.attempts == 1
    assert report.title == f"Magnetic Profile — {cast.seeker.user.full_name}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("reports:download", args=[report.pk]).encode() in page.content
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="magnetic-profile-')
    assert "no-store" in download["Cache-Control"] and "private" in download["Cache-Control"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_report_file_has_no_public_url(cast, django_capture_on_commit_callbacks, settings):
    _client, _response, report = _profile(cast, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert not report.file.name.startswith("/")
    anonymous = cast.client_for(None)
    for path in (
        f"/media/{report.file.name}",
        f"/{report.file.name}",
        f"/static/{report.file.name}",
    ):
        assert anonymous.get(path).status_code == 404


@pytest.mark.parametrize("view", ["reports:detail", "reports:download"])
def test_nobody_else_can_see_or_download_a_report(cast, django_capture_on_commit_callbacks, view):
    _client, _response, report = _profile(cast, django_capture_on_commit_callbacks)
    url = reverse(view, args=[report.pk])
    for other in (
        cast.seeker2.user,
        cast.employer,
        cast.practitioner,
        cast.practitioner2,
        cast.admin,
    ):
        assert cast.client_for(other).get(url).status_code == 404, other
    anonymous = cast.client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("view", ["reports:detail", "reports:download"])
def test_guessed_and_malformed_ids_are_404(cast, view):
    client = cast.client_for(cast.seeker.user)
    assert client.get(reverse(view, args=[uuid.uuid4()])).status_code == 404
    assert client.get(f"/reports/{'1' * 5}/").status_code == 404
    assert client.get("/reports/../../etc/passwd/download/").status_code == 404


def test_wrong_methods_are_405(cast, django_capture_on_commit_callbacks):
    client, _response, report = _profile(cast, django_capture_on_commit_callbacks)
    assert client.get(reverse("reports:request")).status_code == 405
    assert client.post(reverse("reports:list")).status_code == 405
    assert client.post(reverse("reports:detail", args=[report.pk])).status_code == 405
    assert client.post(reverse("reports:download", args=[report.pk])).status_code == 405


def test_each_kind_serves_only_its_roles(cast, django_capture_on_commit_callbacks):
    employer = cast.client_for(cast.employer)
    assert (
        _ask(employer, django_capture_on_commit_callbacks, kind="seeker_profile").status_code == 403
    )
    seeker = cast.client_for(cast.seeker.user)
    assert (
        _ask(seeker, django_capture_on_commit_callbacks, kind="employer_offer").status_code == 403
    )
    assert not Report.objects.exists()


def test_employer_gets_their_own_business_whatever_id_they_send(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.employer)
    response = _ask(
        client,
        django_capture_on_commit_callbacks,
        kind="employer_offer",
        subject=cast.organisation2.pk,
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.params == {"organisation": cast.organisation.pk}
    assert "Harbour Café" in report.title and report.status == ReportStatus.DONE


def test_practitioner_makes_a_profile_for_their_caseload_only(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.practitioner)
    own = _ask(
        client, django_capture_on_commit_callbacks, kind="seeker_profile", subject=cast.seeker.pk
    )
    assert own.status_code == 302
    report = Report.objects.get(owner=cast.practitioner)
    assert report.params == {"seeker": cast.seeker.pk} and report.status == ReportStatus.DONE
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200
    other = _ask(
        client, django_capture_on_commit_callbacks, kind="seeker_profile", subject=cast.seeker2.pk
    )
    assert other.status_code == 404
    other_org = _ask(
        client,
        django_capture_on_commit_callbacks,
        kind="employer_offer",
        subject=cast.organisation2.pk,
    )
    assert other_org.status_code == 404
    assert Report.objects.count() == 1


def test_practitioner_loses_a_report_when_the_seeker_leaves_their_caseload(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.practitioner)
    _ask(client, django_capture_on_commit_callbacks, kind="seeker_profile", subject=cast.seeker.pk)
    report = Report.objects.get()
    cast.seeker.practitioner = cast.practitioner2
    cast.seeker.office = cast.practitioner2.office
    cast.seeker.save()
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:list")).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"kind": "no_such_kind"},
        {"kind": "seeker_profile" * 100},
        {"kind": "seeker_profile", "subject": "abc"},
        {"kind": "seeker_profile", "subject": "-3"},
        {"kind": "seeker_profile", "subject": "9" * 40},
        {"kind": "seeker_profile", "subject": "1; DROP TABLE reports_report"},
    ],
)
def test_hostile_requests_are_refused_clearly_and_save_nothing(
    cast, django_capture_on_commit_callbacks, data
):
    client = cast.client_for(cast.practitioner)
    response = _ask(client, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 400
    assert b"We could not make that report" in response.content
    assert not Report.objects.exists()


def test_unknown_subject_is_404_and_saves_nothing(cast, django_capture_on_commit_callbacks):
    client = cast.client_for(cast.practitioner)
    response = _ask(
        client, django_capture_on_commit_callbacks, kind="seeker_profile", subject=10**12
    )
    assert response.status_code == 404 and not Report.objects.exists()


def test_double_submit_joins_the_request_already_waiting(cast, django_capture_on_commit_callbacks):
    client = cast.client_for(cast.seeker.user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.post(reverse("reports:request"), {"kind": "seeker_profile"})
        second = client.post(reverse("reports:request"), {"kind": "seeker_profile"}, follow=True)
    assert len(callbacks) == 1  # queued once
    report = Report.objects.get()
    assert first["Location"] == second.redirect_chain[0][0]
    assert report.status == ReportStatus.PENDING
    assert b"You already asked for this report" in second.content


def test_same_report_in_the_other_language_is_a_separate_request(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.seeker.user)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:request"), {"kind": "seeker_profile"})
        _speak_french(cast.seeker.user)
        client.post(reverse("reports:request"), {"kind": "seeker_profile"})
    assert sorted(Report.objects.values_list("language", flat=True)) == ["en", "fr"]
    french = Report.objects.get(language="fr")
    assert french.title.startswith("Profil magnétique — ")


def test_waiting_page_refreshes_without_js_and_polls_with_htmx(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client_for(cast.seeker.user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:request"), {"kind": "seeker_profile"})
    page = client.get(response["Location"]).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'hx-trigger="every 1s"' in page and 'role="status"' in page
    assert "We are making your report" in page
    # htmx asks again: nothing new is 204 (no swap, no repeated announcement).
    poll = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert poll.status_code == 204


def test_htmx_poll_gets_the_link_and_stops_when_done(cast, django_capture_on_commit_callbacks):
    client, _response, report = _profile(cast, django_capture_on_commit_callbacks)
    poll = client.get(reverse("reports:detail", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert poll.status_code == 286  # htmx swaps this in and stops polling
    assert b"Your report is ready." in poll.content and b"<html" not in poll.content
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "http-equiv" not in page and "hx-trigger" not in page


def test_waiting_page_stops_refreshing_after_two_minutes(cast, django_capture_on_commit_callbacks):
    import datetime

    client = cast.client_for(cast.seeker.user)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:request"), {"kind": "seeker_profile"})
    Report.objects.update(
        created_at=Report.objects.get().created_at - datetime.timedelta(minutes=3)
    )
    page = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in page and "Check again" in page


def test_broker_down_at_request_time_still_answers(cast, django_capture_on_commit_callbacks):
    client = cast.client_for(cast.seeker.user)
    with mock.patch(
        "reports.tasks.render_report.apply_async",
        side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
    ):
        response = _ask(client, django_capture_on_commit_callbacks, kind="seeker_profile")
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.PENDING and report.dispatched_at is None
    assert "We are making your report" in client.get(response["Location"]).content.decode()


def test_failed_report_explains_and_offers_to_try_again(cast):
    report = Report.objects.create(
        owner=cast.practitioner,
        kind="seeker_profile",
        params={"seeker": cast.seeker.pk},
        params_key="x",
        language="en",
        title="Profile",
        status=ReportStatus.FAILED,
        problem=Problem.GAVE_UP,
    )
    client = cast.client_for(cast.practitioner)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "We tried several times" in page
    assert f'name="subject" value="{cast.seeker.pk}"' in page and "Try again" in page
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 302 and download["Location"].endswith(f"/{report.pk}/")
    _speak_french(cast.practitioner)
    assert (
        "Nous avons essayé plusieurs fois"
        in client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    )


def test_expired_report_cannot_be_downloaded(cast, django_capture_on_commit_callbacks):
    import datetime

    client, _response, report = _profile(cast, django_capture_on_commit_callbacks)
    Report.objects.filter(pk=report.pk).update(
        expires_at=report.created_at - datetime.timedelta(minutes=1)
    )
    download = client.get(reverse("reports:download", args=[report.pk]))
    assert download.status_code == 302
    assert "expired" in client.get(download["Location"]).content.decode()


def test_list_shows_own_reports_only(cast, django_capture_on_commit_callbacks):
    _profile(cast, django_capture_on_commit_callbacks)
    Report.objects.create(
        owner=cast.seeker2.user,
        kind="seeker_profile",
        params={"seeker": cast.seeker2.pk},
        params_key="y",
        language="en",
        title="Someone else's profile",
    )
    page = cast.client_for(cast.seeker.user).get(reverse("reports:list")).content.decode()
    assert "Magnetic Profile — " in page and "Someone else" not in page
    assert "Download the PDF" in page
    assert "Download my profile as PDF" in page  # the seeker can ask from here too


def test_list_query_count_does_not_grow(cast):
    client = cast.client_for(cast.practitioner)

    def make(n):
        Report.objects.bulk_create(
            Report(
                owner=cast.practitioner,
                kind="seeker_profile",
                params={"seeker": cast.seeker.pk},
                params_key=f"{uuid.uuid4()}",
                language="en",
                title=f"Profile {i}",
                status=ReportStatus.FAILED,
            )
            for i in range(n)
        )

    make(2)
    client.get(reverse("reports:list"))  # the session's first request does its own writes
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("reports:list")).status_code == 200
    make(40)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("reports:list")).status_code == 200
    assert len(small) == len(large)


def test_home_pages_offer_the_pdf(cast):
    from seekers.models import ConsentKind
    from seekers.services import consent_give

    # Before agreeing to the data use a seeker's home is the welcome page (seekers issue 3).
    consent_give(seeker=cast.seeker, kind=ConsentKind.DATA_USE)
    seeker_home = cast.client_for(cast.seeker.user).get(reverse("seekers:home")).content.decode()
    assert "Download my profile as PDF" in seeker_home
    assert 'name="kind" value="seeker_profile"' in seeker_home
    employer_home = cast.client_for(cast.employer).get(reverse("employers:home")).content.decode()
    assert "Download our offer as PDF" in employer_home
    _speak_french(cast.seeker.user)
    french = cast.client_for(cast.seeker.user)
    assert "Télécharger mon profil en PDF" in french.get(reverse("seekers:home")).content.decode()


def test_anonymous_is_sent_to_sign_in(cast):
    client = cast.client_for(None)
    for url in (reverse("reports:list"),):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    response = client.post(reverse("reports:request"), {"kind": "seeker_profile"})
    assert response.status_code == 302 and not Report.objects.exists()

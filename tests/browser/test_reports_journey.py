"""Asking for a PDF in the browser: the waiting page, the htmx poll (or the refresh
without JavaScript), the download, the list — with no axe violations."""

from __future__ import annotations

from unittest import mock

import pytest

from reports.models import Report
from reports.pipeline import report_run
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _ask_and_wait(visitor, user):
    """Ask for the profile with no worker running: the page says it is being made."""
    from seekers.models import ConsentKind
    from seekers.services import consent_give

    consent_give(seeker=user.seeker, kind=ConsentKind.DATA_USE)  # else /me/ is the welcome
    visitor.sign_in(user.email, PASSWORD)
    visitor.goto("/me/")
    with mock.patch("reports.services.report_dispatch"):
        visitor.page.get_by_role("button", name="Download my profile as PDF").click()
        visitor.page.wait_for_load_state()
    assert "We are making your report" in visitor.page.locator("#report-status").inner_text()
    visitor.check_accessibility()
    return Report.objects.get(owner=user)


def _finish_and_download(visitor, report):
    report_run(report_id=str(report.pk), eager=True)  # the worker's part
    status = visitor.page.locator("#report-status")
    status.get_by_text("Your report is ready.").wait_for(timeout=10_000)
    visitor.check_accessibility()
    with visitor.page.expect_download() as download:
        status.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.startswith("magnetic-profile-")
    assert download.value.suggested_filename.endswith(".pdf")


def test_ask_wait_and_download_with_htmx(cast, visitor):
    report = _ask_and_wait(visitor, cast.seeker.user)
    url = visitor.page.url
    _finish_and_download(visitor, report)
    assert visitor.page.url == url  # htmx swapped the status in; no reload
    visitor.goto("/reports/")
    assert "Magnetic Profile" in visitor.page.locator("main").inner_text()


@pytest.mark.parametrize("visitor", [False], indirect=True, ids=["no-javascript"])
def test_ask_wait_and_download_without_javascript(cast, visitor):
    report = _ask_and_wait(visitor, cast.seeker.user)
    _finish_and_download(visitor, report)  # the page refreshed itself


def test_reports_list_on_a_phone(cast, phone_visitor):
    phone_visitor.sign_in(cast.employer.email, PASSWORD)
    phone_visitor.goto("/reports/")
    assert "Download our offer as PDF" in phone_visitor.page.locator("main").inner_text()
    width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320

"""The program dashboard page, its CSV files and the program report: admins only,
small cells suppressed everywhere, filters applied, a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Report, ReportStatus
from tests.dashboard.conftest import TODAY, place
from tests.factories import SeekerFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard:dashboard")
JAN = datetime.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 26, 15, 0, tzinfo=datetime.UTC)):
        yield


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _six_and_two(cast, role):
    """Six high-fit placements still there at 6 months, two low-fit that left early."""
    for _ in range(6):
        place(
            cast,
            role,
            started_on=JAN,
            score=90,
            statuses={"values": "aligned"},
            answers=[("worker", 6, "yes", None)],
        )
    for _ in range(2):
        place(
            cast,
            role,
            started_on=JAN,
            score=30,
            statuses={"values": "gap"},
            answers=[("employer", 3, "left", datetime.date(2026, 2, 20), ["values"])],
        )


# --- who may see it ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [DASHBOARD, reverse("dashboard:csv", args=["funnel"])],
)
@pytest.mark.parametrize("who", ["practitioner", "employer", "seeker"])
def test_nobody_but_admins_sees_the_dashboard(cast, url, who):
    user = cast.seeker.user if who == "seeker" else getattr(cast, who)
    assert cast.client_for(user).get(url).status_code == 403


@pytest.mark.parametrize("who", ["practitioner", "employer", "seeker"])
def test_nobody_but_admins_asks_for_the_program_report(cast, who):
    user = cast.seeker.user if who == "seeker" else getattr(cast, who)
    assert cast.client_for(user).post(reverse("dashboard:report")).status_code == 403
    assert not Report.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(cast):
    response = cast.client_for(None).get(DASHBOARD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_wrong_methods_and_unknown_tables(cast):
    admin = cast.client_for(cast.admin)
    assert admin.post(DASHBOARD).status_code == 405
    assert admin.get(reverse("dashboard:report")).status_code == 405
    assert admin.get(reverse("dashboard:csv", args=["nope"])).status_code == 404


def test_admin_sees_nav_link_and_every_section(cast):
    html = cast.client_for(cast.admin).get(DASHBOARD).content.decode()
    assert 'href="/outcomes/"' in html
    for title in (
        "From sign-up to still in the job",
        "Still there, by overall fit at hire",
        "Still there, by each factor&#x27;s fit at hire",
        "Still there, by how the job seeker was served",
        "What pushed apart, when a job ended",
        "Mindset change: job seekers",
        "Mindset change: employers",
    ):
        assert title in html
    assert html.count("<svg") >= 7


# --- suppression ------------------------------------------------------------------------


def test_small_cells_are_suppressed_on_the_page_and_in_the_csv(cast, role):
    _six_and_two(cast, role)
    client = cast.client_for(cast.admin)
    board = client.get(DASHBOARD).context["dashboard"]
    band = {row[0].text: row for row in board.table("retention-by-fit-score").rows}
    high, low = band["Fit at hire 75 to 100"], band["Fit at hire below 50"]
    assert high[1].text == "6"  # placements
    assert high[2 + 4 + 1].text == "6"  # still there at 6 months
    assert high[2 + 4 + 3].text == "100 %"
    assert low[1].text == "fewer than 5" and low[1].value is None
    assert low[2 + 4 + 3].text == "fewer than 5"  # a rate over 2 people
    everyone = band["All placements"]
    # 6 of 8 kept: the complement (2) would reveal a small group, so no rate
    assert everyone[2 + 4 + 3].text == "fewer than 5"
    rows = _csv(client.get(reverse("dashboard:csv", args=["retention-by-fit-score"])))
    assert rows[0][:2] == ["Fit at hire", "Placements"]
    low_csv = next(r for r in rows if r[0] == "Fit at hire below 50")
    assert low_csv[1] == "fewer than 5" and "2" not in low_csv
    leaving = _csv(client.get(reverse("dashboard:csv", args=["leaving-reasons"])))
    assert next(r for r in leaving if r[0] == "Values")[1] == "fewer than 5"


def test_chart_has_no_bar_for_a_suppressed_group(cast, role):
    _six_and_two(cast, role)
    html = cast.client_for(cast.admin).get(DASHBOARD).content.decode()
    chart = html[html.index('id="chart-band-title"') :]
    chart = chart[: chart.index("</svg>")]
    assert chart.count('fill="#0b5ed7"') == 1  # only the high-fit group is drawn
    assert "fewer than 5" in chart


# --- filters ---------------------------------------------------------------------------


def test_filters_narrow_every_table(cast, role):
    _six_and_two(cast, role)
    other = SeekerFactory(practitioner=cast.practitioner2, office=cast.practitioner2.office)
    place(cast, role, started_on=JAN, seeker=other)
    client = cast.client_for(cast.admin)

    def placements(**params):
        board = client.get(DASHBOARD, params).context["dashboard"]
        return board.table("retention-by-fit-score").rows[0][1].text

    assert placements() == "9"
    assert placements(office=cast.practitioner.office_id) == "8"
    assert placements(practitioner=cast.practitioner2.pk) == "fewer than 5"
    assert placements(start="2026-02-01") == "0"
    rows = _csv(
        client.get(
            reverse("dashboard:csv", args=["retention-by-fit-score"]), {"start": "2026-02-01"}
        )
    )
    assert rows[1][1] == "0"


@pytest.mark.parametrize(
    "params",
    [
        {"office": "999999"},
        {"office": "abc"},
        {"practitioner": str(2**70)},
        {"start": "2026-02-31"},
        {"start": "1066-10-14"},
        {"start": "2026-05-02", "end": "2026-05-01"},
    ],
)
def test_hostile_filters_show_an_error_and_filter_nothing(cast, role, params):
    response = cast.client_for(cast.admin).get(DASHBOARD, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert b"Some filters could not be used" in response.content


# --- cost ------------------------------------------------------------------------------


def test_query_count_is_the_same_for_few_and_many_placements(cast, role):
    client = cast.client_for(cast.admin)
    place(cast, role, started_on=JAN)
    client.get(DASHBOARD)  # warm up
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
    _six_and_two(cast, role)
    _six_and_two(cast, role)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(DASHBOARD)
    assert len(few) == len(many)
    assert len(many) <= 25


def test_figures_are_kept_briefly_and_renewed_when_data_moves(cast, role):
    client = cast.client_for(cast.admin)
    _six_and_two(cast, role)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as again:
        board = client.get(DASHBOARD).context["dashboard"]
    assert len(again) <= 8  # only the fingerprint and the session
    assert board.table("retention-by-fit-score").rows[0][1].text == "8"
    place(cast, role, started_on=JAN)  # a new placement: noticed once the copy is a minute old
    assert client.get(DASHBOARD).context["dashboard"] == board
    with time_machine.travel(datetime.datetime(2026, 11, 26, 15, 1, 5, tzinfo=datetime.UTC)):
        response = client.get(DASHBOARD)  # shows the kept copy; the refresh runs (eagerly)
        assert response.context["dashboard"] == board and response.context["refreshing"]
        board = client.get(DASHBOARD).context["dashboard"]
    assert board.table("retention-by-fit-score").rows[0][1].text == "9"


# --- the program report ----------------------------------------------------------------


def test_program_report_pdf_has_the_dashboard_with_filters(
    cast, role, django_capture_on_commit_callbacks
):
    from tests.reports.conftest import pdf_text

    _six_and_two(cast, role)
    client = cast.client_for(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dashboard:report"), {"office": cast.practitioner.office_id})
    report = Report.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.kind == "program" and report.params == {"office": cast.practitioner.office_id}
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.problem
    download = client.get(reverse("reports:download", args=[report.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    flat = " ".join(text.split())
    assert "Program report" in flat
    assert f"Office: {cast.practitioner.office.name}" in flat
    assert "Still there, by overall fit at hire" in flat
    assert "Fit at hire below 50 — Placements: fewer than 5" in flat
    assert "How to read these figures" in flat
    # each figure once: the table's line, not also the chart's own list above it
    assert flat.count("Fit at hire below 50 — Placements") == 1
    assert flat.count("Fit at hire below 50:") == 0


def test_program_report_refuses_bad_filters(cast):
    response = cast.client_for(cast.admin).post(reverse("dashboard:report"), {"office": "x"})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    assert not Report.objects.exists()


def test_today_is_fixed_for_these_tests():
    assert datetime.date.today() == TODAY

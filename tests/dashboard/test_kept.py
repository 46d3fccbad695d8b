"""The dashboard's kept figures (outcomes/dashboard/kept.py) and their background refresh
(``outcomes.dashboard_refresh``): a page view shows the kept copy with its time and asks
for new figures once; it never computes them while a copy exists; a refresh that fails or
whose worker dies leaves the kept copy and is not lost."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from outcomes.dashboard import kept
from outcomes.dashboard.filters import DashboardFilter
from outcomes.tasks import dashboard_refresh
from tests.dashboard.conftest import place

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard:dashboard")
JAN = datetime.date(2026, 1, 15)
NOW = datetime.datetime(2026, 11, 26, 15, 0, tzinfo=datetime.UTC)
DEFAULT = DashboardFilter()


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _later(**delta) -> time_machine.travel:
    return time_machine.travel(NOW + datetime.timedelta(**delta), tick=False)


def _placed(client) -> str:
    board = client.get(DASHBOARD).context["dashboard"]
    return board.table("retention-by-fit-score").rows[0][1].text


def _five(cast, role) -> None:
    for _ in range(5):
        place(cast, role, started_on=JAN)


def _no_computing():
    """Make any computation of the figures fail the test."""
    return mock.patch(
        "outcomes.dashboard.queries.retention", side_effect=AssertionError("computed")
    )


@pytest.fixture
def enqueued():
    with mock.patch.object(dashboard_refresh, "apply_async") as apply_async:
        yield apply_async


def test_due_figures_are_shown_with_their_time_and_one_refresh_is_asked(cast, role, enqueued):
    client = cast.client_for(cast.admin)
    _five(cast, role)
    assert _placed(client) == "5"  # no copy yet: this request computes and keeps it
    place(cast, role, started_on=JAN)
    with _later(minutes=6), _no_computing(), CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD)
        again = client.get(DASHBOARD)
    board = response.context["dashboard"]
    assert board.table("retention-by-fit-score").rows[0][1].text == "5"  # the kept copy
    assert response.context["refreshing"] and again.context["refreshing"]
    html = response.content.decode()
    assert "Figures as of Nov. 26, 2026 at 11:00." in html  # 15:00 UTC in Halifax
    assert "New figures are being computed" in html
    enqueued.assert_called_once()  # two views, one job
    assert enqueued.call_args.kwargs["kwargs"]["params"] == {}
    assert len(queries) <= 16  # two views: sessions, user, fingerprint, filter form

    with _later(minutes=6, seconds=5):
        dashboard_refresh.apply(kwargs=enqueued.call_args.kwargs["kwargs"])
        response = client.get(DASHBOARD)
    assert response.context["dashboard"].table("retention-by-fit-score").rows[0][1].text == "6"
    assert not response.context["refreshing"]
    assert "New figures are being computed" not in response.content.decode()


def test_new_data_is_noticed_after_a_minute_not_on_every_view(cast, role, enqueued):
    client = cast.client_for(cast.admin)
    _five(cast, role)
    client.get(DASHBOARD)
    place(cast, role, started_on=JAN)  # changes the fingerprint
    with _later(seconds=30):
        assert not client.get(DASHBOARD).context["refreshing"]
    enqueued.assert_not_called()
    with _later(seconds=61):
        assert client.get(DASHBOARD).context["refreshing"]
    enqueued.assert_called_once()


def test_yesterdays_figures_are_refreshed_after_midnight(cast, role, enqueued):
    client = cast.client_for(cast.admin)
    _five(cast, role)
    client.get(DASHBOARD)
    with _later(hours=13), _no_computing():  # 15:00 UTC + 13 h = 00:00 in Halifax
        today = timezone.localdate()
        shown = kept.dashboard_for_page(filters=DEFAULT, today=today)
    assert today == datetime.date(2026, 11, 27)
    assert shown.board.today == datetime.date(2026, 11, 26) and shown.refreshing
    enqueued.assert_called_once()


def test_the_beat_refresh_keeps_both_languages_so_no_view_computes(cast, role, enqueued):
    _five(cast, role)
    assert dashboard_refresh.apply().get() == "computed"
    client = cast.client_for(cast.admin)
    with _later(minutes=4), _no_computing():
        assert _placed(client) == "5"
        with translation.override("fr"):
            shown = kept.dashboard_for_page(filters=DEFAULT, today=timezone.localdate())
    assert shown.board.table("funnel").title.startswith("De l\u2019inscription")
    enqueued.assert_not_called()


def test_beat_recomputes_the_figures_without_filters_before_they_are_due():
    entry = settings.CELERY_BEAT_SCHEDULE["outcomes-dashboard"]
    assert entry["task"] == dashboard_refresh.name
    assert entry["schedule"] < kept.FRESH_SECONDS
    assert entry["options"]["expires"] < entry["schedule"]


def test_a_refresh_that_fails_leaves_the_kept_copy_and_can_be_asked_again(cast, role, enqueued):
    client = cast.client_for(cast.admin)
    _five(cast, role)
    client.get(DASHBOARD)
    place(cast, role, started_on=JAN)
    with _later(minutes=6):
        client.get(DASHBOARD)
        with (
            mock.patch(
                "outcomes.dashboard.queries.seeker_mindsets", side_effect=RuntimeError("db gone")
            ),
            pytest.raises(RuntimeError),
        ):
            dashboard_refresh.apply(kwargs=enqueued.call_args.kwargs["kwargs"])
        assert _placed(client) == "5"  # the old copy, whole
    assert cache.get(kept.computing_key(DEFAULT)) is None  # the claim is given back
    assert enqueued.call_count == 2  # and the next view asked again


def test_a_job_finding_a_colleague_or_a_dead_worker_computing_waits_then_computes(cast, role):
    _five(cast, role)
    # A worker killed mid-compute leaves its claim until it expires; the message comes
    # back (late acknowledgement) and must not be dropped.
    cache.set(kept.computing_key(DEFAULT), 1, kept.COMPUTING_SECONDS)
    dashboard_refresh.push_request(is_eager=False, retries=0)
    try:
        with mock.patch.object(dashboard_refresh, "retry", side_effect=RuntimeError("retry")):
            with pytest.raises(RuntimeError, match="retry"):
                dashboard_refresh.run(params={}, asked_at=None)
            (call,) = dashboard_refresh.retry.call_args_list
    finally:
        dashboard_refresh.pop_request()
    assert call.kwargs["countdown"] > 0
    asked_at = call.kwargs["kwargs"]["asked_at"]
    assert asked_at is not None
    cache.delete(kept.computing_key(DEFAULT))  # the dead worker's claim expired
    assert dashboard_refresh.apply(kwargs=call.kwargs["kwargs"]).get() == "computed"
    # A second retry of the same job finds those figures and does not compute again.
    with _no_computing():
        assert dashboard_refresh.apply(kwargs=call.kwargs["kwargs"]).get() == "already fresh"


def test_the_refresh_job_is_never_lost():
    assert dashboard_refresh.acks_late is True
    assert dashboard_refresh.reject_on_worker_lost is True
    assert dashboard_refresh.soft_time_limit < dashboard_refresh.time_limit
    # The claim outlives the hard limit, so a live worker never loses it mid-compute.
    assert dashboard_refresh.time_limit < kept.COMPUTING_SECONDS


def test_a_broker_that_is_down_never_fails_the_page(cast, role):
    client = cast.client_for(cast.admin)
    _five(cast, role)
    client.get(DASHBOARD)
    with (
        _later(minutes=6),
        mock.patch.object(dashboard_refresh, "apply_async", side_effect=OSError("down")),
    ):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["dashboard"].table("retention-by-fit-score").rows[0][1].text == "5"
    assert cache.get(kept._asked_key(DEFAULT)) is None  # the next view asks again


def test_filtered_figures_are_kept_apart_from_the_rest(cast, role, enqueued):
    client = cast.client_for(cast.admin)
    _five(cast, role)
    assert _placed(client) == "5"
    other_office = {"office": cast.practitioner2.office_id}
    board = client.get(DASHBOARD, other_office).context["dashboard"]
    assert board.table("retention-by-fit-score").rows[0][1].text == "0"
    with _later(minutes=6), _no_computing():
        client.get(DASHBOARD, other_office)
    assert enqueued.call_args.kwargs["kwargs"]["params"] == other_office

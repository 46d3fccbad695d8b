"""On the demo data the admin dashboard shows real numbers in every chart."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from outcomes.dashboard.build import program_dashboard
from outcomes.dashboard.filters import DashboardFilter

pytestmark = pytest.mark.django_db


def test_every_chart_has_a_bar_on_the_demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    board = program_dashboard(filters=DashboardFilter(), today=timezone.localdate())
    charts = {t.key: t.chart for t in board.tables if t.chart is not None}
    empty = [key for key, chart in charts.items() if 'fill="#0b5ed7"' not in chart]
    assert empty == []
    funnel = board.table("funnel").rows
    assert funnel[1][0].text == "Finished the six activities"
    assert funnel[1][1].value and funnel[1][1].value >= 5  # complete demo seekers are counted

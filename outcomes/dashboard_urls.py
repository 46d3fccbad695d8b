from __future__ import annotations

from django.urls import path

from outcomes import dashboard_views as views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.dashboard_csv, name="csv"),
    path("report/", views.program_report, name="report"),
]

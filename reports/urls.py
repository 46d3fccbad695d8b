from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("ask/", views.report_ask, name="request"),
    path("<uuid:report_id>/", views.report_detail, name="detail"),
    path("<uuid:report_id>/download/", views.report_download, name="download"),
]

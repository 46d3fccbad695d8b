from __future__ import annotations

from django.urls import path

from seekers import views

app_name = "seekers"

urlpatterns = [
    path("", views.home, name="home"),
    path("welcome/", views.welcome, name="welcome"),
    path("mindset/", views.mindset, name="mindset"),
    path("activities/<str:factor_key>/", views.activity, name="activity"),
    path(
        "activities/<str:factor_key>/items/<int:item_id>/",
        views.activity_item,
        name="activity_item",
    ),
    path(
        "activities/<str:factor_key>/reflection/",
        views.activity_reflection,
        name="activity_reflection",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/retake/", views.profile_retake, name="profile_retake"),
    path("profile/history/", views.history, name="history"),
    path("profile/history/<int:pk>/", views.history_detail, name="history_detail"),
    path("consent/sharing/", views.sharing, name="sharing"),
    path("consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(
        "consent/employers/<int:pk>/withdraw/",
        views.employer_consent_withdraw,
        name="employer_consent_withdraw",
    ),
    path("data/", views.my_data, name="my_data"),
    path("data/export.json", views.export_json, name="export_json"),
    path("data/export.csv", views.export_csv_view, name="export_csv"),
    path("data/erase/", views.erasure_request, name="erasure_request"),
    path("data/erase/cancel/", views.erasure_cancel, name="erasure_cancel"),
]

"""URLs. Languages are chosen per person (cookie and account), not by URL prefix,
so /accounts/login/ and every other address stay the same in English and French."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from accounts import invitation_views
from accounts import views as account_views
from thriving.health import healthz, ping

urlpatterns = [
    path("", account_views.home, name="home"),
    path("language/", account_views.language_switch, name="language_switch"),
    path("healthz", healthz, name="healthz"),
    path("ping", ping, name="ping"),
    path("invitation/<str:token>/", invitation_views.accept, name="invitation_accept"),
    path("accounts/", include("allauth.urls")),
    path("framework/", include("factors.urls")),
    path("me/roles/", include("matches.seeker_urls")),
    path("me/", include("seekers.urls")),
    path("business/candidates/", include("matches.employer_urls")),
    path("business/", include("employers.urls")),
    path("", include("outcomes.urls")),
    path("caseload/", include("practitioners.urls")),
    path("matches/", include("matches.urls")),
    path("staff/", include("accounts.staff.urls")),
    path("erasure-requests/", include("seekers.staff_urls")),
    path("reports/", include("reports.urls")),
    path("outcomes/", include("outcomes.dashboard_urls")),
    path("django-admin/", admin.site.urls),
]

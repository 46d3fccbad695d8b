"""Employers' anonymous candidates, under /business/candidates/."""

from __future__ import annotations

from django.urls import path

from matches.views import employer

app_name = "employer_matches"

urlpatterns = [
    path("", employer.home, name="home"),
    path("roles/<int:role_id>/", employer.role_candidates, name="role_candidates"),
    path("roles/<int:role_id>/<slug:alias>/", employer.candidate_detail, name="candidate_detail"),
    path(
        "roles/<int:role_id>/<slug:alias>/invite/",
        employer.candidate_invite,
        name="candidate_invite",
    ),
]

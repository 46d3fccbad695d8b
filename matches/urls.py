"""Practitioners' matching pages, under /matches/."""

from __future__ import annotations

from django.urls import path

from matches.views import practitioner

app_name = "matches"

urlpatterns = [
    path("", practitioner.home, name="home"),
    path("roles/<int:role_id>/", practitioner.role_seekers, name="role_seekers"),
    path(
        "roles/<int:role_id>/seekers/<int:seeker_id>/shortlist/",
        practitioner.shortlist,
        name="shortlist",
    ),
    path("seekers/<int:seeker_id>/", practitioner.seeker_roles, name="seeker_roles"),
    path("pairs/<int:pair_id>/", practitioner.pair_detail, name="pair_detail"),
    path("pairs/<int:pair_id>/introduce/", practitioner.pair_introduce, name="pair_introduce"),
]

"""The job seeker's "roles that attract me", under /me/roles/."""

from __future__ import annotations

from django.urls import path

from matches.views import seeker

app_name = "seeker_matches"

urlpatterns = [
    path("", seeker.roles, name="roles"),
    path("<int:role_id>/interested/", seeker.interested, name="interested"),
    path("<int:role_id>/share/", seeker.share, name="share"),
    path("<int:role_id>/decline/", seeker.decline, name="decline"),
]

from __future__ import annotations

from django.urls import path

from seekers import staff_views

app_name = "seeker_staff"

urlpatterns = [
    path("", staff_views.erasure_list, name="erasure_list"),
    path("<int:pk>/confirm/", staff_views.erasure_confirm, name="erasure_confirm"),
]

from __future__ import annotations

from django.urls import path

from seekers import views

app_name = "seekers"

urlpatterns = [
    path("", views.home, name="home"),
]

from __future__ import annotations

from django.urls import path

from employers import views

app_name = "employers"

urlpatterns = [
    path("", views.home, name="home"),
]

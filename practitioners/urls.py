from __future__ import annotations

from django.urls import path

from practitioners import views

app_name = "practitioners"

urlpatterns = [
    path("", views.queue, name="queue"),
]

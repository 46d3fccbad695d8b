from __future__ import annotations

from django.urls import path

from factors import views

app_name = "factors"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("draft/", views.draft_create, name="draft_create"),
    path("versions/<int:number>/publish/", views.version_publish, name="version_publish"),
    path("factors/<str:key>/", views.factor_detail, name="factor_detail"),
]

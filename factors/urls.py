from __future__ import annotations

from django.urls import path

from factors import views
from factors.editor import views as editor

app_name = "factors"

urlpatterns = [
    path("", editor.overview, name="overview"),
    path("draft/", editor.draft_create, name="draft_create"),
    path("compare/", editor.compare, name="compare"),
    path("history/", editor.history, name="history"),
    path("versions/<int:number>/", editor.version_detail, name="version_detail"),
    path("versions/<int:number>/publish/", editor.version_publish, name="version_publish"),
    path("versions/<int:number>/factors/<str:key>/edit/", editor.factor_edit, name="factor_edit"),
    path(
        "versions/<int:number>/factors/<str:key>/preview/",
        editor.factor_preview,
        name="factor_preview",
    ),
    path("factors/<str:key>/", views.factor_detail, name="factor_detail"),
]

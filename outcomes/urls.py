from __future__ import annotations

from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("caseload/follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("caseload/follow-ups/<int:pk>/", views.follow_up_record, name="follow_up_record"),
    path("me/consent/renew/", views.consent_renew, name="consent_renew"),
    path("follow-up/thanks/", views.follow_up_thanks, name="answered"),
    path("follow-up/<str:token>/", views.follow_up_answer_public, name="answer"),
]

from __future__ import annotations

from django.urls import path

from accounts import audit_views
from accounts.staff import views

app_name = "staff"

urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("invite/", views.staff_invite, name="staff_invite"),
    path("offices/", views.office_list, name="office_list"),
    path("offices/<int:pk>/rename/", views.office_rename, name="office_rename"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("<int:pk>/deactivate/", views.staff_deactivate, name="staff_deactivate"),
    path("<int:pk>/reactivate/", views.staff_reactivate, name="staff_reactivate"),
    path("audit/", audit_views.audit_log, name="audit_log"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
]

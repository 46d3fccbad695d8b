from __future__ import annotations

from django.urls import path

from employers.views import colleagues, home, offer, postings, roles

app_name = "employers"

urlpatterns = [
    path("", home.home, name="home"),
    path("mindset/", home.mindset, name="mindset"),
    path("activities/<str:factor_key>/", offer.activity, name="activity"),
    path(
        "activities/<str:factor_key>/items/<int:item_id>/",
        offer.activity_item_save,
        name="activity_item_save",
    ),
    path("offer/", offer.offer_profile, name="offer_profile"),
    path("offer/builder/", offer.builder, name="builder"),
    path("offer/builder/adopt/", offer.builder_adopt, name="builder_adopt"),
    path("roles/", roles.role_list, name="role_list"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/<int:role_id>/", roles.role_detail, name="role_detail"),
    path("roles/<int:role_id>/edit/", roles.role_edit, name="role_edit"),
    path("roles/<int:role_id>/offer/", roles.role_offer, name="role_offer"),
    path("roles/<int:role_id>/publish/", roles.role_publish, name="role_publish"),
    path("roles/<int:role_id>/close/", roles.role_close, name="role_close"),
    path("roles/<int:role_id>/posting/", postings.posting_edit, name="posting_edit"),
    path("roles/<int:role_id>/posting/check/", postings.posting_check_view, name="posting_check"),
    path("roles/<int:role_id>/posting.txt", postings.posting_download, name="posting_download"),
    path("colleagues/", colleagues.colleagues, name="colleagues"),
    path(
        "colleagues/invitations/<int:invitation_id>/withdraw/",
        colleagues.invitation_withdraw,
        name="invitation_withdraw",
    ),
]

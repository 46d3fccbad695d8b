from __future__ import annotations

from django.urls import path, register_converter

from practitioners.views import (
    assisted,
    bargains,
    invitations,
    placements,
    queue,
    reassign,
    records,
    referrals,
    sessions,
)

app_name = "practitioners"


class ClientSegment:
    """ "seekers" or "employers" in a client's address; anything else does not match (404)."""

    regex = "seekers|employers"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ClientSegment, "client")

CLIENT = "<client:kind>/<int:pk>/"

urlpatterns = [
    path("", queue.queue, name="queue"),
    # A client's record
    path(CLIENT, records.client_record, name="client_record"),
    path(CLIENT + "notes/new/", records.note_add, name="note_add"),
    path(CLIENT + "notes/<int:note_id>/edit/", records.note_edit, name="note_edit"),
    path(CLIENT + "served/", records.delivery_update, name="delivery_update"),
    path(CLIENT + "goals/new/", records.goal_add, name="goal_add"),
    path(CLIENT + "goals/<int:goal_id>/steps/new/", records.step_add, name="step_add"),
    path(CLIENT + "steps/<int:step_id>/done/", records.step_toggle, name="step_toggle"),
    path(CLIENT + "refer/", referrals.referral_create, name="referral_create"),
    path(CLIENT + "placements/new/", placements.placement_create, name="placement_create"),
    path(
        CLIENT + "assisted/<str:factor_key>/",
        assisted.assisted_activity,
        name="assisted_activity",
    ),
    # Placements and their workplace bargain
    path("placements/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/bargain/", bargains.bargain_edit, name="bargain_edit"),
    path(
        "placements/<int:pk>/bargain/agreement/",
        bargains.bargain_agreement,
        name="bargain_agreement",
    ),
    path("placements/<int:pk>/bargain/revisit/", bargains.bargain_revisit, name="bargain_revisit"),
    # Referrals
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/accept/", referrals.referral_accept, name="referral_accept"),
    path("referrals/<int:pk>/decline/", referrals.referral_decline, name="referral_decline"),
    path("referrals/<int:pk>/withdraw/", referrals.referral_withdraw, name="referral_withdraw"),
    # Invitations
    path("invite/", invitations.invite, name="invite"),
    path(
        "invitations/<int:pk>/withdraw/",
        invitations.invitation_withdraw,
        name="invitation_withdraw",
    ),
    # Bulk reassignment (admins)
    path("reassign/", reassign.reassign, name="reassign"),
    path("reassignments/", reassign.reassignment_list, name="reassignment_list"),
    path("reassignments/<int:pk>/", reassign.reassignment_detail, name="reassignment_detail"),
    # Employer group sessions
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/new/", sessions.session_create, name="session_create"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<int:pk>/invite/", sessions.session_invite, name="session_invite"),
    path(
        "sessions/<int:pk>/invited/<int:organisation_id>/remove/",
        sessions.session_uninvite,
        name="session_uninvite",
    ),
    path("sessions/<int:pk>/attendance/", sessions.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/notes/", sessions.session_notes, name="session_notes"),
    path("sessions/<int:pk>/peers/", sessions.session_peers, name="session_peers"),
]

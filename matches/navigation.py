"""Menu labels for the matching pages, kept here so their French lives in this app's catalogue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SEEKER_LINK = (_("Roles for me"), "seeker_matches:roles")
STAFF_LINK = (_("Matches"), "matches:home")

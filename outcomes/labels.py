"""Labels other apps show for the outcomes pages (kept here so their French is in this app)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAV_FOLLOW_UPS = _("Follow-ups")
NAV_DASHBOARD = _("Program outcomes")

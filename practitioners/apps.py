from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PractitionersConfig(AppConfig):
    name = "practitioners"
    verbose_name = _("Practitioners")

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # The report kinds register their renderers on import; the registry must be
        # complete before any request or task asks it for a kind.
        from reports import kinds  # noqa: F401

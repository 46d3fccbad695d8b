from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactorsConfig(AppConfig):
    name = "factors"
    verbose_name = _("Magnetic Factors framework")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from employers.models import JobRole, OfferAnswer, RoleNeed, RoleOfferOverride
        from factors.matching import role_side_changed

        # Ranked role lists cache the roles' packed answers (matches.selectors).
        for model in (JobRole, OfferAnswer, RoleNeed, RoleOfferOverride):
            for signal in (post_save, post_delete):
                signal.connect(
                    role_side_changed,
                    sender=model,
                    dispatch_uid=f"role-side-{model.__name__}-{signal is post_save}",
                )

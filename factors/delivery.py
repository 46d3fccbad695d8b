"""How a client was served; the Outcomes work compares retention across these."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeliveryMethod(models.TextChoices):
    SELF_SERVE = "self_serve", _("Self-serve online")
    ONE_TO_ONE = "one_to_one", _("One-to-one with a practitioner")
    GROUP = "group", _("Group session")

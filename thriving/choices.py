"""A cheaper ``get_<field>_display`` for models shown in long lists."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str


class QuickChoiceLabels(models.Model):
    """Django's ``get_<field>_display`` makes the field's whole list of choices hashable to
    look one value up, and hashing a lazily translated label translates it: every call
    translated every label of the field (0.01 ms; a list of 60 follow-ups calls it 200
    times). Here only the values are hashed. Same label; for plain (hashable) values."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> str:
        value = getattr(self, field.attname)
        return force_str(dict(field.flatchoices).get(value, value), strings_only=True)

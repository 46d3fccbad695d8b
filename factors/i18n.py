"""Bilingual content stored side by side (``name_en``, ``name_fr``), read in the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

CONTENT_LANGUAGES = ("en", "fr")


def active_content_language() -> str:
    language = (get_language() or "en").lower()
    return "fr" if language.startswith("fr") else "en"


class Localized:
    """A read-only attribute returning ``<name>_<language>``, falling back to English.

    Falling back keeps a page readable if a translation is ever missing; publishing
    refuses versions with missing translations, so the fallback is a safety net only.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        value = getattr(obj, f"{self.name}_{active_content_language()}", "")
        return value or getattr(obj, f"{self.name}_en", "")

    def in_language(self, obj: Any, language: str) -> str:
        return getattr(obj, f"{self.name}_{language}", "") or getattr(obj, f"{self.name}_en", "")

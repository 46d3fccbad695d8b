"""Form widgets for long lists."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, SafeString, mark_safe


class LongSelect(forms.Select):
    """A ``<select>`` whose options are written in Python, not one template per option.

    Django renders each option through a template (about 0.4 ms each): the dashboard's
    filter of 500 practitioners spent 200 ms on it on every request. Same markup (values
    and labels escaped), same attributes on the ``<select>``; no option groups."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # Straight from the choices: Django's optgroups() builds a dict of attributes per
        # option only for the template to read back; format_html per option is slow too.
        wanted = set(self.format_value(value))
        found = False
        options = []
        for choice, label in self.choices:
            text = "" if choice is None else str(choice)
            selected = not found and text in wanted  # the first match only, as Django
            found = found or selected
            options.append(
                f'<option value="{_escape(text)}"{" selected" if selected else ""}>'
                f"{_escape(label)}</option>"
            )
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final),
            mark_safe("".join(options)),  # noqa: S308 - escaped above
        )


def _escape(text: Any) -> str:
    """Django's ``conditional_escape`` without its lazy-string wrapper (500 calls a page)."""
    return text if isinstance(text, SafeData) else html.escape(str(text))

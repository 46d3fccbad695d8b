"""``{% fitmap_region table label %}``: the fit map partial for pages listing many."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from factors.fitmap_html import fitmap_region_html

register = template.Library()


@register.simple_tag
def fitmap_region(table: SafeString, label: object = "") -> SafeString:
    """The markup of ``{% include "matches/includes/fitmap.html" with view=... %}`` around
    a fit map's table written in Python (``factors.fitmap_html``): a ranked page shows 25."""
    return fitmap_region_html(table, label)

"""``{% fitmap_table view label %}``: the fit map partial for pages listing many of them."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from factors.fitmap_html import fitmap_html
from factors.fitmap_view import FitMapView

register = template.Library()


@register.simple_tag
def fitmap_table(view: FitMapView, label: object = "") -> SafeString:
    """The markup of ``{% include "matches/includes/fitmap.html" with view=view label=label %}``
    written in Python (``factors.fitmap_html``): a ranked page shows 25 of them."""
    return fitmap_html(view, label)

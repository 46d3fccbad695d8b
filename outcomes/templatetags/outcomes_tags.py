from __future__ import annotations

from typing import Any

from django import template

from outcomes.consents import renewals_for

register = template.Library()


@register.inclusion_tag("outcomes/consent_banner.html", takes_context=True)
def consent_renewal_banner(context: Any, seeker: Any) -> dict[str, Any]:
    """The seeker home page's "renew your consent" banner (empty when nothing is due)."""
    return {"renewals": renewals_for(seeker=seeker), "request": context.get("request")}


@register.inclusion_tag("outcomes/client_outcomes.html")
def client_outcomes_section(
    client: Any, placements: list[Any] | None = None, shares: bool | None = None
) -> dict[str, Any]:
    """The practitioner's client record: placements, follow-ups, beliefs before and after
    (the record passes the placements and the seeker's sharing it has already read)."""
    from outcomes.selectors import client_outcomes

    data = client_outcomes(client=client, placements=placements, shares=shares)
    return {
        "outcomes": data,
        "placements": [(p, data.follow_ups.get(p.pk, [])) for p in data.placements],
    }

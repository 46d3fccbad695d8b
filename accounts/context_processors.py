"""Navigation links for the signed-in person's role, so templates hold no role logic."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from matches.navigation import SEEKER_LINK, STAFF_LINK
from outcomes.labels import NAV_DASHBOARD, NAV_FOLLOW_UPS

NAVIGATION: dict[str, list[tuple[Any, str]]] = {
    Role.SEEKER: [
        (_("My activities"), "seekers:home"),
        (_("My profile"), "seekers:profile"),
        SEEKER_LINK,
        (_("My data"), "seekers:my_data"),
    ],
    Role.EMPLOYER: [(_("Our business"), "employers:home")],
    Role.PRACTITIONER: [
        (_("My caseload"), "practitioners:queue"),
        (NAV_FOLLOW_UPS, "outcomes:follow_up_list"),
        STAFF_LINK,
        (_("Erasure requests"), "seeker_staff:erasure_list"),
    ],
    Role.ADMIN: [
        (_("Caseloads"), "practitioners:queue"),
        (NAV_FOLLOW_UPS, "outcomes:follow_up_list"),
        STAFF_LINK,
        (_("Framework"), "factors:overview"),
        (_("Staff"), "staff:staff_list"),
        (_("Erasure requests"), "seeker_staff:erasure_list"),
        (NAV_DASHBOARD, "dashboard:dashboard"),
    ],
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    links = [
        {"label": label, "url": reverse(name)} for label, name in NAVIGATION.get(user.role, [])
    ]
    # Only the most specific link is current: /me/profile/ is "My profile", not also /me/.
    matching = [link["url"] for link in links if request.path.startswith(link["url"])]
    current = max(matching, key=len, default=None)
    for link in links:
        link["active"] = link["url"] == current
    return {"nav_links": links}

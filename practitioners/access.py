"""Who may see a client and who may change one, decided in one place.

Seeing goes through the clients' own ``visible_to``: a practitioner's own caseload and,
read-only, their office's; every client for admins. Changing is for the client's own
practitioner and for admins. An office colleague can read the record, but any change is
refused with 403; a stranger gets 404 and cannot learn that the client exists.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from accounts.permissions import get_for_viewer
from employers.models import Organisation
from seekers.models import Seeker

logger = logging.getLogger("thriving.access")

SEGMENTS = ("seekers", "employers")


def client_for_viewer(*, segment: str, pk: int, user: Any) -> Seeker | Organisation:
    """A client by its URL segment and id, through the viewer's scope (404 otherwise)."""
    if segment == "seekers":
        return get_for_viewer(
            Seeker.objects.select_related("user", "practitioner", "office"), user, pk=pk
        )
    if segment == "employers":
        return get_for_viewer(
            Organisation.objects.select_related("practitioner", "office"), user, pk=pk
        )
    raise Http404("Unknown kind of client.")


def can_change_client(*, user: Any, client: Seeker | Organisation) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.PRACTITIONER and client.practitioner_id == user.pk


def ensure_can_change(*, user: Any, client: Seeker | Organisation) -> None:
    """Raise 403 for a viewer who may read the client but not change it."""
    if not can_change_client(user=user, client=client):
        logger.warning(
            "change refused: user=%s client=%s:%s",
            getattr(user, "pk", None),
            type(client).__name__,
            client.pk,
        )
        raise PermissionDenied

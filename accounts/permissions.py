"""One permission matrix: which role may do which action.

The matrix is at once documentation, the view decorator and the template check,
and it denies by default: an action missing from it is allowed to nobody.
Object ownership is the second gate: every owned model's queryset has a
``visible_to(user)`` method, and ``get_for_viewer`` turns "not yours" into 404 so
a stranger cannot even learn that an object exists.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import Role

logger = logging.getLogger("thriving.access")

SEEKER = frozenset({Role.SEEKER})
EMPLOYER = frozenset({Role.EMPLOYER})
STAFF = frozenset({Role.PRACTITIONER, Role.ADMIN})
ADMIN = frozenset({Role.ADMIN})

# action -> roles allowed. Keep sorted by area; every view names one action.
PERMISSIONS: dict[str, frozenset[str]] = {
    # Job seekers' own room
    "seeker.use": SEEKER,
    # Employers' own room (their organisation only)
    "employer.use": EMPLOYER,
    # Practitioners' workspace; admins see everything practitioners see
    "caseload.view": STAFF,
    "caseload.change": STAFF,
    # PDF reports: everyone keeps their own; each report kind names the roles it serves
    "reports.use": frozenset({Role.SEEKER, Role.EMPLOYER, Role.PRACTITIONER, Role.ADMIN}),
    "caseload.reassign": ADMIN,
    # Program administration
    "framework.edit": ADMIN,
    "program.view": ADMIN,
    "staff.manage": ADMIN,
    "audit.view": ADMIN,
    "outcomes.dashboard": ADMIN,  # admins act as program leads: there is no separate role
}


def can(user: Any, action: str) -> bool:
    """True when the signed-in user's role is allowed ``action``. Unknown actions: no."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role in PERMISSIONS.get(action, frozenset())


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def requires(action: str) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view: anonymous people go to sign-in, a wrong role gets 403 (and is logged)."""
    if action not in PERMISSIONS:
        raise ValueError(f"Unknown action {action!r}: add it to PERMISSIONS first.")

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                logger.warning(
                    "access refused: user=%s role=%s action=%s path=%s",
                    request.user.pk,
                    request.user.role,
                    action,
                    request.path,
                )
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_action = action  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


class ViewerScoped(Protocol):
    def visible_to(self, user: Any) -> models.QuerySet[Any]: ...


def get_for_viewer[M: models.Model](queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """Fetch one object through the viewer's scope: not theirs, or not there, is 404."""
    scoped = queryset.visible_to(user)  # type: ignore[attr-defined]
    try:
        return scoped.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        logger.info(
            "not found for viewer: user=%s model=%s",
            getattr(user, "pk", None),
            queryset.model._meta.label,
        )
        raise Http404 from exc

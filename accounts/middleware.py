"""Per-request account policies: the person's language, and session time limits."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Role

SESSION_STARTED = "tw_session_started"
SESSION_LAST_SEEN = "tw_last_seen"


class UserLanguageMiddleware:
    """Runs after authentication: the account's language wins over the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """End a session after a quiet spell (shorter for staff) and after an absolute limit.

    Staff hold many people's records, so an unattended staff session ends sooner. The
    last-seen time is written at most once a minute to keep session writes cheap.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = session_expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # Signed in during this request (login() starts a fresh session): start the clocks.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and SESSION_STARTED not in request.session:
            now = time.time()
            request.session[SESSION_STARTED] = now
            request.session[SESSION_LAST_SEEN] = now
        return response


def session_expired(request: HttpRequest) -> str:
    """The reason the session must end now, or "" when it may go on."""
    now = time.time()
    session = request.session
    started = session.setdefault(SESSION_STARTED, now)
    last_seen = session.get(SESSION_LAST_SEEN, now)
    staff = request.user.role in (Role.PRACTITIONER, Role.ADMIN)
    idle_limit = settings.SESSION_IDLE_TIMEOUT_STAFF if staff else settings.SESSION_IDLE_TIMEOUT
    if now - last_seen > idle_limit:
        return str(_("You were signed out after a period without activity. Please sign in again."))
    if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
        return str(_("You were signed out because your session reached its time limit."))
    if now - last_seen >= settings.SESSION_LAST_SEEN_EVERY or SESSION_LAST_SEEN not in session:
        session[SESSION_LAST_SEEN] = now
    return ""


# Where a staff member without two-factor sign-in may still go: setting it up, signing out.
MFA_SETUP_ALLOWED = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/language/",
)


# The session remembers, for a minute, that its staff member has a TOTP device: the check
# was a query on every staff request. The two-factor pages (where a device is removed)
# forget it, so the next request checks again at once; another session of the same person
# (or an admin removing the device) is checked again within TOTP_RECHECK_EVERY seconds.
STAFF_TOTP_SEEN = "tw_staff_totp_seen"  # [user id, time of the check that found the device]
TOTP_RECHECK_EVERY = 60


def _has_totp(request: HttpRequest, user: Any) -> bool:
    seen = request.session.get(STAFF_TOTP_SEEN)
    now = time.time()
    if seen and seen[0] == user.pk and 0 <= now - seen[1] < TOTP_RECHECK_EVERY:
        return True
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        request.session[STAFF_TOTP_SEEN] = [user.pk, now]
        return True
    request.session.pop(STAFF_TOTP_SEEN, None)
    return False


class StaffTwoFactorMiddleware:
    """Practitioners and admins hold many people's records: they must set up two-factor
    sign-in before anything else (when REQUIRE_STAFF_MFA is on)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if not (
            settings.REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and user.role in (Role.PRACTITIONER, Role.ADMIN)
        ):
            return self.get_response(request)
        if request.path.startswith(MFA_SETUP_ALLOWED):
            request.session.pop(STAFF_TOTP_SEEN, None)  # a device may be removed here
            return self.get_response(request)
        static = settings.STATIC_URL
        if request.path.startswith(static if static.startswith("/") else "/" + static):
            return self.get_response(request)
        if not _has_totp(request, user):
            messages.info(request, _("Please set up two-factor sign-in before you continue."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

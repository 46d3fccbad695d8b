"""Brute-force protection: who is signing in from where, and the page shown when refused.

django-axes locks a sign-in on the pair (email, address) after too many failures, so an
attacker elsewhere cannot lock a real person out. django-ratelimit and allauth's own
limits answer 429 on public forms. Both show the same page, ``429.html``.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class SignInLockBackend(AxesStandaloneBackend):
    """axes' lock check, first in AUTHENTICATION_BACKENDS. Every sign-in through a page
    (allauth, the admin) passes its request; one made by code without a request (the
    test client's ``login``, a shell) has no address to lock on and is left to the
    other backends instead of raising."""

    def authenticate(self, request, username=None, password=None, **kwargs):  # type: ignore[override]
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def client_address(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the entry our own proxies added to
    X-Forwarded-For (``PROXY_COUNT`` of them), never a value the caller chose."""
    count = getattr(settings, "PROXY_COUNT", 0)
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a key, not a bind address


def sign_in_name(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The email a sign-in is for, lower-cased: allauth passes it as ``email`` to
    ``authenticate``; its form posts it as ``login``."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username")
    if not name:
        data = getattr(request, "POST", {}) or {}
        name = data.get("login") or data.get("email") or ""
    return str(name).strip().lower()[:254]


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """axes: too many failed sign-ins for this email from this address."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "429.html", {"locked_out": True, "minutes": minutes}, status=429)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """django-ratelimit: too many submissions of a public form from this address."""
    return render(request, "429.html", status=429)


def public_form_rate(group: str, request: HttpRequest) -> str:
    """How often one address may use a public form (``RATE_LIMIT_PUBLIC_FORM``)."""
    return settings.RATE_LIMIT_PUBLIC_FORM

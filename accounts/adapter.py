"""allauth hooks: where people land after signing in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """allauth's per-email limit on failed sign-ins, kept per email *and* address like
        axes (docs/security.md): an attacker elsewhere cannot lock the real person out.
        The limit on two-factor codes stays per account (allauth keys it by user)."""
        from accounts.security import client_address

        base = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{base}|{client_address(request)}"

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address allauth's rate limits count by: the same as axes' and
        django-ratelimit's (``PROXY_COUNT``). allauth's own default ignores our proxies, so
        behind one every person shared the proxy's address and its "30 sign-ins a minute
        per address" held for the whole province (found by the load test)."""
        from accounts.security import client_address

        return client_address(request)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

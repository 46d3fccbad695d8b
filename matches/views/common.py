"""Small helpers the three audiences' views share."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str) -> str:
    """Where to go back to after a POST: a local path from the form, else ``fallback``.

    Only an absolute path ("/...") is taken: ``redirect()`` would read anything else
    ("0", "home") as a view name to reverse, and fail with a 500 on junk."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback

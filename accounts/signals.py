"""Security log of sign-ins: who (account id), what, when (UTC) — never an email or a password.

These receivers only log; no domain logic hides in signals.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

logger = logging.getLogger("thriving.security")


def _now() -> str:
    return timezone.now().astimezone(UTC).isoformat(timespec="seconds")


@receiver(user_logged_in)
def log_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("sign-in ok user=%s role=%s at=%s", user.pk, user.role, _now())


@receiver(user_logged_out)
def log_sign_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    logger.info("sign-out user=%s at=%s", getattr(user, "pk", None), _now())


@receiver(user_login_failed)
def log_sign_in_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # A short one-way digest lets repeated attempts on one account be correlated
    # without writing the address itself to the log.
    login = str(credentials.get("email") or credentials.get("username") or "")
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()[:12] if login else "-"
    logger.warning("sign-in failed account=%s at=%s", digest, _now())

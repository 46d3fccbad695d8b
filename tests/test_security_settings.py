"""Security settings a reviewer asks about, checked where no other test covers them."""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse

from thriving import settings as project_settings


def test_passwords_are_hashed_with_argon2():
    # tests swap in a fast hasher; the project's own setting is what production uses
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert len(project_settings.AUTH_PASSWORD_VALIDATORS) >= 4


def test_axes_locks_on_email_and_address_together():
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "accounts.security.SignInLockBackend"


def test_refused_access_is_logged_with_who_what_and_no_personal_data(cast, caplog):
    client = cast.client_for(cast.seeker.user)
    with caplog.at_level(logging.WARNING, logger="thriving.access"):
        assert client.get(reverse("practitioners:queue")).status_code == 403
    line = " ".join(r.getMessage() for r in caplog.records if r.name == "thriving.access")
    assert "access refused" in line and f"user={cast.seeker.user.pk}" in line
    assert "action=caseload.view" in line
    assert cast.seeker.user.email not in line

"""seed_demo, /healthz and production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from employers.models import Organisation

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

DEMO_ACCOUNTS = {
    "seeker@example.org": Role.SEEKER,
    "seeker2@example.org": Role.SEEKER,
    "employer@example.org": Role.EMPLOYER,
    "employer2@example.org": Role.EMPLOYER,
    "practitioner@example.org": Role.PRACTITIONER,
    "practitioner2@example.org": Role.PRACTITIONER,
    "admin@example.org": Role.ADMIN,
}


def test_seed_demo_creates_accounts_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Organisation.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Organisation.objects.count()) == counts
    for email, role in DEMO_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert user.role == role and user.check_password("thriving-demo")
    employer = User.objects.get(email="employer@example.org").employer_membership.organisation
    employer2 = User.objects.get(email="employer2@example.org").employer_membership.organisation
    assert employer != employer2
    p1 = User.objects.get(email="practitioner@example.org")
    p2 = User.objects.get(email="practitioner2@example.org")
    assert p1.seeker_caseload.count() > 10 and p2.seeker_caseload.count() > 10
    assert not set(p1.seeker_caseload.all()) & set(p2.seeker_caseload.all())


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(email="seeker@example.org").exists()
    call_command("seed_demo", "--force")
    assert User.objects.filter(email="seeker@example.org").exists()


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok" and body["broker"] in {"ok", "in-process"}


def test_healthz_is_503_when_database_is_down(client):
    with mock.patch("thriving.health.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "down"


def test_healthz_reports_broker_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["broker"] == "down"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set the last
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_deploy_check_with_zero_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 20 + "production-secret-key-with-enough-entropy-7f3a9",
        ALLOWED_HOSTS="thriving.example.org",
        # Production runs with Redis (sign-in lockouts are counted in its cache; without it
        # the check rightly warns). The check reads the setting; it does not connect.
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="thriving.example.org")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_bad_boolean_in_environment_is_refused():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG" in result.stderr

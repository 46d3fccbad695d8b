"""The fixed cast every view test uses, and fast settings for tests.

Two seekers, two employers (different businesses), two practitioners in
different offices with different caseloads, and an admin.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts.models import User
from employers.models import Organisation
from factors.matching import forget_published_items
from seekers.models import Seeker
from tests.factories import (
    AdminFactory,
    MemberFactory,
    OfficeFactory,
    PractitionerFactory,
    SeekerFactory,
)
from thriving.celery import app as celery_app


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    translation.activate("en")  # a request in French must not leak into the next test
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    # A slow machine can take over a minute between two requests of one test; the session's
    # once-a-minute last-seen write would then add queries to a query-count comparison.
    # tests/test_sessions.py puts the real interval back.
    settings.SESSION_LAST_SEEN_EVERY = 24 * 60 * 60
    # Tests that need the real Redis cache or a real Celery worker opt in explicitly.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # rate-limit and sign-in lockout counters must not leak between tests
    forget_published_items()  # a rolled-back test's framework ids are reused by the next
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _framework(request):
    """Transactional tests (the browser ones) flush the data migration's starter bank:
    put it back so every test starts with published version 1."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from factors.models import Factor, FrameworkVersion, Item, MindsetPrompt
    from factors.starter import load_starter

    if not FrameworkVersion.objects.exists():
        load_starter(FrameworkVersion, Factor, Item, MindsetPrompt)


@dataclass
class Cast:
    seeker: Seeker
    seeker2: Seeker
    organisation: Organisation
    organisation2: Organisation
    employer: User
    employer2: User
    practitioner: User
    practitioner2: User
    admin: User

    def client_for(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def cast(db) -> Cast:
    halifax = OfficeFactory(name="Halifax")
    sydney = OfficeFactory(name="Sydney")
    practitioner = PractitionerFactory(email="p1@example.org", office=halifax)
    practitioner2 = PractitionerFactory(email="p2@example.org", office=sydney)
    seeker = SeekerFactory(user__email="s1@example.org", practitioner=practitioner, office=halifax)
    seeker2 = SeekerFactory(user__email="s2@example.org", practitioner=practitioner2, office=sydney)
    member = MemberFactory(
        user__email="e1@example.org",
        organisation__name="Harbour Café",
        organisation__practitioner=practitioner,
        organisation__office=halifax,
    )
    member2 = MemberFactory(
        user__email="e2@example.org",
        organisation__name="Cabot Outfitters",
        organisation__practitioner=practitioner2,
        organisation__office=sydney,
    )
    return Cast(
        seeker=seeker,
        seeker2=seeker2,
        organisation=member.organisation,
        organisation2=member2.organisation,
        employer=member.user,
        employer2=member2.user,
        practitioner=practitioner,
        practitioner2=practitioner2,
        admin=AdminFactory(email="admin@example.org", office=halifax),
    )

"""seed_scale builds consistent synthetic data (scaled down here); the load test's pieces."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django import forms
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.management.commands import loadtest
from accounts.management.commands.seed_scale import PASSWORD, TOTP_SECRET
from accounts.models import Role, User
from employers.models import JobRole, Member, OfferAnswer, Organisation, RoleStatus
from factors.matching import _vectors_for, match_items
from outcomes.models import FollowUp
from practitioners.models import Placement
from seekers import selectors
from seekers.models import Answer, Seeker, SeekerVector
from thriving.bench import Measure, read_all, record, summary_table

pytestmark = pytest.mark.django_db

SMALL = {
    "seekers": 50,
    "employers": 8,
    "roles": 5,
    "practitioners": 6,
    "offices": 2,
    "placements": 12,
    "sign_in": 2,
    "admins": 1,
}
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="seed_scale uses PostgreSQL's COPY"
)


def _seed(**extra) -> str:
    out = io.StringIO()
    call_command("seed_scale", stdout=out, force=True, **{**SMALL, **extra})
    return out.getvalue()


@postgres_only
def test_builds_consistent_marked_data():
    text = _seed()
    assert "Built 50 seekers, 8 employers, 5 published roles, 6 practitioners" in text
    seekers = Seeker.objects.filter(user__email__endswith="@scale.invalid")
    assert seekers.count() == 50
    items = match_items()
    width = items.layout().width
    # Complete profiles: every current item answered, consents given, vectors current and
    # exactly what re-packing the answer rows gives.
    assert Answer.objects.filter(seeker__in=seekers).count() == 50 * width
    ids = list(seekers.values_list("pk", flat=True))
    repacked = _vectors_for(seeker_ids=ids, items=items, layout=items.layout())
    stored = {v.seeker_id: bytes(v.data) for v in SeekerVector.objects.filter(seeker_id__in=ids)}
    assert stored == repacked
    assert SeekerVector.objects.filter(seeker_id__in=ids, version=items.version).count() == 50
    assert all(selectors.has_data_consent(seeker=s) for s in seekers[:5])
    # Caseloads over the offices; businesses with an owner and their whole offer.
    assert not seekers.filter(practitioner__isnull=True).exists()
    assert seekers.values("office").distinct().count() == 2
    businesses = Organisation.objects.filter(name__startswith="[scale] ")
    assert Member.objects.filter(organisation__in=businesses).count() == 8
    assert OfferAnswer.objects.filter(organisation__in=businesses).count() == 8 * width
    assert (
        JobRole.objects.filter(organisation__in=businesses, status=RoleStatus.PUBLISHED).count()
        == 5
    )
    placements = Placement.objects.filter(seeker__in=seekers)
    assert placements.count() == 12
    assert FollowUp.objects.filter(placement__in=placements).count() == int(
        text.split(" follow-ups")[0].rsplit(" ", 1)[-1]
    )
    # The documented password opens the first accounts only; staff have a TOTP device.
    first = User.objects.get(email="seeker-0@scale.invalid")
    assert first.check_password(PASSWORD)
    assert not User.objects.get(email="seeker-2@scale.invalid").has_usable_password()
    staff = User.objects.filter(email__in=["practitioner-0@scale.invalid", "admin-0@scale.invalid"])
    assert {u.role for u in staff} == {Role.PRACTITIONER, Role.ADMIN}
    assert Authenticator.objects.filter(user__in=staff, type="totp").count() == 2


@postgres_only
def test_is_idempotent_and_resets_on_request():
    _seed()
    users = User.objects.count()
    assert "already there" in _seed()
    assert User.objects.count() == users
    with pytest.raises(CommandError, match="--reset"):
        _seed(seekers=60)
    _seed(seekers=60, reset=True)
    assert Seeker.objects.filter(user__email__endswith="@scale.invalid").count() == 60
    assert User.objects.count() == users + 10


def test_refuses_sqlite():
    with (
        mock.patch.object(connection, "vendor", "sqlite"),
        pytest.raises(CommandError, match="PostgreSQL"),
    ):
        _seed()


def test_load_test_computes_the_codes_allauth_accepts(tmp_path, settings):
    # In a child process: importing locust patches the standard library (gevent).
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"host": "http://127.0.0.1:1", "accounts": {}}))
    now = int(time.time())
    code = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            f"from loadtest.locustfile import totp; print(totp({TOTP_SECRET!r}, {now}))",
        ],
        env={**os.environ, "LOADTEST_PLAN": str(plan), "LOADTEST_PHASE": "load"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert code == format_hotp_value(hotp_value(TOTP_SECRET, now // 30))


def test_table_ratio_and_targets():
    ms = [10.0] * 18 + [200.0] * 2
    load = {
        "seconds": 10,
        "pages": {
            "seeker: x": {"requests": 20, "errors": 0, "server_ms": ms, "client_ms": ms},
            loadtest.TRIVIAL: {"requests": 5, "errors": 0, "server_ms": [1.0], "client_ms": []},
        },
    }
    capacity = {
        "pages": {
            "seeker: x": {"requests": 40, "errors": 0, "window": [0, 4]},
            loadtest.TRIVIAL: {"requests": 200, "errors": 0, "window": [0, 4]},
        }
    }
    rows = loadtest.summarise(load, capacity)
    page = rows[0]
    assert page["page"] == "seeker: x" and page["median_ms"] == 10.0
    assert page["p95_ms"] == 200.0  # the 19th of 20 (nearest rank)
    assert page["ratio"] == pytest.approx(0.2)
    assert loadtest.verdict(page) == "MISSED"  # p95 above 150 ms
    assert "20%" in loadtest.table(rows)


def test_bench_results_round_trip(tmp_path, settings):
    settings.BASE_DIR = tmp_path
    record("demo", [Measure("demo", "thing", "3 ms", "≤ 5 ms", True)])
    measures = read_all()
    assert measures == [Measure("demo", "thing", "3 ms", "≤ 5 ms", True)]
    assert "met" in summary_table(measures)


def test_ping_and_server_timing(client, settings):
    settings.MIDDLEWARE = ["thriving.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    response = client.get("/ping")
    assert response.status_code == 200 and response.content == b"pong"
    assert response["Server-Timing"].startswith("app;dur=")
    assert client.post("/ping").status_code == 405


def test_long_select_writes_what_django_select_writes():
    """Same select attributes, options, labels (escaped) and selection as Django's Select."""
    import re

    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    from thriving.widgets import LongSelect

    choices = [
        ("", "All"),
        ("1", "Ann <b>"),
        ("2", 'Bo "&" Co'),
        ("3", mark_safe("Caf&eacute; d&#x27;Or")),  # already HTML: kept as is, like Django
        ("4", gettext_lazy("Clear")),
        ("a&b", "O'Neil"),
    ]
    attrs = {"id": "id_p", "class": "form-select", "aria-describedby": "h"}
    ours = LongSelect(choices=choices).render("p", "2", attrs)
    django = forms.Select(choices=choices).render("p", "2", attrs)

    def options(html: str) -> list[tuple[str, bool, str]]:
        return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)

    assert options(ours) == options(django) and len(options(ours)) == len(choices)
    assert "&lt;b&gt;" in ours and "<b>" not in ours
    opening = ours.split(">", 1)[0]
    for attribute in ('name="p"', 'id="id_p"', 'class="form-select"', 'aria-describedby="h"'):
        assert attribute in opening


@pytest.mark.parametrize("language", ["en", "fr"])
def test_quick_choice_labels_are_djangos_labels(language):
    """thriving.choices.QuickChoiceLabels gives what Django's get_<field>_display gives,
    for every choice of every choice field of a model using it, and unknown values as is."""
    from django.db.models import Model
    from django.utils import translation

    follow_up = FollowUp()
    with translation.override(language):
        for field in FollowUp._meta.fields:
            if not field.choices:
                continue
            for value in [value for value, _label in field.flatchoices] + ["unknown"]:
                setattr(follow_up, field.attname, value)
                ours = getattr(follow_up, f"get_{field.name}_display")()
                assert ours == Model._get_FIELD_display(follow_up, field)
                assert isinstance(ours, str)

"""The whole seeker journey through the Django test client, as a person would go through it."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from factors.models import Item
from factors.scales import FactorKey
from seekers.models import (
    Answer,
    Consent,
    ConsentKind,
    ErasureRequest,
    ProfileSnapshot,
    Reflection,
)

pytestmark = pytest.mark.django_db


def _token(html: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f-]{36})"', html)
    assert match, "the mindset form carries a token"
    return match.group(1)


def _mindset_post(html: str, agreement: int) -> dict[str, str]:
    data = {"token": _token(html)}
    for pk in re.findall(r'name="prompt-(\d+)-agreement"', html):
        data[f"prompt-{pk}-agreement"] = str(agreement)
    return data


def _activity_post(key: str, version, *, level: int = 2, then: str = "next") -> dict[str, str]:
    data = {"then": then, "reflection": f"Thinking about {key}."}
    for item in Item.objects.filter(factor__version=version, factor__key=key, retired=False):
        data[f"item-{item.pk}-level"] = str(level)
        if not item.is_need:
            data[f"item-{item.pk}-example"] = f"Example for {item.code}"
    return data


def test_full_journey(cast, version):
    client = cast.client_for(cast.seeker.user)
    seeker = cast.seeker

    # Welcome: plain words about what is kept, why, who sees it; activities wait for consent.
    page = client.get(reverse("seekers:home"))
    assert page.status_code == 200 and "What we keep" in page.content.decode()
    blocked = client.get(reverse("seekers:activity", args=["values"]))
    assert blocked.status_code == 302 and blocked["Location"] == reverse("seekers:welcome")
    refused = client.post(reverse("seekers:welcome"), {"share": "on"})
    assert refused.status_code == 400 and "Tick the box to agree" in refused.content.decode()
    assert not Consent.objects.exists()
    accepted = client.post(reverse("seekers:welcome"), {"agree": "on", "share": "on"})
    assert accepted["Location"] == reverse("seekers:mindset")
    kinds = set(seeker.consents.filter(withdrawn_at__isnull=True).values_list("kind", flat=True))
    assert kinds == {ConsentKind.DATA_USE, ConsentKind.PRACTITIONER}

    # Mindset check (intake).
    html = client.get(reverse("seekers:mindset")).content.decode()
    done = client.post(reverse("seekers:mindset"), _mindset_post(html, 4))
    assert done["Location"] == reverse("seekers:home")
    assert seeker.mindset_rounds.get().occasion == "intake"

    # Six activities, each saved with the plain form and "next".
    location = reverse("seekers:activity", args=["values"])
    for key in FactorKey.values:
        assert location == reverse("seekers:activity", args=[key])
        assert client.get(location).status_code == 200
        response = client.post(location, _activity_post(key, version))
        assert response.status_code == 302, response.content.decode()[:2000]
        location = response["Location"]
    assert location == reverse("seekers:profile")
    assert (
        Answer.objects.filter(seeker=seeker).count()
        == Item.objects.filter(factor__version=version, retired=False).count()
    )
    assert Reflection.objects.filter(seeker=seeker).count() == 6

    # The profile: chart with its table, talking points, all six done.
    html = client.get(reverse("seekers:profile")).content.decode()
    assert 'role="img"' in html and "tw-chart__table" in html
    points = re.search(r'<ol class="talking-points">(.*?)</ol>', html, re.S)
    assert points and 3 <= points.group(1).count("<li>") <= 5
    assert "You have finished 6 of the six activities." in html

    # Change an answer (the autosave path) and see it on the profile.
    sick_days = Item.objects.get(factor__version=version, code="pay-sick-days")
    saved = client.post(
        reverse("seekers:activity_item", args=["pay_benefits", sick_days.pk]),
        {f"item-{sick_days.pk}-level": "3", f"item-{sick_days.pk}-dealbreaker": "on"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200 and "Saved" in saved.content.decode()
    html = client.get(reverse("seekers:profile")).content.decode()
    must = html.split('id="must-heading"')[1].split("</section>")[0]
    away = html.split('id="away-heading"')[1].split("</section>")[0]
    assert "Paid sick days" in must and "Paid sick days" in away

    # Retake: the profile goes to history, then a change shows as a change.
    assert client.post(reverse("seekers:profile_retake"))["Location"] == reverse("seekers:home")
    snapshot = ProfileSnapshot.objects.get(seeker=seeker)
    assert snapshot.version == version
    history = client.get(reverse("seekers:history")).content.decode()
    assert reverse("seekers:history_detail", args=[snapshot.pk]) in history
    detail = client.get(reverse("seekers:history_detail", args=[snapshot.pk])).content.decode()
    assert "Paid sick days" in detail
    client.post(
        reverse("seekers:activity_item", args=["pay_benefits", sick_days.pk]),
        {f"item-{sick_days.pk}-level": "1"},
    )
    html = client.get(reverse("seekers:profile")).content.decode()
    assert "What changed since" in html
    assert "“Paid sick days”: now Nice to have (was Must have)." in html
    assert "No longer a deal-breaker: “Paid sick days”." in html

    # Mindset again: the profile compares with the first time.
    html = client.get(reverse("seekers:mindset")).content.decode()
    client.post(reverse("seekers:mindset"), _mindset_post(html, 2))
    assert list(seeker.mindset_rounds.values_list("occasion", flat=True)) == ["intake", "retake"]
    html = client.get(reverse("seekers:profile")).content.decode()
    assert "First time" in html and "More open" in html and "Less open" in html

    # My data: JSON and CSV hold everything.
    download = client.get(reverse("seekers:export_json"))
    assert download["Content-Disposition"].startswith("attachment;")
    data = json.loads(download.content)
    assert data["account"]["email"] == seeker.user.email
    assert len(data["answers"]) == Answer.objects.filter(seeker=seeker).count()
    assert len(data["mindset_checks"]) == 2 and len(data["saved_profiles"]) == 1
    assert any(r["text"] == "Thinking about values." for r in data["reflections"])
    table = client.get(reverse("seekers:export_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == [
        "section",
        "framework_version",
        "factor",
        "question",
        "answer",
        "detail",
        "date",
    ]
    assert sum(1 for row in rows if row[0] == "answer") == len(data["answers"])

    # Erasure: asked by the seeker, confirmed by their practitioner.
    assert client.post(reverse("seekers:erasure_request"), {}).status_code == 400
    client.post(reverse("seekers:erasure_request"), {"confirm": "on"})
    request = ErasureRequest.objects.get(seeker=seeker, status="pending")
    staff = cast.client_for(cast.practitioner)
    listing = staff.get(reverse("seeker_staff:erasure_list")).content.decode()
    assert seeker.user.email in listing
    staff.post(reverse("seeker_staff:erasure_confirm", args=[request.pk]), {"confirm": "on"})
    seeker.refresh_from_db()
    seeker.user.refresh_from_db()
    assert seeker.erased_at is not None and not seeker.user.is_active
    assert seeker.user.email.endswith("@erased.invalid") and seeker.user.full_name == ""
    assert not Reflection.objects.filter(seeker=seeker).exclude(text="").exists()
    assert not Answer.objects.filter(seeker=seeker).exclude(example="").exists()
    assert Answer.objects.filter(seeker=seeker).count() == len(data["answers"])
    # The old session no longer works.
    assert client.get(reverse("seekers:home")).status_code == 302


def test_journey_pages_in_french(consented, version, answer_all):
    answer_all(consented.seeker, version)
    client = consented.client_for(consented.seeker.user)
    client.post(reverse("language_switch"), {"language": "fr", "next": "/me/"})
    profile = client.get(reverse("seekers:profile")).content.decode()
    assert '<html lang="fr">' in profile and "Mon profil magnétique" in profile
    activity = client.get(reverse("seekers:activity", args=["values"])).content.decode()
    assert "Valeurs" in activity and "Un traitement juste de la part de la direction" in activity
    assert "Pas important" in activity

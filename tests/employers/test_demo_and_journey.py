"""The demo business and the whole employer journey, through the Django test client,
signed in as employer@example.org on the demo data."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD, demo_seed
from employers.models import (
    JobPosting,
    JobRole,
    MindsetRound,
    OfferAnswer,
    Organisation,
    RoleOfferOverride,
)
from employers.postings import posting_check
from employers.selectors import offer_summary, role_effective_offer
from factors.models import Item
from factors.scales import FactorKey
from factors.selectors import current_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_seed(extra_seekers=0)


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(email=email, password=DEMO_PASSWORD)
    return client


def test_demo_gives_harbourview_a_partial_offer_that_leans_on_pay(demo):
    harbourview = Organisation.objects.get(name="Harbourview Café")
    summary = offer_summary(organisation=harbourview)
    assert summary.factor(FactorKey.PAY_BENEFITS).score >= 60
    assert summary.factor(FactorKey.CULTURE).score is None  # left for the live journey
    assert summary.leans_on_pay
    assert not harbourview.roles.exists() and not harbourview.mindset_rounds.exists()


def test_demo_gives_other_businesses_published_roles_with_postings(demo):
    factors = list(current_version().factors.order_by("order"))
    for organisation in Organisation.objects.exclude(name="Harbourview Café"):
        roles = list(organisation.roles.select_related("posting"))
        assert len(roles) == 2 and all(r.status == "published" for r in roles)
        for role in roles:
            result = posting_check(
                text=role.posting.text, language=role.posting.language, factors=factors
            )
            assert result.missing == []
        assert organisation.mindset_rounds.count() == 2
    guide = JobRole.objects.get(title="Kayak guide")
    remote = Item.objects.get(factor__version=current_version(), code="arrange-remote-hybrid")
    assert role_effective_offer(role=guide)[remote.identity] == 0


def test_demo_is_safe_to_run_again(demo):
    counts = (
        JobRole.objects.count(),
        JobPosting.objects.count(),
        MindsetRound.objects.count(),
        OfferAnswer.objects.count(),
        RoleOfferOverride.objects.count(),
    )
    demo_seed(extra_seekers=0)
    assert counts == (
        JobRole.objects.count(),
        JobPosting.objects.count(),
        MindsetRound.objects.count(),
        OfferAnswer.objects.count(),
        RoleOfferOverride.objects.count(),
    )


def test_employer2_cannot_reach_anything_of_harbourview(demo):
    harbourview = Organisation.objects.get(name="Harbourview Café")
    role = JobRole.objects.create(
        organisation=harbourview,
        title="Barista",
        hours_per_week=20,
        location="Halifax",
        region="halifax",
        pay_min="16",
        pay_max="18",
    )
    intruder = signed_in("employer2@example.org")
    for name in (
        "role_detail",
        "role_edit",
        "role_offer",
        "posting_edit",
        "posting_download",
    ):
        assert intruder.get(reverse(f"employers:{name}", args=[role.pk])).status_code == 404
    for name in ("role_publish", "role_close", "posting_check", "role_edit", "posting_edit"):
        assert intruder.post(reverse(f"employers:{name}", args=[role.pk])).status_code == 404
    for name in ("home", "offer_profile", "builder", "role_list", "colleagues", "mindset"):
        html = intruder.get(reverse(f"employers:{name}")).content.decode()
        assert "Harbourview" not in html and "Barista" not in html
    role.refresh_from_db()
    assert role.title == "Barista" and role.status == "draft"


def _answer_all(client: Client, key: str) -> None:
    html = client.get(reverse("employers:activity", args=[key])).content.decode()
    # "Offered" for everything the business offers, "important" for what it needs.
    data = {name: "2" for name in set(re.findall(r'name="(level-\d+)"', html))}
    response = client.post(reverse("employers:activity", args=[key]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_whole_journey_for_employer_at_harbourview(demo):
    client = signed_in("employer@example.org")
    assert "Start the mindset check" in client.get(reverse("employers:home")).content.decode()

    # Mindset check at intake.
    html = client.get(reverse("employers:mindset")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = {"token": token}
    for prompt_id in set(re.findall(r'name="agreement-(\d+)"', html)):
        data[f"agreement-{prompt_id}"] = "4"
    assert client.post(reverse("employers:mindset"), data).status_code == 302

    # Before: the builder says the offer leans on pay and suggests levers.
    html = client.get(reverse("employers:builder")).content.decode()
    assert "Your offer leans on pay" in html
    item_id = re.search(r'name="item" value="(\d+)"', html).group(1)

    # Adopt one suggestion in one step.
    response = client.post(reverse("employers:builder_adopt"), {"item": item_id, "level": "2"})
    assert response.status_code == 302
    assert (
        OfferAnswer.objects.get(item_id=item_id, organisation__name="Harbourview Café").level == 2
    )

    # The six offer activities.
    for key in FactorKey.values:
        _answer_all(client, key)
    html = client.get(reverse("employers:home")).content.decode()
    assert "You have finished 6 of the six offer activities." in html

    # The profile: chart, strengths, no longer leaning on pay.
    html = client.get(reverse("employers:offer_profile")).content.decode()
    assert 'role="img"' in html and "Strengths" in html and "leans on pay" not in html

    # A role with an override: this role cannot be remote.
    html = client.get(reverse("employers:role_create")).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post(
        reverse("employers:role_create"),
        {
            "token": token,
            "title": "Barista",
            "hours_per_week": "24",
            "location": "Lower Water Street",
            "region": "halifax",
            "pay_min": "16.50",
            "pay_max": "18.00",
            "pay_period": "hour",
        },
    )
    role = JobRole.objects.get(title="Barista")
    remote = Item.objects.get(factor__version=current_version(), code="arrange-remote-hybrid")
    client.post(reverse("employers:role_offer", args=[role.pk]), {f"offer-{remote.pk}": "0"})
    assert role_effective_offer(role=role)[remote.identity] == 0

    # The posting: generated, checked, edited, saved, checked again; then publish.
    html = client.get(reverse("employers:posting_edit", args=[role.pk])).content.decode()
    assert "Barista at Harbourview Café" in html
    assert "Your text says something about all six factors." in html
    assert "We allow remote or hybrid work" not in html
    draft = unescape(re.search(r"<textarea[^>]*>\s*(.*?)</textarea>", html, re.S).group(1))
    edited = draft.replace("Why work with us", "Why work with us (we are a competitive team)")
    check = client.post(
        reverse("employers:posting_check", args=[role.pk]),
        {"language": "en", "text": edited},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "competitive" in check
    assert (
        client.post(
            reverse("employers:posting_edit", args=[role.pk]), {"language": "en", "text": edited}
        ).status_code
        == 302
    )
    client.post(reverse("employers:role_publish", args=[role.pk]))
    role.refresh_from_db()
    assert role.status == "published"
    download = client.get(reverse("employers:posting_download", args=[role.pk]))
    assert "we are a competitive team" in download.content.decode()

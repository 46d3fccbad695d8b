"""Magnetic job postings: the generator, the checker (with known gender-coded examples),
and the editor page with its htmx check, plain-POST check, save and download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from employers.models import JobPosting, OfferAnswer, PayPeriod, RoleNeed, RoleOfferOverride
from employers.postings import gender_patterns, posting_check, posting_draft
from employers.selectors import role_factors
from factors.models import Factor
from factors.selectors import current_version
from tests.employers.conftest import answer_everything, make_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def factors(db) -> list[Factor]:
    return list(current_version().factors.order_by("order"))


def check(text: str, factors, language: str = "en"):
    return posting_check(text=text, language=language, factors=factors)


# --- The checker: gender-coded words -----------------------------------------------------------


def test_masculine_coded_words_from_the_paper_are_flagged(factors):
    result = check(
        "We want a competitive, ambitious leader who is decisive and self-confident. "
        "Competitive pay.",
        factors,
    )
    words = {w.word: w.count for w in result.masculine}
    assert words == {
        "competitive": 2,
        "ambitious": 1,
        "leader": 1,
        "decisive": 1,
        "self-confident": 1,  # counted once, not again as "confident"
    }
    assert result.verdict == "masculine" and result.feminine == []


def test_feminine_coded_words_are_flagged_including_gender_decoder_additions(factors):
    result = check("A supportive, collaborative team, committed to sharing and trust.", factors)
    assert {w.word for w in result.feminine} == {
        "supportive",
        "collaborative",
        "committed",
        "sharing",
        "trust",
    }
    assert result.verdict == "feminine"


def test_words_without_a_star_match_whole_words_only(factors):
    # "kind" and "active" are exact words in the paper's list; "kindness" and "actively" are not.
    result = check("Kindness matters. We actively listen. A kind and active crew.", factors)
    assert [w.word for w in result.feminine] == ["kind"]
    assert [w.word for w in result.masculine] == ["active"]


def test_balanced_and_neutral_verdicts(factors):
    assert check("A competitive and supportive place.", factors).verdict == "balanced"
    assert check("Cook eggs. Wash dishes.", factors).verdict == "neutral"


def test_case_is_ignored(factors):
    assert [w.word for w in check("LEADERSHIP role", factors).masculine] == ["leadership"]


def test_french_uses_its_own_list_with_accents_ignored(factors):
    result = check(
        "Personne compétitive et ambitieuse, leader, bienveillante et chaleureuse.",
        factors,
        language="fr",
    )
    assert {w.word for w in result.masculine} == {"competitive", "ambitieuse", "leader"}
    assert {w.word for w in result.feminine} == {"bienveillante", "chaleureuse"}
    # The English list is not applied to French text.
    assert check("support", factors, language="fr").feminine == []


def test_the_shipped_lists_hold_the_papers_stems():
    english = gender_patterns("en")
    masculine = {p.entry for p in english["masculine"]}
    feminine = {p.entry for p in english["feminine"]}
    assert {"compet*", "lead*", "ambitio*", "assert*", "decisive"} <= masculine
    assert {"support*", "collab*", "nurtur*", "understand*", "honest"} <= feminine
    assert masculine.isdisjoint(feminine)


# --- The checker: factors left out ------------------------------------------------------------


def test_missing_factors_are_listed(factors):
    result = check("We pay $19 an hour and offer a flexible schedule.", factors)
    assert [f.key for f in result.covered] == ["work_arrangements", "pay_benefits"]
    assert [f.key for f in result.missing] == [
        "values",
        "culture",
        "skills_competencies",
        "productivity_engagement",
    ]


def test_a_dollar_amount_alone_covers_pay(factors):
    assert "pay_benefits" in [f.key for f in check("Starts at $18.", factors).covered]
    assert "pay_benefits" in [
        f.key for f in check("À partir de 18 $.", factors, language="fr").covered
    ]


def test_multi_word_entries_must_appear_together(factors):
    assert "work_arrangements" in [f.key for f in check("Ask for time off.", factors).covered]
    assert "work_arrangements" not in [f.key for f in check("Off we go, in time.", factors).covered]


def test_empty_text_covers_nothing(factors):
    result = check("", factors)
    assert result.covered == [] and len(result.missing) == 6 and result.verdict == "neutral"


# --- The generator ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("offer", [None, 0, 1, 2])
def test_draft_covers_every_factor_whatever_the_offer(cast, factors, language, offer):
    if offer is not None:
        answer_everything(cast.organisation, offer=offer)
    role = make_role(cast.organisation)
    text = posting_draft(role=role, factors=role_factors(role=role), language=language)
    assert check(text, factors, language).missing == []


def test_draft_leads_with_what_the_business_offers_beyond_pay(cast, items):
    answer_everything(cast.organisation, offer=2, need=0)
    OfferAnswer.objects.filter(item=items["arrange-flexible-start"]).update(
        example="every second Friday off"
    )
    OfferAnswer.objects.filter(item=items["engage-reliable"]).update(level=3)
    role = make_role(cast.organisation)
    text = posting_draft(role=role, factors=role_factors(role=role), language="en")
    lead = text.index("Why work with us")
    assert lead < text.index("Pay and benefits") and lead < text.index("What we value")
    highlights = text[lead : text.index("About the job")]
    assert "Every second Friday off." in highlights  # the concrete example leads
    assert "wage" not in highlights and "pay" not in highlights.lower().replace("paycheque", "")
    assert "For example: every second Friday off." in text
    assert "- Pay: $17.50 to $21.00 an hour." in text
    assert "- Must have: someone reliable who shows up on time." in text
    assert "Cook breakfast and lunch for the café." in text
    assert text.startswith("Line cook at Harbour Café\nWater Street, Halifax · 32 hours a week")


def test_draft_applies_role_overrides_and_own_needs(cast, items):
    answer_everything(cast.organisation, offer=2, need=0)
    role = make_role(cast.organisation)
    RoleOfferOverride.objects.create(role=role, item=items["arrange-remote-hybrid"], level=0)
    RoleNeed.objects.create(role=role, item=items["skills-hands-on"], level=3)
    text = posting_draft(role=role, factors=role_factors(role=role), language="en")
    assert "We allow remote or hybrid work" not in text
    assert "We offer part-time jobs." in text
    assert "Must have: someone who is handy with tools or machines." in text


def test_draft_says_ask_us_for_a_factor_with_nothing_offered(cast):
    role = make_role(cast.organisation)
    text = posting_draft(role=role, factors=role_factors(role=role), language="en")
    assert "Ask us how we welcome new people and treat each other." in text
    assert "we want to offer more than a paycheque" in text


def test_french_draft_is_in_french(cast, items):
    answer_everything(cast.organisation, offer=2)
    role = make_role(cast.organisation)
    text = posting_draft(role=role, factors=role_factors(role=role), language="fr")
    assert "Nous offrons des postes à temps partiel." in text
    assert "Nos valeurs" in text or "Ce qui compte pour nous" in text
    assert "17,50" in text and "Why work with us" not in text


def test_yearly_pay_line(cast):
    role = make_role(cast.organisation, pay_min="45000", pay_max="52000", pay_period=PayPeriod.YEAR)
    text = posting_draft(role=role, factors=role_factors(role=role), language="en")
    assert "Pay: $45,000 to $52,000 a year" in text


# --- The editor page --------------------------------------------------------------------------


def posting_url(role) -> str:
    return reverse("employers:posting_edit", args=[role.pk])


def check_url(role) -> str:
    return reverse("employers:posting_check", args=[role.pk])


def test_editor_shows_an_unsaved_draft_and_its_check(cast):
    role = make_role(cast.organisation)
    html = cast.client_for(cast.employer).get(posting_url(role)).content.decode()
    assert "It is not saved yet" in html and "Line cook at Harbour Café" in html
    assert "Your text says something about all six factors." in html
    assert f'hx-post="{check_url(role)}"' in html and 'name="action" value="check"' in html
    assert 'data-copy-target="id_text"' in html and "hidden>" in html
    assert "employers/employers.js" in html and "<script>" not in html
    assert not JobPosting.objects.exists()


def test_save_then_the_checker_runs_on_the_saved_text(cast):
    role = make_role(cast.organisation)
    client = cast.client_for(cast.employer)
    response = client.post(
        posting_url(role),
        {"language": "en", "text": "Join our competitive crew.\r\nWe pay $20."},
    )
    assert response.status_code == 302
    posting = JobPosting.objects.get(role=role)
    assert posting.text == "Join our competitive crew.\nWe pay $20."
    assert posting.updated_by == cast.employer
    html = client.get(posting_url(role)).content.decode()
    assert "It is not saved yet" not in html
    assert "competitive" in html and "Your text leans masculine" in html
    assert "<li>Values</li>" in html  # the checker lists what the saved text leaves out


def test_saving_twice_keeps_one_posting(cast):
    role = make_role(cast.organisation)
    client = cast.client_for(cast.employer)
    for text in ("First", "Second"):
        client.post(posting_url(role), {"language": "en", "text": text})
    assert list(JobPosting.objects.values_list("text", flat=True)) == ["Second"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"language": "en", "text": "   "}, "The posting is empty"),
        ({"language": "en", "text": "x" * 10_001}, "10000 characters or fewer"),
        ({"language": "de", "text": "Hello"}, "Select a valid choice"),
        ({"text": "Hello"}, "This field is required"),
    ],
)
def test_bad_saves_are_refused_and_nothing_saved(cast, data, message):
    role = make_role(cast.organisation)
    JobPosting.objects.create(role=role, text="Kept", language="en")
    response = cast.client_for(cast.employer).post(posting_url(role), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert JobPosting.objects.get(role=role).text == "Kept"


def test_htmx_check_returns_the_results_only_and_saves_nothing(cast):
    role = make_role(cast.organisation)
    response = cast.client_for(cast.employer).post(
        check_url(role),
        {"language": "en", "text": "An ambitious leader. Flexible hours."},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "ambitious" in html and "leader" in html
    assert 'id="check-summary" hx-swap-oob="innerHTML"' in html
    assert "Covers 1 of 6 factors. 2 masculine-coded words." in " ".join(html.split())
    assert not JobPosting.objects.exists()


@pytest.mark.parametrize("how", ["button", "check-url"])
def test_plain_post_check_without_javascript_returns_the_page_with_the_text(cast, how):
    role = make_role(cast.organisation)
    JobPosting.objects.create(role=role, text="Kept", language="en")
    data = {"language": "en", "text": "We need a dominant fighter."}
    client = cast.client_for(cast.employer)
    if how == "button":  # "Check my text without saving" posts the editor with action=check
        response = client.post(posting_url(role), {**data, "action": "check"})
    else:
        response = client.post(check_url(role), data)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "We need a dominant fighter.</textarea>" in html
    assert "dominant" in html and "fighter" in html
    assert JobPosting.objects.get(role=role).text == "Kept"


def test_plain_post_check_of_too_long_text_says_so_and_saves_nothing(cast):
    role = make_role(cast.organisation)
    response = cast.client_for(cast.employer).post(
        posting_url(role), {"language": "en", "text": "x" * 10_001, "action": "check"}
    )
    assert response.status_code == 422
    assert "10000 characters or fewer" in response.content.decode()
    assert not JobPosting.objects.exists()


def test_fresh_draft_in_french_does_not_touch_the_saved_text(cast):
    role = make_role(cast.organisation)
    JobPosting.objects.create(role=role, text="Our words", language="en")
    html = cast.client_for(cast.employer).get(posting_url(role) + "?fresh=1&language=fr")
    html = html.content.decode()
    assert "Line cook chez Harbour Café" in html or "Line cook à Harbour Café" in html
    assert "It is not saved yet" in html
    assert JobPosting.objects.get(role=role).text == "Our words"


def test_download_is_plain_text_of_the_saved_posting(cast):
    role = make_role(cast.organisation, title="Line cook / prep")
    client = cast.client_for(cast.employer)
    url = reverse("employers:posting_download", args=[role.pk])
    draft = client.get(url)
    assert draft["Content-Type"] == "text/plain; charset=utf-8"
    assert "Line cook / prep at Harbour Café" in draft.content.decode()
    JobPosting.objects.create(role=role, text="Café crew wanted — apply today.", language="en")
    response = client.get(url)
    assert response.content.decode() == "Café crew wanted — apply today."
    assert response["Content-Disposition"] == (
        f'attachment; filename="posting-{role.pk}-line-cook-prep.txt"'
    )

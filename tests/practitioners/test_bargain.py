"""The workplace bargain: drafted from both profiles and the fit map, edited, agreed by both
sides, printed as a PDF in the reader's language, revisited; only for the right people."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from practitioners.models import Bargain, BargainRevisit, BargainTerm, TermOutcome
from practitioners.services import WorkspaceError
from practitioners.services.bargains import (
    bargain_agreement_record,
    bargain_revisit_record,
    bargain_start,
    bargain_terms_save,
)
from practitioners.services.placements import placement_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(cast, hired):
    role, _ = hired
    return placement_record(
        by=cast.practitioner,
        seeker=cast.seeker,
        role=role,
        started_on=timezone.localdate(),
        hours_per_week=Decimal("32"),
        wage=Decimal("18.50"),
        wage_period="hour",
    )


@pytest.fixture
def bargain(cast, placement):
    return bargain_start(placement=placement, by=cast.practitioner, language="en")


def _url(name, placement):
    return reverse(f"practitioners:{name}", args=[placement.pk])


def _agree(cast, bargain):
    today = timezone.localdate()
    return bargain_agreement_record(
        bargain=bargain,
        by=cast.practitioner,
        worker_agreed_on=today,
        employer_agreed_on=today,
        employer_agreed_by="Ada Owner",
    )


# --- Generation ----------------------------------------------------------------------------


def test_draft_has_one_term_per_factor_from_both_profiles(cast, bargain):
    from factors.models import Item
    from factors.selectors import current_version

    terms = {t.factor_key: t.text for t in bargain.terms.all()}
    assert len(terms) == 6
    # The seeker must-haves every need and the business offers everything: each offered
    # item appears in the employer's words, and the seeker's strengths the business needs.
    offered = Item.objects.filter(
        factor__version=current_version(), factor__key="work_arrangements", direction="worker_needs"
    ).first()
    assert "The employer offers:" in terms["work_arrangements"]
    assert str(offered.employer_text).rstrip(".") in terms["work_arrangements"]
    assert "The worker brings:" in terms["skills_competencies"]


def test_draft_in_french_when_the_bargain_is_written_in_french(cast, placement):
    bargain = bargain_start(placement=placement, by=cast.practitioner, language="fr")
    text = bargain.terms.get(factor_key="work_arrangements").text
    assert "L'employeur offre" in text
    assert "The employer offers" not in text


def test_gaps_in_the_fit_map_become_things_to_work_on(cast, hired):
    _role, role2 = hired
    cast.seeker2.practitioner = cast.practitioner
    cast.seeker2.save()
    # role2's business only "could offer" anything: the seeker's needs are still to agree
    # on, and must-haves not offered push apart.
    placement = placement_record(
        by=cast.practitioner,
        seeker=cast.seeker,
        role=role2,
        started_on=timezone.localdate(),
        hours_per_week=Decimal("20"),
        wage=Decimal("40000"),
        wage_period="year",
    )
    bargain = bargain_start(placement=placement, by=cast.practitioner, language="en")
    texts = " ".join(bargain.terms.values_list("text", flat=True))
    assert "To agree on:" in texts


def test_starting_twice_keeps_the_first(cast, placement, bargain):
    again = bargain_start(placement=placement, by=cast.practitioner, language="fr")
    assert again.pk == bargain.pk and Bargain.objects.count() == 1


# --- Edit and agreement --------------------------------------------------------------------


def test_edit_saves_every_term_and_clears_agreement(cast, bargain):
    _agree(cast, bargain)
    texts = {t.factor_key: t.text for t in bargain.terms.all()}
    texts["values"] = "Both sides value honesty. Weekly check-in on Fridays."
    assert bargain_terms_save(bargain=bargain, by=cast.practitioner, texts=texts)
    bargain.refresh_from_db()
    assert bargain.terms.get(factor_key="values").text.startswith("Both sides value honesty")
    assert bargain.worker_agreed_on is None and bargain.employer_agreed_on is None


def test_saving_the_same_text_keeps_the_agreement(cast, bargain):
    _agree(cast, bargain)
    texts = {t.factor_key: t.text for t in bargain.terms.all()}
    assert not bargain_terms_save(bargain=bargain, by=cast.practitioner, texts=texts)
    bargain.refresh_from_db()
    assert bargain.is_agreed


def test_edit_with_an_empty_or_unknown_term_saves_nothing(cast, bargain):
    texts = {t.factor_key: "changed" for t in bargain.terms.all()}
    texts["values"] = "   "
    with pytest.raises(WorkspaceError):
        bargain_terms_save(bargain=bargain, by=cast.practitioner, texts=texts)
    texts["values"] = "fine"
    texts["made_up"] = "x"
    with pytest.raises(WorkspaceError):
        bargain_terms_save(bargain=bargain, by=cast.practitioner, texts=texts)
    assert not BargainTerm.objects.filter(text="changed").exists()


def test_edit_page_round_trip(cast, placement, bargain):
    client = cast.client_for(cast.practitioner)
    page = client.get(_url("bargain_edit", placement))
    assert page.status_code == 200
    data = {f"term-{t.factor_key}": t.text for t in bargain.terms.all()}
    data["term-culture"] = "We say hello every morning."
    response = client.post(_url("bargain_edit", placement), data)
    assert response.status_code == 302
    detail = client.get(_url("placement_detail", placement)).content.decode()
    assert "We say hello every morning." in detail


def test_edit_page_refuses_a_missing_term_with_a_clear_error(cast, placement, bargain):
    data = {f"term-{t.factor_key}": t.text for t in bargain.terms.all()}
    data["term-culture"] = ""
    data["term-values"] = "x" * 3001
    response = cast.client_for(cast.practitioner).post(_url("bargain_edit", placement), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Write what both sides expect" in html and "Keep it under 3000 characters" in html
    assert not BargainTerm.objects.filter(text="x" * 3001).exists()


def test_start_page_creates_the_draft_in_the_chosen_language(cast, placement):
    client = cast.client_for(cast.practitioner)
    assert "Write the first draft" in client.get(_url("bargain_edit", placement)).content.decode()
    response = client.post(_url("bargain_edit", placement), {"language": "fr"})
    assert response.status_code == 302
    assert Bargain.objects.get().language == "fr"
    # Once started, the page edits the terms; a stray language field changes nothing.
    assert client.post(_url("bargain_edit", placement), {"language": "de"}).status_code == 400
    assert Bargain.objects.get().language == "fr"


def test_agreement_is_recorded_with_dates_and_the_employers_name(cast, placement, bargain):
    client = cast.client_for(cast.practitioner)
    today = timezone.localdate().isoformat()
    response = client.post(
        _url("bargain_agreement", placement),
        {"worker_agreed_on": today, "employer_agreed_on": today, "employer_agreed_by": "Ada"},
    )
    assert response.status_code == 302
    bargain.refresh_from_db()
    assert bargain.is_agreed and bargain.employer_agreed_by == "Ada"
    assert bargain.agreement_recorded_by == cast.practitioner
    html = client.get(_url("placement_detail", placement)).content.decode()
    assert "The employer agreed on" in html and "Revisit the bargain" in html


@pytest.mark.parametrize(
    "data",
    [
        {"worker_agreed_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
        {"employer_agreed_on": timezone.localdate().isoformat(), "employer_agreed_by": ""},
        {"worker_agreed_on": "yesterday"},
    ],
)
def test_bad_agreement_is_refused(cast, placement, bargain, data):
    response = cast.client_for(cast.practitioner).post(_url("bargain_agreement", placement), data)
    assert response.status_code == 400
    bargain.refresh_from_db()
    assert bargain.worker_agreed_on is None and bargain.employer_agreed_on is None


# --- Revisit -------------------------------------------------------------------------------


def _revisit_post(bargain, **overrides):
    data = {"revisited_on": timezone.localdate().isoformat(), "note": "Three months in."}
    for term in bargain.terms.all():
        data[f"outcome-{term.factor_key}"] = TermOutcome.KEPT
        data[f"note-{term.factor_key}"] = ""
    data["outcome-work_arrangements"] = TermOutcome.BROKEN
    data["note-work_arrangements"] = "Schedule changes every week."
    data.update(overrides)
    return data


def test_revisit_needs_agreement_first(cast, placement, bargain):
    client = cast.client_for(cast.practitioner)
    html = client.get(_url("bargain_revisit", placement)).content.decode()
    assert "Record that both sides agreed" in html
    response = client.post(_url("bargain_revisit", placement), _revisit_post(bargain))
    assert response.status_code == 400
    assert not BargainRevisit.objects.exists()


def test_revisit_records_kept_changed_broken_per_factor(cast, placement, bargain):
    _agree(cast, bargain)
    client = cast.client_for(cast.practitioner)
    response = client.post(_url("bargain_revisit", placement), _revisit_post(bargain))
    assert response.status_code == 302
    revisit = BargainRevisit.objects.get()
    outcomes = dict(revisit.terms.values_list("factor_key", "outcome"))
    assert len(outcomes) == 6 and outcomes["work_arrangements"] == TermOutcome.BROKEN
    html = client.get(_url("placement_detail", placement)).content.decode()
    assert "Broken — Schedule changes every week." in html


def test_revisit_with_a_factor_missing_or_unknown_outcome_saves_nothing(cast, placement, bargain):
    _agree(cast, bargain)
    client = cast.client_for(cast.practitioner)
    data = _revisit_post(bargain)
    del data["outcome-values"]
    assert client.post(_url("bargain_revisit", placement), data).status_code == 400
    data = _revisit_post(bargain, **{"outcome-values": "forgotten"})
    assert client.post(_url("bargain_revisit", placement), data).status_code == 400
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = _revisit_post(bargain, revisited_on=future)
    assert client.post(_url("bargain_revisit", placement), data).status_code == 400
    with pytest.raises(WorkspaceError):
        bargain_revisit_record(
            bargain=bargain,
            by=cast.practitioner,
            revisited_on=timezone.localdate(),
            note="",
            outcomes={"values": ("kept", "")},
        )
    assert not BargainRevisit.objects.exists()


# --- Permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bargain_edit", "bargain_agreement", "bargain_revisit"])
def test_stranger_404_wrong_role_403_colleague_403(cast, placement, bargain, colleague, name):
    url = _url(name, placement)
    assert cast.client_for(cast.practitioner2).get(url).status_code == 404
    assert cast.client_for(cast.practitioner2).post(url, {}).status_code == 404
    assert cast.client_for(cast.seeker.user).get(url).status_code == 403
    assert cast.client_for(cast.employer).get(url).status_code == 403
    assert cast.client_for(colleague).get(url).status_code == 403
    assert cast.client_for(colleague).post(url, {}).status_code == 403
    assert cast.client_for(cast.practitioner).get(url).status_code == 200
    assert cast.client_for(cast.admin).get(url).status_code == 200
    missing = reverse(f"practitioners:{name}", args=[999999])
    assert cast.client_for(cast.practitioner).get(missing).status_code == 404
    assert cast.client_for(cast.practitioner).put(url).status_code == 405


def test_services_refuse_a_practitioner_of_neither_side(cast, placement, bargain):
    with pytest.raises(PermissionDenied):
        bargain_start(placement=placement, by=cast.practitioner2, language="en")
    with pytest.raises(PermissionDenied):
        _agree(type("C", (), {"practitioner": cast.practitioner2})(), bargain)


def test_the_employers_practitioner_may_work_on_the_bargain(cast, hired):
    _role, role2 = hired
    placement = placement_record(
        by=cast.practitioner,
        seeker=cast.seeker,
        role=role2,
        started_on=timezone.localdate(),
        hours_per_week=Decimal("20"),
        wage=Decimal("20"),
        wage_period="hour",
    )
    response = cast.client_for(cast.practitioner2).get(_url("bargain_edit", placement))
    assert response.status_code == 200


# --- The PDF -------------------------------------------------------------------------------


def _pdf(cast, bargain, language):
    from reports.documents import report_pdf
    from reports.models import Report
    from tests.reports.conftest import pdf_text

    report = Report(
        owner=cast.practitioner,
        kind="bargain",
        params={"placement": bargain.placement_id},
        language=language,
        title="Bargain",
    )
    return pdf_text(report_pdf(report=report))


def test_pdf_holds_the_terms_and_the_agreement(cast, bargain):
    texts = {t.factor_key: t.text for t in bargain.terms.all()}
    texts["culture"] = "We say hello every morning."
    bargain_terms_save(bargain=bargain, by=cast.practitioner, texts=texts)
    _agree(cast, bargain)
    text = " ".join(_pdf(cast, bargain, "en").split())
    assert "Workplace bargain" in text
    assert "We say hello every morning." in text
    assert "Ada Owner agreed for Harbour Café" in text
    assert "Culture" in text and "Pay & benefits" in text


def test_pdf_in_french_for_a_french_reader(cast, placement):
    bargain = bargain_start(placement=placement, by=cast.practitioner, language="fr")
    text = " ".join(_pdf(cast, bargain, "fr").split())
    assert "Entente de travail" in text
    assert "Rémunération et avantages" in text
    assert "L'employeur offre" in text
    assert "What we agree" not in text


def test_pdf_request_through_the_pipeline(cast, placement, bargain):
    from reports.models import Report

    client = cast.client_for(cast.practitioner)
    response = client.post(reverse("reports:request"), {"kind": "bargain", "subject": placement.pk})
    assert response.status_code == 302
    report = Report.objects.get(kind="bargain")
    assert report.params == {"placement": placement.pk}
    stranger = cast.client_for(cast.practitioner2)
    refused = stranger.post(
        reverse("reports:request"), {"kind": "bargain", "subject": placement.pk}
    )
    assert refused.status_code == 404
    seeker = cast.client_for(cast.seeker.user)
    assert seeker.post(reverse("reports:request"), {"kind": "bargain"}).status_code in (400, 403)


def test_revisit_without_a_bargain_says_so_and_links_to_writing_one(cast, placement):
    client = cast.client_for(cast.practitioner)
    response = client.get(_url("bargain_revisit", placement))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No workplace bargain was written" in html
    assert _url("bargain_edit", placement) in html
    assert client.post(_url("bargain_revisit", placement), {}).status_code == 409
    assert not BargainRevisit.objects.exists()


def test_a_revisit_posted_twice_is_recorded_once(cast, placement, bargain):
    """A double click on "record" leaves one revisit; the second post says why."""
    _agree(cast, bargain)
    client = cast.client_for(cast.practitioner)
    data = _revisit_post(bargain)
    assert client.post(_url("bargain_revisit", placement), data).status_code == 302
    again = client.post(_url("bargain_revisit", placement), data)
    assert again.status_code == 400
    assert "already recorded" in again.content.decode()
    assert BargainRevisit.objects.count() == 1

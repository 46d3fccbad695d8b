"""The PDFs themselves: the right names, factors and language; tagged for accessibility;
Letter with page numbers; system fonts; nothing fetched; everything people typed escaped."""

from __future__ import annotations

import io
import logging

import pikepdf
import pytest

from factors.scales import FactorKey
from reports.documents import report_pdf
from reports.models import Report
from reports.pdf import BASE_URL, html_to_pdf, static_file_for
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

ENGLISH_FACTORS = [str(label) for label in FactorKey.labels]
FRENCH_FACTORS = [
    "Valeurs",
    "Culture",
    "Modalités de travail",
    "Habiletés et compétences",
    "Productivité et engagement",
    "Rémunération et avantages",
]


def _report(owner, kind, params, language="en", title="A title") -> Report:
    return Report(owner=owner, kind=kind, params=params, language=language, title=title)


def test_seeker_profile_holds_the_name_every_factor_and_the_answers(answered):
    seeker = answered.seeker
    report = _report(seeker.user, "seeker_profile", {"seeker": seeker.pk}, title="Profile")
    text = pdf_text(report_pdf(report=report))
    assert "My Magnetic Profile" in text
    assert "Zoë" in text
    for name in ["Values", "Culture", "Work arrangements", "Pay & benefits"]:
        assert name in text
    for heading in ["My must-haves", "Deal-breakers for me", "What I offer", "Talking points"]:
        assert heading in text
    assert "Must have" in text  # answers read on the scale, in words
    assert "version 1 of the Magnetic Factors framework" in text
    assert "Valeurs" not in text


def test_seeker_profile_in_french_is_french_throughout(answered):
    seeker = answered.seeker
    report = _report(seeker.user, "seeker_profile", {"seeker": seeker.pk}, language="fr")
    text = pdf_text(report_pdf(report=report))
    for name in FRENCH_FACTORS:
        assert name in text
    assert "Mon profil magnétique" in text
    assert "Ce que j\u2019offre" in text
    assert "What I offer" not in text and "Must have" not in text


def test_everything_people_typed_is_printed_as_text_not_markup(answered):
    seeker = answered.seeker
    report = _report(seeker.user, "seeker_profile", {"seeker": seeker.pk})
    text = pdf_text(report_pdf(report=report))
    assert "<b>bold</b>" in text
    assert '<script>alert("x")</script>' in text.replace("\n", "")
    offer = _report(answered.employer, "employer_offer", {"organisation": answered.organisation.pk})
    assert "<b>bold</b>" in pdf_text(report_pdf(report=offer))


def test_employer_offer_holds_the_business_and_every_factor(answered):
    report = _report(
        answered.employer, "employer_offer", {"organisation": answered.organisation.pk}
    )
    text = pdf_text(report_pdf(report=report))
    assert "Harbour Café" in text and "What we offer" in text
    for name in ENGLISH_FACTORS:
        assert name in text
    assert "Our strengths" in text and "Beyond pay" in text


def test_employer_offer_in_french(answered):
    report = _report(
        answered.employer,
        "employer_offer",
        {"organisation": answered.organisation.pk},
        language="fr",
    )
    text = pdf_text(report_pdf(report=report))
    assert "Ce que nous offrons" in text
    assert all(name in text for name in FRENCH_FACTORS)


def test_an_empty_profile_says_not_answered_rather_than_zero(cast):
    report = _report(cast.seeker2.user, "seeker_profile", {"seeker": cast.seeker2.pk})
    text = pdf_text(report_pdf(report=report))
    assert "Not answered yet" in text
    assert "0 of" in text  # "0 of 73 questions answered", and no invented numbers


@pytest.mark.parametrize("language", ["en", "fr"])
def test_pdf_is_tagged_with_title_and_language(answered, language):
    report = _report(
        answered.seeker.user,
        "seeker_profile",
        {"seeker": answered.seeker.pk},
        language=language,
        title="Profil — Zoë" if language == "fr" else "Profile — Zoë",
    )
    pdf = pikepdf.open(io.BytesIO(report_pdf(report=report)))
    root = pdf.Root
    assert "/StructTreeRoot" in root and len(root.StructTreeRoot.K) > 0
    assert bool(root.MarkInfo.Marked) is True
    assert str(root.Lang) == language
    assert str(pdf.docinfo.Title) == report.title
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    with pdf.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1"
    # Lists are drawn without markers (render time) but still tagged as lists.
    tags = _structure_tags(root.StructTreeRoot)
    assert {"/L", "/LI", "/LBody", "/H1", "/H2", "/Figure"} <= tags


def _structure_tags(node) -> set[str]:
    tags = set()
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            tags.add(str(kid.S))
            tags |= _structure_tags(kid)
    return tags


def test_letter_pages_numbered_with_system_fonts(answered):
    report = _report(answered.seeker.user, "seeker_profile", {"seeker": answered.seeker.pk})
    data = report_pdf(report=report)
    pdf = pikepdf.open(io.BytesIO(data))
    assert len(pdf.pages) >= 2
    for page in pdf.pages:
        assert [round(float(v)) for v in page.MediaBox] == [0, 0, 612, 792]
    fonts = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
    assert fonts and all("Liberation-Sans" in name for name in fonts)  # system fonts only
    text = pdf_text(data)
    assert f"Page 1 of {len(pdf.pages)}" in text and f"Page 2 of {len(pdf.pages)}" in text


def test_page_numbers_and_chart_data_in_french(answered):
    report = _report(
        answered.seeker.user, "seeker_profile", {"seeker": answered.seeker.pk}, language="fr"
    )
    data = report_pdf(report=report)
    pages = len(pikepdf.open(io.BytesIO(data)).pages)
    text = pdf_text(data)
    assert f"Page 1 de {pages}" in text and f"Page {pages} de {pages}" in text
    assert "Valeurs\u00a0: " in text or "Valeurs : " in text  # the chart's data, as a list


@pytest.mark.parametrize("language", ["en", "fr"])
def test_page_words_keep_the_page_before_the_count(language):
    from django.utils import translation

    from reports.documents import page_words

    with translation.override(language):
        words = page_words()
    assert words["before"].strip() == "Page" and words["between"].strip() in {"of", "de"}


def test_fetcher_serves_project_static_files_only():
    assert static_file_for(BASE_URL + "static/reports/print.css") is not None
    refused = [
        "http://example.org/x.png",
        "https://example.org/static/reports/print.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        BASE_URL + "static/../thriving/settings.py",
        BASE_URL + "static/%2e%2e/thriving/settings.py",
        BASE_URL + "static//etc/passwd",
        BASE_URL + "media/reports/x.pdf",
        BASE_URL + "static/reports/print.css?x=1",
        BASE_URL + "static/does/not/exist.css",
    ]
    assert [url for url in refused if static_file_for(url) is not None] == []


def test_render_fetches_nothing_outside_static(caplog, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the renderer tried to use the network")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    html = (
        '<html lang="en"><head><title>t</title>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        '<body><img src="https://example.org/tracker.png" alt="x"><p>Hello</p></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="thriving.reports"):
        data = html_to_pdf(html)
    assert data.startswith(b"%PDF")
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 3

"""An employer can never see a non-consenting seeker's identity through any page, export or
URL: every URL of the project, the candidates' pages and the employer's own report download
are fetched as the employer and searched for the seeker's name, email and what they wrote —
before consent, after consent (then they show), after withdrawal and after expiry."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from pypdf import PdfReader

from factors.models import Item
from matches import selectors, services
from matches.models import Pair, PairStatus
from reports.models import Report
from seekers import services as seeker_services
from seekers.models import EmployerConsent, EmployerConsentSource
from tests.employers.conftest import answer_everything
from tests.matches.conftest import REFLECTION
from tests.test_url_matrix import project_views

pytestmark = pytest.mark.django_db

NAME = "Zephyrine Quillfeather"
EXAMPLE = "Dockside Diner"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    if data.startswith(b"%PDF"):
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    return data.decode("utf-8", errors="replace")


def _kwargs(route: str, matching, alias: str, report_id) -> dict[str, object]:
    values = {
        "role_id": matching.role.pk,
        "alias": alias,
        "factor_key": "values",
        "item_id": Item.objects.filter(factor__key="values").first().pk,
        "report_id": report_id,
        "kind": "seekers",
        "pk": matching.seeker.pk,
        "seeker_id": matching.seeker.pk,
        "pair_id": Pair.objects.filter(seeker=matching.seeker).values_list("pk", flat=True).first()
        or 1,
        "token": "x",
    }
    import re

    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    return {name: values.get(name, 1) for name in names}


def _employer_pages(matching, alias: str, report_id) -> dict[str, str]:
    """Every GET-able URL of the project as the employer, by path -> body."""
    client = matching.client_for(matching.employer)
    pages = {}
    for route, name, _callback in project_views():
        try:
            path = reverse(name, kwargs=_kwargs(route, matching, alias, report_id))
        except NoReverseMatch:
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        pages[path] = _body(response)
    for extra in ("?page=2", "?page=-1", "?scope=office"):
        path = reverse("employer_matches:role_candidates", args=[matching.role.pk]) + extra
        pages[path] = _body(client.get(path))
    return pages


def _main(content: bytes) -> str:
    """The page's main content without per-request tokens."""
    import re

    text = content.decode()
    text = text[text.index("<main") : text.index("</main>")]
    return re.sub(r'(nonce|value)="[^"]*"', "", text)


def _secrets(matching) -> list[str]:
    return [NAME, matching.seeker.user.email, REFLECTION, EXAMPLE]


def _leaks(pages: dict[str, str], secrets: list[str]) -> list[tuple[str, str]]:
    return [(path, s) for path, body in pages.items() for s in secrets if s in body]


@pytest.fixture
def setting(matching, django_capture_on_commit_callbacks):
    matching.seeker.user.full_name = NAME
    matching.seeker.user.save(update_fields=["full_name"])
    client = matching.client_for(matching.employer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"kind": "employer_offer"})
    report = Report.objects.get(owner=matching.employer)
    alias = services.aliases_for(
        organisation=matching.organisation, seeker_ids=[matching.seeker.pk]
    )[matching.seeker.pk]
    return matching, alias, report.pk


def test_no_identity_before_consent_even_when_interested_or_invited(setting):
    matching, alias, report_id = setting
    services.pair_interest(seeker=matching.seeker, role=matching.role)
    pages = _employer_pages(matching, alias, report_id)
    assert _leaks(pages, _secrets(matching)) == []
    services.pair_invite(
        organisation=matching.organisation, seeker=matching.seeker, role=matching.role
    )
    pages = _employer_pages(matching, alias, report_id)
    assert _leaks(pages, _secrets(matching)) == []
    # The pages are not empty: the candidate is there, under the pseudonym.
    candidates = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    assert f"Candidate {alias}" in pages[candidates]
    assert str(matching.seeker.pk) not in alias


def test_identity_shows_only_while_consent_is_active(setting):
    matching, alias, report_id = setting
    services.pair_invite(
        organisation=matching.organisation, seeker=matching.seeker, role=matching.role
    )
    consent = services.pair_accept(seeker=matching.seeker, role=matching.role)
    assert consent.source == EmployerConsentSource.MATCH
    assert (consent.expires_at - consent.granted_at).days == 365
    pages = _employer_pages(matching, alias, report_id)
    detail = reverse("employer_matches:candidate_detail", args=[matching.role.pk, alias])
    candidates = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    assert NAME in pages[detail] and matching.seeker.user.email in pages[detail]
    assert REFLECTION in pages[detail]
    assert NAME in pages[candidates]
    assert NAME in pages[reverse("employer_matches:home")]
    # Another business still sees nothing.
    other = matching.client_for(matching.employer2)
    role2_page = other.get(reverse("employer_matches:role_candidates", args=[matching.role2.pk]))
    assert NAME not in role2_page.content.decode()

    # Withdrawing hides it again at once.
    seeker_services.consent_withdraw_employer(
        seeker=matching.seeker, organisation=matching.organisation
    )
    pages = _employer_pages(matching, alias, report_id)
    assert _leaks(pages, _secrets(matching)) == []

    # Agreeing again, then twelve months pass: hidden again, with no job needing to run.
    services.pair_accept(seeker=matching.seeker, role=matching.role)
    assert NAME in _employer_pages(matching, alias, report_id)[detail]
    EmployerConsent.objects.filter(seeker=matching.seeker).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    pages = _employer_pages(matching, alias, report_id)
    assert _leaks(pages, _secrets(matching)) == []


def test_withdrawing_data_use_removes_the_candidate(setting):
    matching, alias, _report_id = setting
    seeker_services.consent_withdraw(seeker=matching.seeker, kind="data_use")
    client = matching.client_for(matching.employer)
    detail = reverse("employer_matches:candidate_detail", args=[matching.role.pk, alias])
    assert client.get(detail).status_code == 404
    candidates = client.get(reverse("employer_matches:role_candidates", args=[matching.role.pk]))
    assert f"Candidate {alias}" not in candidates.content.decode()


def test_interested_sends_nothing(matching):
    client = matching.client_for(matching.employer)
    candidates = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    client.get(candidates)  # pseudonyms made
    before = client.get(candidates).content
    seeker = matching.client_for(matching.seeker.user)
    response = seeker.post(reverse("seeker_matches:interested", args=[matching.role.pk]))
    assert response.status_code == 302
    pair = Pair.objects.get(seeker=matching.seeker, role=matching.role)
    assert pair.status == PairStatus.INTERESTED and pair.interested_at is not None
    assert not EmployerConsent.objects.exists()
    after = client.get(candidates).content
    assert _main(before) == _main(after)
    alias = services.aliases_for(
        organisation=matching.organisation, seeker_ids=[matching.seeker.pk]
    )[matching.seeker.pk]
    detail = client.get(
        reverse("employer_matches:candidate_detail", args=[matching.role.pk, alias])
    )
    assert b"interested" not in detail.content.lower()


def test_pseudonyms_are_random_and_per_business(matching):
    first = services.aliases_for(
        organisation=matching.organisation, seeker_ids=[matching.seeker.pk]
    )
    again = services.aliases_for(
        organisation=matching.organisation, seeker_ids=[matching.seeker.pk]
    )
    other = services.aliases_for(
        organisation=matching.organisation2, seeker_ids=[matching.seeker.pk]
    )
    assert first == again
    assert len(first[matching.seeker.pk]) == 6
    assert str(matching.seeker.pk) != first[matching.seeker.pk]
    # Two businesses see different pseudonyms (with 25**6 choices a clash is ~1 in 240 million).
    assert first[matching.seeker.pk] != other[matching.seeker.pk]


def test_the_kept_ranking_never_shows_a_candidate_who_withdrew(setting, monkeypatch):
    """The ranked order is kept a minute; who may be shown is checked on every request."""
    matching, alias, _report_id = setting
    client = matching.client_for(matching.employer)
    candidates = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    assert f"Candidate {alias}" in client.get(candidates).content.decode()
    ranked = []
    monkeypatch.setattr(
        selectors,
        "rank_seekers_for_role",
        lambda **kwargs: ranked.append(kwargs) or pytest.fail("ranked again"),
    )
    seeker_services.consent_withdraw(seeker=matching.seeker, kind="data_use")
    page = client.get(candidates).content.decode()
    assert ranked == []  # served from the kept ranking ...
    assert f"Candidate {alias}" not in page  # ... without the seeker who withdrew


def test_a_change_to_the_role_ranks_again_at_once(setting, monkeypatch):
    matching, _alias, _report_id = setting
    client = matching.client_for(matching.employer)
    candidates = reverse("employer_matches:role_candidates", args=[matching.role.pk])
    client.get(candidates)
    calls = []
    real = selectors.rank_pool_for_role
    monkeypatch.setattr(
        selectors, "rank_pool_for_role", lambda **kwargs: calls.append(1) or real(**kwargs)
    )
    client.get(candidates)
    assert calls == []  # kept
    answer_everything(matching.organisation, offer=0, need=3)  # the business's side changes
    client.get(candidates)
    assert calls == [1]

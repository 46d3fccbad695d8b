"""The employer mindset check: every round kept and dated, change shown, double submits safe."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from employers.models import MindsetAnswer, MindsetRound
from employers.selectors import employer_prompts, mindset_history
from factors.selectors import current_version

pytestmark = pytest.mark.django_db


def answers(prompts, agreement: int, token=None, **extra) -> dict[str, str]:
    data = {f"agreement-{p.pk}": str(agreement) for p in prompts}
    data["token"] = str(token or uuid.uuid4())
    data.update(extra)
    return data


@pytest.fixture
def prompts(db):
    return employer_prompts(version=current_version())


def test_page_asks_every_employer_prompt_only(cast, prompts):
    html = cast.client_for(cast.employer).get(reverse("employers:mindset")).content.decode()
    assert len(prompts) == 12
    assert "People only stay for more money." in html
    assert "Any job will do, as long as it pays." not in html  # a job seeker's prompt
    assert html.count('type="radio"') == 12 * 5
    assert 'name="token"' in html


def test_a_round_is_saved_with_who_answered_and_notes(cast, prompts):
    money = next(p for p in prompts if p.code == "pay-mindset-money-only")
    client = cast.client_for(cast.employer)
    response = client.post(
        reverse("employers:mindset"),
        answers(prompts, 3, **{f"agreement-{money.pk}": "5", f"note-{money.pk}": "Our experience"}),
    )
    assert response.status_code == 302
    mindset_round = MindsetRound.objects.get()
    assert mindset_round.organisation == cast.organisation
    assert mindset_round.answered_by == cast.employer
    assert mindset_round.answers.count() == 12
    saved = mindset_round.answers.get(prompt=money)
    assert (saved.agreement, saved.note) == (5, "Our experience")


def test_double_submit_of_the_same_form_records_one_round(cast, prompts):
    client = cast.client_for(cast.employer)
    data = answers(prompts, 4)
    client.post(reverse("employers:mindset"), data)
    response = client.post(reverse("employers:mindset"), data)
    assert response.status_code == 302
    assert MindsetRound.objects.count() == 1 and MindsetAnswer.objects.count() == 12


def test_a_token_of_another_business_is_refused(cast, prompts):
    data = answers(prompts, 4)
    cast.client_for(cast.employer).post(reverse("employers:mindset"), data)
    response = cast.client_for(cast.employer2).post(reverse("employers:mindset"), data)
    assert response.status_code == 422
    assert not MindsetRound.objects.filter(organisation=cast.organisation2).exists()


def test_every_round_is_kept_and_change_is_shown(cast, prompts):
    money = next(p for p in prompts if p.code == "pay-mindset-money-only")
    start = timezone.now() - timedelta(days=120)
    with time_machine.travel(start, tick=False):
        cast.client_for(cast.employer).post(reverse("employers:mindset"), answers(prompts, 4))
    with time_machine.travel(start + timedelta(days=90), tick=False):  # a new session by then
        cast.client_for(cast.employer).post(
            reverse("employers:mindset"), answers(prompts, 4, **{f"agreement-{money.pk}": "2"})
        )
    client = cast.client_for(cast.employer)
    history = mindset_history(organisation=cast.organisation)
    assert len(history.rounds) == 2
    change = next(c for c in history.changes if c.prompt == money)
    assert (change.first, change.latest, change.changed) == (4, 2, True)
    assert (change.latest_at - change.first_at).days == 90
    html = client.get(reverse("employers:mindset")).content.decode()
    assert "Your answers over time" in html and "You have done the check 2 times." in html
    assert "<strong>changed</strong>" in html


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"agreement": "0"}, "Choose one of the answers shown."),
        ({"agreement": "6"}, "Choose one of the answers shown."),
        ({"agreement": ""}, "Choose how much you agree with this statement."),
        ({"note": "n" * 501}, "Keep the note to 500 characters or fewer."),
        ({"token": "not-a-uuid"}, "This form has expired"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(cast, prompts, override, message):
    first = prompts[0]
    data = answers(prompts, 3)
    for key, value in override.items():
        data[key if key == "token" else f"{key}-{first.pk}"] = value
    response = cast.client_for(cast.employer).post(reverse("employers:mindset"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not MindsetRound.objects.exists() and not MindsetAnswer.objects.exists()


def test_history_query_count_does_not_grow_with_rounds(
    cast, prompts, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = cast.client_for(cast.employer)
    client.post(reverse("employers:mindset"), answers(prompts, 3))
    client.get(reverse("employers:home"))  # warm-up: the first request writes the session
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("employers:mindset"))
    for level in (1, 2, 4, 5, 2):
        client.post(reverse("employers:mindset"), answers(prompts, level))
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("employers:mindset"))
    assert len(large) == len(small)

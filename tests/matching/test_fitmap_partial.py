"""The fit map partial: words for every status, deal-breakers first, missing answers named."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from factors.fitmap_view import fitmap_view
from factors.matching import fit_for
from factors.models import Item
from factors.selectors import current_version
from seekers.models import Answer
from tests.employers.conftest import answer_everything, make_role


def _items():
    return list(Item.objects.filter(factor__version=current_version(), retired=False))


def test_dealbreaker_comes_first_and_statuses_are_words(cast):
    answer_everything(cast.organisation, offer=0, need=1)
    role = make_role(cast.organisation)
    items = _items()
    breaker = next(i for i in items if i.is_need)
    Answer.objects.bulk_create(
        [
            Answer(
                seeker=cast.seeker, item=i, level=2 if i.is_need else 1, dealbreaker=i == breaker
            )
            for i in items
        ]
    )
    html = render_to_string(
        "factors/fitmap.html",
        {"view": fitmap_view(fitmap=fit_for(seeker=cast.seeker, role=role), reader="employer")},
    )
    assert html.index("Deal-breakers") < html.index("Fit for each factor")
    assert f"Deal-breaker: not offered — {breaker.employer_text_en}" in html
    assert "Gap" in html
    assert "out of 100" in html


def test_missing_answers_say_what_is_missing_instead_of_a_number(cast):
    answer_everything(cast.organisation)
    role = make_role(cast.organisation)
    view = fitmap_view(fitmap=fit_for(seeker=cast.seeker, role=role), reader="worker")
    html = render_to_string("factors/fitmap.html", {"view": view})
    assert "Not enough information for an overall fit yet." in html
    assert "Not comparable" in html
    assert "answers missing from the job seeker" in html
    assert "Overall fit" not in html


def test_the_partial_speaks_french(cast):
    answer_everything(cast.organisation)
    role = make_role(cast.organisation)
    with translation.override("fr"):
        view = fitmap_view(fitmap=fit_for(seeker=cast.seeker, role=role), reader="worker")
        html = render_to_string("factors/fitmap.html", {"view": view})
    assert "Not comparable" not in html
    assert "Not enough information" not in html

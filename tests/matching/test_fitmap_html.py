"""The fit map written in Python (``factors.fitmap_html``, used by the ranked pages) is the
markup of the template partial, word for word and escaped alike, in both languages."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from factors.fitmap_html import fitmap_html
from factors.fitmap_view import FactorRow, FitMapView, fitmap_view
from factors.matching import fit_for
from factors.models import Item
from factors.selectors import current_version
from seekers.models import Answer
from tests.employers.conftest import answer_everything, make_role

HOSTILE = '<b>Tom & "Jerry"</b> l\'équipe'


def _template(view: FitMapView, label: object) -> str:
    return render_to_string("matches/includes/fitmap.html", {"view": view, "label": label})


def _same(view: FitMapView, label: object = "") -> None:
    def flat(html: str) -> str:
        return re.sub(r"\s+", " ", html)

    assert flat(fitmap_html(view, label)) == flat(_template(view, label))


def _row(status: str, **overrides: object) -> FactorRow:
    values: dict[str, object] = {
        "key": "values",
        "name": HOSTILE,
        "status": status,
        "status_label": HOSTILE,
        "fit_percent": 73,
        "attracts": [HOSTILE],
        "pushes": [HOSTILE, "second"],
        "discuss": [HOSTILE],
        "missing": "",
    }
    values.update(overrides)
    return FactorRow(**values)  # type: ignore[arg-type]


VIEWS = {
    "everything": FitMapView(
        score=61,
        dealbreakers=[HOSTILE],
        factors=[_row("gap"), _row("aligned", attracts=[], discuss=[], pushes=[])],
        across_versions=True,
        missing_factors=[],
    ),
    "not enough": FitMapView(
        score=None,
        dealbreakers=[],
        factors=[_row("not_comparable", fit_percent=None, missing=HOSTILE, pushes=[])],
        across_versions=False,
        missing_factors=[HOSTILE, "Pay"],
    ),
    "not enough, nothing named": FitMapView(
        score=None, dealbreakers=[], factors=[], across_versions=False, missing_factors=[]
    ),
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("name", list(VIEWS))
@pytest.mark.parametrize("label", ["", HOSTILE, 42])
def test_python_fitmap_equals_the_template(name, label, language):
    with translation.override(language):
        _same(VIEWS[name], label)


def test_escapes_what_the_template_escapes():
    html = fitmap_html(VIEWS["everything"], HOSTILE)
    assert "<b>" not in html and "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;" in html


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("reader", ["worker", "employer", "practitioner"])
def test_real_fit_maps_equal_the_template(cast, reader, language):
    answer_everything(cast.organisation, offer=0, need=1)
    role = make_role(cast.organisation)
    items = list(Item.objects.filter(factor__version=current_version(), retired=False))
    breaker = next(i for i in items if i.is_need)
    Answer.objects.bulk_create(
        [
            Answer(
                seeker=cast.seeker,
                item=i,
                level=(i.pk % 4) if i.is_need else (i.pk % 3),
                dealbreaker=i == breaker,
            )
            for i in items[:-3]
        ]
    )
    with translation.override(language):
        view = fitmap_view(fitmap=fit_for(seeker=cast.seeker, role=role), reader=reader)
        _same(view, role.title)
    assert view.factors

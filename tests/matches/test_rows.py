"""A ranked row's summary and chips written in Python (``matches.rows``) are the markup of
the template includes, word for word and escaped alike, in both languages."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from matches.rows import StatusChip, chips_html, summary_html

HOSTILE = '<b>Tom & "Jerry"</b> l\'équipe'


def _flat(html: str) -> str:
    return re.sub(r"\s+", " ", html)


class _Row:
    def __init__(self, score, hard_pushes, chips=()):
        self.score, self.hard_pushes, self.chips = score, hard_pushes, chips


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("score", [None, 0, 73, 100])
@pytest.mark.parametrize("hard_pushes", [0, 1, 2])
def test_summary_equals_the_template(language, score, hard_pushes):
    with translation.override(language):
        template = render_to_string(
            "matches/includes/summary.html", {"row": _Row(score, hard_pushes)}
        )
        assert _flat(summary_html(score=score, hard_pushes=hard_pushes)) == _flat(template)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_chips_equal_the_template(language):
    chips = (StatusChip(HOSTILE, "gap", HOSTILE), StatusChip("Pay", "aligned", "Aligned"))
    with translation.override(language):
        template = render_to_string("matches/includes/chips.html", {"row": _Row(1, 0, chips)})
        ours = chips_html(chips)
    assert _flat(ours) == _flat(template)
    assert "<b>" not in ours and "&lt;b&gt;" in ours

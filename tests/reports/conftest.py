"""Fixtures for the reports tests: answered profiles (with markup in what people typed)
and helpers that read a PDF back."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from employers.models import OfferAnswer
from factors.models import Item
from factors.scales import Direction
from factors.selectors import current_version
from seekers.models import Answer

HOSTILE = '<b>bold</b> & <script>alert("x")</script>'


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def answered(cast):
    """The first seeker and the first business answer every current item.

    The seeker must-haves and deal-breakers some needs, offers everything "very well"
    with an example full of markup; the business offers all needs with such examples."""
    items = list(Item.objects.filter(factor__version=current_version(), retired=False))
    Answer.objects.bulk_create(
        Answer(
            seeker=cast.seeker,
            item=item,
            level=3 if index % 2 == 0 else 1,
            dealbreaker=item.direction == Direction.WORKER_NEEDS and index % 4 == 0,
            example=HOSTILE if item.direction == Direction.WORKER_OFFERS else "",
        )
        for index, item in enumerate(items)
    )
    OfferAnswer.objects.bulk_create(
        OfferAnswer(
            organisation=cast.organisation,
            item=item,
            level=2,
            example=HOSTILE if item.direction == Direction.WORKER_NEEDS else "",
        )
        for item in items
    )
    cast.seeker.user.full_name = f"Zoë {HOSTILE}"
    cast.seeker.user.save(update_fields=["full_name"])
    return cast

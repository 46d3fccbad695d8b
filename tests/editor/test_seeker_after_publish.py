"""Issue 10's promise to a seeker, end to end across the editor and the seeker's room:
after a new version, the new wording shows, unchanged answers are kept, the new item is
asked, a retired item is no longer asked, and an earlier saved profile reads as it did."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from factors.models import Item
from factors.scales import Direction
from factors.selectors import current_version
from factors.services import draft_start, version_publish
from seekers.models import Answer
from seekers.services import profile_retake, welcome_accept

pytestmark = pytest.mark.django_db


def test_seeker_after_a_new_version_is_published(cast):
    seeker = cast.seeker
    welcome_accept(seeker=seeker, share_with_practitioner=True)
    first = current_version()
    items = list(first.factors.get(key="values").items.filter(retired=False).order_by("order"))
    everything = Item.objects.filter(factor__version=first, retired=False)
    Answer.objects.bulk_create(Answer(seeker=seeker, item=item, level=2) for item in everything)
    snapshot = profile_retake(seeker=seeker)
    client = cast.client_for(seeker.user)
    saved_before = client.get(f"/me/profile/history/{snapshot.pk}/")
    assert saved_before.status_code == 200

    draft = draft_start(by=cast.admin)
    draft_values = draft.factors.get(key="values")
    reworded = draft_values.items.get(code=items[0].code)
    reworded.worker_text_en = "Fair treatment on every single shift"
    reworded.worker_text_fr = "Un traitement équitable à chaque quart"
    reworded.save()
    retired = draft_values.items.get(code=items[1].code)
    retired.retired = True
    retired.save()
    Item.objects.create(
        factor=draft_values,
        code="values-new-local-pride",
        direction=Direction.WORKER_NEEDS,
        worker_text_en="Work I can be proud of in my town",
        worker_text_fr="Un travail dont je peux être fier dans ma ville",
        employer_text_en="Work our town can be proud of",
        employer_text_fr="Un travail dont notre ville peut être fière",
        cost="low",
        order=99,
    )
    version_publish(version=draft, by=cast.admin, note="Spring review")

    html = client.get("/me/activities/values/").content.decode()
    assert "Fair treatment on every single shift" in html
    assert escape(items[0].worker_text_en) not in html
    assert escape(items[1].worker_text_en) not in html  # retired: no longer asked
    assert "Work I can be proud of in my town" in html  # new: asked
    kept = Answer.objects.get(seeker=seeker, item__factor__version=draft, item__code=items[2].code)
    assert kept.level == 2
    assert not Answer.objects.filter(seeker=seeker, item__code="values-new-local-pride").exists()

    saved_after = client.get(f"/me/profile/history/{snapshot.pk}/")
    assert _main(saved_after) == _main(saved_before)  # the page around it has a fresh CSRF token


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]

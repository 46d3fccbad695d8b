"""The six offer activities: full-form save, htmx autosave, validation, versions, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from employers.models import OfferAnswer
from employers.services import offer_carry_forward
from factors.models import Factor, Item
from factors.selectors import current_version, factor_by_key_or_404
from factors.services import draft_start, version_publish
from tests.employers.conftest import answer_everything
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def activity_url(key: str) -> str:
    return reverse("employers:activity", args=[key])


def test_activity_shows_offer_scale_with_examples_and_need_scale(cast, items):
    client = cast.client_for(cast.employer)
    html = client.get(activity_url("skills_competencies")).content.decode()
    paid_training, learns_tools = items["skills-paid-training"], items["skills-learn-tools"]
    assert paid_training.employer_text_en in html and learns_tools.employer_text_en in html
    # Offer items: not offered / could offer / offered, plus an example field.
    assert f'id="level-{paid_training.pk}-2"' in html and "Could offer" in html
    assert f'name="example-{paid_training.pk}"' in html
    # Need items: the four need levels, and no example field.
    assert f'id="level-{learns_tools.pk}-3"' in html and "Must have" in html
    assert f'name="example-{learns_tools.pk}"' not in html
    # The reflection question for employers is asked.
    assert "Which skills must a new person have on day one" in html


def test_full_form_saves_and_moves_to_the_next_activity(cast, items):
    client = cast.client_for(cast.employer)
    fair, purpose = items["values-fair-treatment"], items["values-purpose"]
    response = client.post(
        activity_url("values"),
        {
            f"level-{fair.pk}": "2",
            f"example-{fair.pk}": "  We explain every schedule change at the team meeting.  ",
            f"level-{purpose.pk}": "1",
        },
    )
    assert response.status_code == 302 and response["Location"] == activity_url("culture")
    saved = {a.item_id: a for a in OfferAnswer.objects.filter(organisation=cast.organisation)}
    assert saved[fair.pk].level == 2
    assert saved[fair.pk].example == "We explain every schedule change at the team meeting."
    assert saved[fair.pk].answered_by == cast.employer
    assert saved[purpose.pk].level == 1
    # The saved answers are shown checked when the activity is opened again.
    html = client.get(activity_url("values")).content.decode()
    assert f'id="level-{fair.pk}-2" value="2" checked' in html


def test_last_activity_leads_to_the_offer_profile(cast, items):
    response = cast.client_for(cast.employer).post(
        activity_url("pay_benefits"), {f"level-{items['pay-fair-wage'].pk}": "2"}
    )
    assert response["Location"] == reverse("employers:offer_profile")


def test_double_submit_updates_and_never_duplicates(cast, items):
    client = cast.client_for(cast.employer)
    fair = items["values-fair-treatment"]
    for level in ("1", "2", "2"):
        client.post(activity_url("values"), {f"level-{fair.pk}": level})
    rows = OfferAnswer.objects.filter(organisation=cast.organisation, item=fair)
    assert rows.count() == 1 and rows.get().level == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("level", "3", "Choose one of the answers shown."),  # 3 is not on the offer scale
        ("level", "-1", "Choose one of the answers shown."),
        ("level", "lots", "Choose one of the answers shown."),
        ("example", "x" * 501, "Keep the example to 500 characters or fewer."),
    ],
)
def test_bad_values_are_refused_with_a_clear_error_and_nothing_saved(
    cast, items, field, value, message
):
    fair, purpose = items["values-fair-treatment"], items["values-purpose"]
    data = {f"level-{purpose.pk}": "2", f"level-{fair.pk}": "2", f"{field}-{fair.pk}": value}
    response = cast.client_for(cast.employer).post(activity_url("values"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem. Nothing was saved." in html and message in html
    assert 'href="#' in html  # the summary links to the field
    assert not OfferAnswer.objects.exists()  # not even the valid purpose answer


def test_need_items_accept_must_have(cast, items):
    reliable = items["engage-reliable"]
    cast.client_for(cast.employer).post(
        activity_url("productivity_engagement"), {f"level-{reliable.pk}": "3"}
    )
    assert OfferAnswer.objects.get(item=reliable).level == 3


def test_example_without_an_answer_is_refused(cast, items):
    fair = items["values-fair-treatment"]
    response = cast.client_for(cast.employer).post(
        activity_url("values"), {f"example-{fair.pk}": "Every second Friday off"}
    )
    assert response.status_code == 422
    assert "Choose whether you offer this before you add an example." in response.content.decode()
    assert not OfferAnswer.objects.exists()


def test_answers_smuggled_in_for_another_factor_save_nothing(cast, items):
    fair, respect = items["values-fair-treatment"], items["culture-respect"]
    response = cast.client_for(cast.employer).post(
        activity_url("values"), {f"level-{fair.pk}": "2", f"level-{respect.pk}": "2"}
    )
    assert response.status_code == 422
    assert "not in this activity" in response.content.decode()
    assert not OfferAnswer.objects.exists()


def test_huge_post_is_refused_without_a_500(cast, items):
    fair = items["values-fair-treatment"]
    response = cast.client_for(cast.employer).post(
        activity_url("values"), {f"level-{fair.pk}": "2" * 10_000, "junk": "y" * 500_000}
    )
    assert response.status_code in (400, 422)
    assert not OfferAnswer.objects.exists()


# --- Autosave ---------------------------------------------------------------------------------


def autosave_url(item: Item) -> str:
    return reverse("employers:activity_item_save", args=[item.factor.key, item.pk])


def test_autosave_saves_one_item_and_says_saved(cast, items):
    fair, purpose = items["values-fair-treatment"], items["values-purpose"]
    # htmx sends the whole form; only the item in the URL is read.
    response = cast.client_for(cast.employer).post(
        autosave_url(fair),
        {f"level-{fair.pk}": "2", f"example-{fair.pk}": "Open books", f"level-{purpose.pk}": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    assert list(OfferAnswer.objects.values_list("item_id", "level", "example")) == [
        (fair.pk, 2, "Open books")
    ]


def test_autosave_twice_keeps_one_row_with_the_last_answer(cast, items):
    fair = items["values-fair-treatment"]
    client = cast.client_for(cast.employer)
    for level in ("0", "1"):
        client.post(autosave_url(fair), {f"level-{fair.pk}": level}, headers={"HX-Request": "1"})
    assert list(OfferAnswer.objects.values_list("level", flat=True)) == [1]


def test_autosave_refuses_bad_input_with_422_and_reason(cast, items):
    fair = items["values-fair-treatment"]
    client = cast.client_for(cast.employer)
    response = client.post(
        autosave_url(fair), {f"level-{fair.pk}": "7"}, headers={"HX-Request": "1"}
    )
    assert response.status_code == 422
    assert "Choose one of the answers shown." in response.content.decode()
    response = client.post(
        autosave_url(fair),
        {f"level-{fair.pk}": "2", f"example-{fair.pk}": "x" * 501},
        headers={"HX-Request": "1"},
    )
    assert response.status_code == 422 and "500 characters" in response.content.decode()
    assert not OfferAnswer.objects.exists()


def test_autosave_without_htmx_returns_to_the_activity(cast, items):
    fair = items["values-fair-treatment"]
    response = cast.client_for(cast.employer).post(autosave_url(fair), {f"level-{fair.pk}": "2"})
    assert response.status_code == 302
    assert response["Location"] == activity_url("values") + f"#item-{fair.pk}"


def test_activity_page_has_htmx_autosave_and_plain_form(cast, items):
    html = cast.client_for(cast.employer).get(activity_url("values")).content.decode()
    fair = items["values-fair-treatment"]
    assert f'hx-post="{autosave_url(fair)}"' in html
    assert f'id="status-{fair.pk}" role="status"' in html
    assert f'<form id="activity-form" method="post" action="{activity_url("values")}"' in html
    assert "<fieldset" in html and "<legend" in html


# --- Framework versions -------------------------------------------------------------------


def publish_new_version(admin, *, retire: str | None = None, add: bool = False):
    draft = draft_start(by=admin)
    if retire:
        Item.objects.filter(factor__version=draft, code=retire).update(retired=True)
    if add:
        factor = Factor.objects.get(version=draft, key="values")
        Item.objects.create(
            factor=factor,
            code="values-new-item",
            direction="worker_needs",
            worker_text_en="New",
            worker_text_fr="Nouveau",
            employer_text_en="We do a brand new thing.",
            employer_text_fr="Nous faisons une chose nouvelle.",
            cost="low",
        )
    version_publish(version=draft, by=admin, note="Review")
    return draft


def test_answers_carry_forward_to_a_new_version_when_the_activity_opens(cast, items):
    fair, purpose = items["values-fair-treatment"], items["values-purpose"]
    OfferAnswer.objects.create(
        organisation=cast.organisation, item=fair, level=2, example="Open books"
    )
    OfferAnswer.objects.create(organisation=cast.organisation, item=purpose, level=1)
    new = publish_new_version(cast.admin, retire="values-purpose", add=True)
    assert current_version() == new
    html = cast.client_for(cast.employer).get(activity_url("values")).content.decode()
    new_fair = Item.objects.get(factor__version=new, code="values-fair-treatment")
    copied = OfferAnswer.objects.get(organisation=cast.organisation, item=new_fair)
    assert (copied.level, copied.example) == (2, "Open books")
    assert f'id="level-{new_fair.pk}-2" value="2" checked' in html
    # The retired item is not asked; the new one is, unanswered.
    assert "We show our team how their work helps" not in html
    assert "We do a brand new thing." in html
    # The old answers stay on the old rows for history.
    assert OfferAnswer.objects.filter(organisation=cast.organisation).count() == 3


def test_carry_forward_is_idempotent(cast, items):
    OfferAnswer.objects.create(
        organisation=cast.organisation, item=items["values-fair-treatment"], level=2
    )
    new = publish_new_version(cast.admin)
    factor = factor_by_key_or_404(version=new, key="values")
    assert offer_carry_forward(organisation=cast.organisation, factor=factor) == 1
    assert offer_carry_forward(organisation=cast.organisation, factor=factor) == 0
    assert OfferAnswer.objects.filter(organisation=cast.organisation).count() == 2


# --- Query counts ---------------------------------------------------------------------------


def test_activity_query_count_does_not_grow_with_data(cast):
    client = cast.client_for(cast.employer)
    answer_everything(cast.organisation, offer=1)
    client.get(reverse("employers:home"))  # warm-up: the first request writes the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(activity_url("values")).status_code == 200
    for member in MemberFactory.create_batch(15):
        answer_everything(member.organisation)
    with CaptureQueriesContext(connection) as large:
        assert client.get(activity_url("values")).status_code == 200
    assert len(large) == len(small)

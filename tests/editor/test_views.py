"""Every editor page: who may reach it, what it refuses, and what an admin sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from factors.editor import services
from factors.models import ChangeAction, FrameworkChange, FrameworkVersion, Item
from factors.selectors import current_version
from tests.editor.conftest import edit_url, factor_of, page_data

pytestmark = pytest.mark.django_db


def editor_urls(draft):
    n = draft.number
    return [
        reverse("factors:overview"),
        reverse("factors:compare"),
        reverse("factors:history"),
        reverse("factors:version_detail", args=[n]),
        reverse("factors:version_detail", args=[1]),
        reverse("factors:version_publish", args=[n]),
        reverse("factors:factor_edit", args=[n, "values"]),
        reverse("factors:factor_preview", args=[n, "values"]),
        reverse("factors:factor_preview", args=[1, "pay_benefits"]),
    ]


def test_admin_reaches_every_editor_page(cast, draft, admin_client):
    for url in editor_urls(draft):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["practitioner", "seeker", "employer"])
def test_other_roles_get_403_on_every_editor_url(cast, draft, who):
    user = {
        "practitioner": cast.practitioner,
        "seeker": cast.seeker.user,
        "employer": cast.employer,
    }[who]
    client = cast.client_for(user)
    for url in [*editor_urls(draft), reverse("factors:draft_create")]:
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"note": "x", "action": "save"}).status_code in (403, 405), url
    assert client.post(reverse("factors:draft_create")).status_code == 403
    assert (
        client.post(
            reverse("factors:version_publish", args=[draft.number]), {"note": "x"}
        ).status_code
        == 403
    )
    draft.refresh_from_db()
    assert not draft.is_published


def test_anonymous_is_sent_to_sign_in(cast, draft, client):
    for url in [*editor_urls(draft), reverse("factors:draft_create")]:
        for response in (client.get(url), client.post(url)):
            if response.status_code != 405:
                assert response.status_code == 302, url
                assert response["Location"].startswith("/accounts/login/"), url


def test_bad_ids_are_404(cast, draft, admin_client):
    for url in [
        reverse("factors:version_detail", args=[999]),
        reverse("factors:version_publish", args=[999]),
        reverse("factors:factor_edit", args=[999, "values"]),
        reverse("factors:factor_edit", args=[draft.number, "not-a-factor"]),
        reverse("factors:factor_preview", args=[draft.number, "<script>"]),
        reverse("factors:factor_preview", args=[999, "values"]),
    ]:
        assert admin_client.get(url).status_code == 404, url
    assert (
        admin_client.post(reverse("factors:factor_edit", args=[999, "values"])).status_code == 404
    )


def test_wrong_methods_are_405(cast, draft, admin_client):
    assert admin_client.get(reverse("factors:draft_create")).status_code == 405
    for url in editor_urls(draft):
        if "/edit/" in url or "/publish/" in url:
            assert admin_client.put(url).status_code == 405, url
        else:
            assert admin_client.post(url).status_code == 405, url


def test_overview_needs_no_django_admin(cast, draft, admin_client):
    html = admin_client.get(reverse("factors:overview")).content.decode()
    assert "django-admin" not in html
    assert reverse("factors:factor_edit", args=[draft.number, "values"]) in html


def test_start_a_draft_from_the_overview(cast, admin_client):
    response = admin_client.post(reverse("factors:draft_create"), follow=True)
    draft = FrameworkVersion.objects.get(status="draft")
    assert f"Draft version {draft.number} is ready to edit" in response.content.decode()
    assert FrameworkChange.objects.filter(action=ChangeAction.DRAFT_STARTED, by=cast.admin).exists()


# --- Editing one factor ---------------------------------------------------------------


def test_editor_shows_both_languages_side_by_side_with_lang_attributes(cast, draft, admin_client):
    html = admin_client.get(edit_url(draft)).content.decode()
    item = factor_of(draft).items.order_by("order").first()
    assert f'id="id_item-{item.pk}-worker_text_en"' in html
    assert f'id="id_item-{item.pk}-worker_text_fr"' in html
    assert '<div lang="en"><input' in html or '<div lang="en"><textarea' in html
    assert '<div lang="fr"><textarea' in html
    assert "Job seeker wording (English)" in html and "Job seeker wording (French)" in html
    assert "Missing: needs French" not in html


def test_missing_translation_is_marked_in_words(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    services.item_update(item=item, data={"worker_text_fr": ""}, by=cast.admin)
    html = admin_client.get(edit_url(draft)).content.decode()
    assert html.count("Missing: needs French") == 1
    assert "1 text on this page has no translation yet" in html


def test_edit_wording_in_both_languages(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    data = page_data(
        factor,
        **{
            f"item-{item.pk}-worker_text_en": "Being treated fairly, every shift",
            f"item-{item.pk}-worker_text_fr": "Être traité équitablement, à chaque quart",
            "factor-definition_fr": "Ce qui compte pour vous.",
            "action": "save",
        },
    )
    response = admin_client.post(edit_url(draft), data)
    assert response.status_code == 302
    item.refresh_from_db()
    factor.refresh_from_db()
    assert item.worker_text_en == "Being treated fairly, every shift"
    assert item.worker_text_fr == "Être traité équitablement, à chaque quart"
    assert factor.definition_fr == "Ce qui compte pour vous."
    # Only what changed is logged.
    assert FrameworkChange.objects.filter(action=ChangeAction.ITEM_EDITED).count() == 1


def test_add_an_item_and_a_prompt_from_the_page(cast, draft, admin_client):
    factor = factor_of(draft)
    before = factor.items.count()
    data = page_data(
        factor,
        **{
            "new-item-worker_text_en": "A say in my shifts",
            "new-item-worker_text_fr": "Mon mot à dire sur mes quarts",
            "new-item-employer_text_en": "Staff have a say in shifts",
            "new-item-employer_text_fr": "Le personnel a son mot à dire sur les quarts",
            "new-item-direction": "worker_needs",
            "new-prompt-text_en": "Bosses never listen",
            "new-prompt-text_fr": "Les patrons n'écoutent jamais",
            "new-prompt-side": "worker",
            "action": "add-item",
        },
    )
    assert admin_client.post(edit_url(draft), data).status_code == 302
    assert factor.items.count() == before + 1
    assert factor.items.get(worker_text_en="A say in my shifts").identity
    assert factor.mindsets.filter(text_en="Bosses never listen", side="worker").exists()
    # The same post again (a double submit) adds nothing and says why.
    response = admin_client.post(edit_url(draft), data)
    assert response.status_code == 409
    assert "already has" in response.content.decode()
    assert factor.items.count() == before + 1


def test_half_filled_new_item_is_an_error_and_nothing_is_saved(cast, draft, admin_client):
    factor = factor_of(draft)
    data = page_data(
        factor,
        **{
            "factor-name_fr": "Nouvelles valeurs",
            "new-item-worker_text_fr": "Seulement en français",
        },
    )
    response = admin_client.post(edit_url(draft), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert 'href="#id_new-item-worker_text_en"' in html and 'href="#id_new-item-direction"' in html
    factor.refresh_from_db()
    assert factor.name_fr == "Valeurs"


def test_missing_english_and_huge_strings_are_clear_errors(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    data = page_data(
        factor,
        **{
            f"item-{item.pk}-worker_text_en": "",
            "factor-definition_en": "x" * 100_000,
            "factor-name_fr": "Changé",
        },
    )
    response = admin_client.post(edit_url(draft), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Item 1 — Job seeker wording (English): This field is required." in html
    assert "Ensure this value has at most 2000 characters" in html
    assert 'aria-invalid="true"' in html
    factor.refresh_from_db()
    assert factor.name_fr == "Valeurs"


def test_bad_choice_values_are_errors_not_500(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    data = page_data(
        factor, **{f"item-{item.pk}-direction": "sideways", f"item-{item.pk}-cost": "free"}
    )
    response = admin_client.post(edit_url(draft), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_move_up_and_down_without_javascript(cast, draft, admin_client):
    factor = factor_of(draft)
    first, second = factor.items.order_by("order")[:2]
    response = admin_client.post(edit_url(draft), page_data(factor, action=f"item-up-{second.pk}"))
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{second.pk}")
    codes = list(factor.items.filter(retired=False).order_by("order").values_list("pk", flat=True))
    assert codes[:2] == [second.pk, first.pk]
    admin_client.post(edit_url(draft), page_data(factor_of(draft), action=f"item-down-{second.pk}"))
    codes = list(factor.items.filter(retired=False).order_by("order").values_list("pk", flat=True))
    assert codes[:2] == [first.pk, second.pk]


def test_a_move_keeps_wording_typed_in_the_same_post(cast, draft, admin_client):
    factor = factor_of(draft)
    _first, second = factor.items.order_by("order")[:2]
    data = page_data(
        factor,
        **{
            f"item-{second.pk}-worker_text_en": "Typed before moving",
            "action": f"item-up-{second.pk}",
        },
    )
    admin_client.post(edit_url(draft), data)
    second.refresh_from_db()
    assert second.worker_text_en == "Typed before moving" and second.order == 0


def test_retire_and_bring_back_from_the_page(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    admin_client.post(edit_url(draft), page_data(factor, action=f"item-retire-{item.pk}"))
    item.refresh_from_db()
    assert item.retired
    html = admin_client.get(edit_url(draft)).content.decode()
    assert "Retired items" in html and f'value="item-restore-{item.pk}"' in html
    admin_client.post(
        edit_url(draft), page_data(factor_of(draft), action=f"item-restore-{item.pk}")
    )
    item.refresh_from_db()
    assert not item.retired


def test_prompt_buttons(cast, draft, admin_client):
    factor = factor_of(draft)
    prompts = list(factor.mindsets.filter(side="employer").order_by("order"))
    admin_client.post(edit_url(draft), page_data(factor, action=f"prompt-down-{prompts[0].pk}"))
    assert (
        list(factor.mindsets.filter(side="employer").order_by("order"))
        == prompts[::-1][:2] + prompts[2:]
    )
    admin_client.post(
        edit_url(draft), page_data(factor_of(draft), action=f"prompt-retire-{prompts[0].pk}")
    )
    prompts[0].refresh_from_db()
    assert prompts[0].retired


def test_unknown_button_and_unknown_ids_are_refused_clearly(cast, draft, admin_client):
    factor = factor_of(draft)
    response = admin_client.post(edit_url(draft), page_data(factor, action="item-explode-1"))
    assert response.status_code == 400
    assert "not one this page knows" in response.content.decode()
    response = admin_client.post(edit_url(draft), page_data(factor, action="item-retire-999999"))
    assert response.status_code == 409
    assert "does not exist" in response.content.decode()


def test_ids_from_the_published_version_are_refused_with_a_clear_message(cast, draft, admin_client):
    factor = factor_of(draft)
    published_item = Item.objects.filter(
        factor__version=current_version(), code="values-purpose"
    ).get()
    data = page_data(
        factor, **{"factor-name_en": "Renamed", "action": f"item-retire-{published_item.pk}"}
    )
    response = admin_client.post(edit_url(draft), data)
    assert response.status_code == 409
    assert (
        "belongs to version 1, which is published and can&#x27;t be changed"
        in response.content.decode()
    )
    published_item.refresh_from_db()
    factor.refresh_from_db()
    assert not published_item.retired and factor.name_en == "Values"


def test_editing_a_published_version_is_refused(cast, draft, admin_client):
    v1 = current_version()
    response = admin_client.get(edit_url(v1), follow=True)
    assert response.redirect_chain[-1][0] == reverse("factors:version_detail", args=[1])
    assert "Version 1 is published, so it can" in response.content.decode()
    factor = factor_of(v1)
    response = admin_client.post(edit_url(v1), page_data(factor, **{"factor-name_en": "Changed"}))
    assert response.status_code == 409
    assert "Version 1 is published, so it can" in response.content.decode()
    factor.refresh_from_db()
    assert factor.name_en == "Values"


def test_a_post_that_omits_rows_leaves_them_alone(cast, draft, admin_client):
    """An item added by someone else meanwhile is not in this post: it is left as it is."""
    factor = factor_of(draft)
    data = page_data(factor, **{"factor-name_fr": "Nos valeurs"})
    services.item_add(
        factor=factor,
        data={"worker_text_en": "Added meanwhile", "direction": "worker_needs"},
        by=cast.admin,
    )
    assert admin_client.post(edit_url(draft), data).status_code == 302
    assert factor.items.filter(worker_text_en="Added meanwhile").exists()


# --- Markup is escaped everywhere -----------------------------------------------------


def test_markup_in_every_text_is_escaped_on_every_page(cast, draft, admin_client):
    evil = '<script>alert("x")</script>'
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    services.factor_texts_update(
        factor=factor, data={"name_en": evil, "name_fr": evil, "definition_en": evil}, by=cast.admin
    )
    services.item_update(
        item=item, data={"worker_text_en": evil, "employer_text_fr": ""}, by=cast.admin
    )
    services.item_add(
        factor=factor,
        data={"worker_text_en": evil + "2", "direction": "worker_needs"},
        by=cast.admin,
    )
    n = draft.number
    urls = [
        *editor_urls(draft),
        reverse("factors:factor_preview", args=[n, "values"]) + "?lang=fr&side=employer",
        reverse("factors:compare") + f"?old=1&new={n}",
    ]
    for url in urls:
        html = admin_client.get(url).content.decode()
        assert "<script>alert" not in html, url
    html = admin_client.get(reverse("factors:compare")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


# --- Preview --------------------------------------------------------------------------


def test_preview_as_a_seeker_in_french_keeps_the_admins_language(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    url = reverse("factors:factor_preview", args=[draft.number, "values"]) + "?side=worker&lang=fr"
    html = admin_client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert 'class="preview-frame" lang="fr"' in html
    assert escape(item.worker_text_fr) in html and escape(item.employer_text_fr) not in html
    assert escape(factor.worker_reflection_fr) in html
    assert "disabled" in html and "Preview" in html
    cast.admin.refresh_from_db()
    assert cast.admin.language == "en"
    assert "django_language" not in admin_client.cookies


def test_preview_as_an_employer_uses_the_employer_wording_and_scales(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.filter(direction="worker_needs").order_by("order").first()
    url = (
        reverse("factors:factor_preview", args=[draft.number, "values"]) + "?side=employer&lang=en"
    )
    html = admin_client.get(url).content.decode()
    assert escape(item.employer_text_en) in html and "Not offered" in html and "Could offer" in html
    employer_prompt = factor.mindsets.filter(side="employer").first()
    worker_prompt = factor.mindsets.filter(side="worker").first()
    assert escape(employer_prompt.text_en) in html and escape(worker_prompt.text_en) not in html


def test_preview_leaves_out_retired_items_and_ignores_odd_parameters(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    services.item_retire(item=item, by=cast.admin)
    url = reverse("factors:factor_preview", args=[draft.number, "values"]) + "?side=<b>&lang=xx"
    response = admin_client.get(url)
    assert response.status_code == 200
    assert escape(item.worker_text_en) not in response.content.decode()


# --- Diff, publish, history -----------------------------------------------------------


def test_compare_defaults_to_published_against_draft(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.get(code="values-fair-treatment")
    services.item_update(
        item=item, data={"worker_text_en": "Fairness on every shift"}, by=cast.admin
    )
    services.item_retire(item=factor.items.get(code="values-purpose"), by=cast.admin)
    html = admin_client.get(reverse("factors:compare")).content.decode()
    assert f"From version 1 to version {draft.number}" in html
    assert (
        "job seeker wording in English changed from" in html and "Fairness on every shift" in html
    )
    assert "Retired: Item" in html
    assert "2 changes." in html


def test_compare_any_two_versions_and_bad_input(cast, draft, admin_client):
    url = reverse("factors:compare")
    response = admin_client.get(url, {"old": draft.number, "new": 1})
    assert response.status_code == 200 and "No differences" in response.content.decode()
    for params in ({"old": "abc", "new": 1}, {"old": 999, "new": 1}, {"old": 1}):
        response = admin_client.get(url, params)
        assert response.status_code == 200
        assert (
            "Select a valid choice" in response.content.decode()
            or "required" in response.content.decode()
        )


def test_publish_page_lists_each_missing_translation_and_refuses(cast, draft, admin_client):
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    services.item_update(item=item, data={"worker_text_fr": ""}, by=cast.admin)
    services.factor_texts_update(
        factor=factor_of(draft, "culture"), data={"name_fr": ""}, by=cast.admin
    )
    url = reverse("factors:version_publish", args=[draft.number])
    html = admin_client.get(url).content.decode()
    assert "2 texts have no translation yet" in html
    assert f"#id_item-{item.pk}-worker_text_fr" in html
    response = admin_client.post(url, {"note": "Spring review"})
    assert response.status_code == 409
    html = response.content.decode()
    assert f"Version {draft.number} was not published" in html
    assert f"Values / {item.code}: job seeker wording has no French text" in html
    assert "Culture: name has no French text" in html
    draft.refresh_from_db()
    assert not draft.is_published


def test_publish_with_a_note_then_the_version_is_read_only(cast, draft, admin_client):
    url = reverse("factors:version_publish", args=[draft.number])
    response = admin_client.post(url, {"note": ""})
    assert response.status_code == 200 and "Please say why" in response.content.decode()
    response = admin_client.post(url, {"note": "x" * 5000})
    assert response.status_code == 200 and "at most 2000 characters" in response.content.decode()
    response = admin_client.post(url, {"note": "Spring review"}, follow=True)
    assert "is published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published and draft.note == "Spring review" and draft.published_by == cast.admin
    # A second submit of the same form does not publish twice; it says so.
    response = admin_client.post(url, {"note": "Spring review"}, follow=True)
    assert "already published" in response.content.decode()
    assert FrameworkChange.objects.filter(action=ChangeAction.PUBLISHED).count() == 1


def test_history_on_the_overview_and_its_own_page(cast, draft, admin_client):
    factor = factor_of(draft)
    services.item_retire(item=factor.items.order_by("order").first(), by=cast.admin)
    html = admin_client.get(reverse("factors:overview")).content.decode()
    assert (
        "Retired an item" in html and "Started a draft" in html and cast.admin.display_name in html
    )
    html = admin_client.get(reverse("factors:history")).content.decode()
    assert "Retired an item" in html


def test_history_and_overview_query_counts_do_not_grow(cast, draft, admin_client):
    factor = factor_of(draft)
    items = list(factor.items.order_by("order"))

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    admin_client.get(reverse("factors:overview"))  # the first request of a session writes it
    small = {url: count(url) for url in (reverse("factors:history"), reverse("factors:overview"))}
    for item in items[:6]:
        services.item_update(
            item=item, data={"worker_text_en": item.worker_text_en + "!"}, by=cast.admin
        )
    large = {url: count(url) for url in small}
    assert large == small


def test_editor_page_query_count_does_not_grow_with_items(cast, draft, admin_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(edit_url(draft))
        return len(queries)

    admin_client.get(edit_url(draft))  # the first request of a session writes it
    small = count()
    factor = factor_of(draft)
    for n in range(5):
        services.item_add(
            factor=factor,
            data={"worker_text_en": f"Extra {n}", "direction": "worker_needs"},
            by=cast.admin,
        )
    assert count() == small


def test_editor_in_french_for_a_french_speaking_admin(cast, draft, admin_client):
    cast.admin.language = "fr"
    cast.admin.save()
    factor = factor_of(draft)
    item = factor.items.order_by("order").first()
    services.item_update(item=item, data={"worker_text_fr": ""}, by=cast.admin)
    html = admin_client.get(edit_url(draft)).content.decode()
    assert '<html lang="fr">' in html
    assert "Manquant : il faut le français" in html
    assert "Formulation pour les personnes en recherche d\u2019emploi (français)" in html
    html = admin_client.get(reverse("factors:compare")).content.decode()
    assert "pour les personnes en recherche d\u2019emploi en français — texte retiré" in html

"""The admin's journey through the framework editor in a real browser, axe on every page:
draft, change wording in both languages, add and retire an item, preview as a seeker in
French, read the diff, publish. Then the staff pages, a phone, and no JavaScript."""

from __future__ import annotations

import re

import pytest

from factors.models import FrameworkVersion, Item
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _click(visitor, role: str, name) -> None:
    visitor.page.get_by_role(role, name=name).first.click()
    visitor.page.wait_for_load_state()
    visitor.check_accessibility()


def _signed_in(visitor, user) -> None:
    """Sign in without passing through the role's landing page (another team's page)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    visitor.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": visitor.base_url}]
    )


def test_admin_drafts_edits_previews_compares_and_publishes(cast, visitor):
    page = visitor.page
    visitor.sign_in(cast.admin.email, PASSWORD)
    visitor.goto("/framework/")
    _click(visitor, "button", "Start a draft of the next version")
    assert "Draft version 2 is ready to edit" in page.content()
    draft = FrameworkVersion.objects.get(number=2)

    _click(visitor, "link", "Values")
    assert "Edit “Values”" in page.locator("h1").inner_text()
    first, second = Item.objects.filter(factor__version=draft, factor__key="values").order_by(
        "order"
    )[:2]
    page.locator(f"#id_item-{first.pk}-worker_text_en").fill("Being treated fairly, every shift")
    page.locator(f"#id_item-{first.pk}-worker_text_fr").fill(
        "Être traité équitablement, à chaque quart"
    )
    _click(visitor, "button", "Save changes")
    assert "Saved." in page.content()
    first.refresh_from_db()
    assert first.worker_text_fr == "Être traité équitablement, à chaque quart"

    page.locator("#id_new-item-worker_text_en").fill("A say in my shifts")
    page.locator("#id_new-item-worker_text_fr").fill("Mon mot à dire sur mes quarts")
    page.locator("#id_new-item-employer_text_en").fill("Staff have a say in their shifts")
    page.locator("#id_new-item-employer_text_fr").fill(
        "Le personnel a son mot à dire sur ses quarts"
    )
    page.locator("#id_new-item-direction").select_option("worker_needs")
    _click(visitor, "button", "Add this item")
    assert Item.objects.filter(factor__version=draft, worker_text_en="A say in my shifts").exists()

    _click(visitor, "button", re.compile(r"^Retire\s*: item 2$"))
    second.refresh_from_db()
    assert second.retired
    assert "Retired items" in page.content()

    _click(visitor, "link", "Preview as a job seeker")
    _click(visitor, "link", "Français")
    preview = page.locator("section.preview-frame")
    assert preview.get_attribute("lang") == "fr"
    assert "Être traité équitablement, à chaque quart" in preview.inner_text()
    assert "Mon mot à dire sur mes quarts" in preview.inner_text()
    assert page.locator("html").get_attribute("lang") == "en"  # the admin's own language

    visitor.goto(f"/framework/versions/{draft.number}/factors/values/edit/")
    _click(visitor, "link", "What changed since the published version")
    text = page.locator("main").inner_text()
    assert "job seeker wording in English changed from" in text
    assert "New item in Values: “A say in my shifts”." in text
    assert "Retired: Item" in text

    visitor.goto(f"/framework/versions/{draft.number}/publish/")
    _click(visitor, "button", "Publish version 2")
    assert "Please say why" in page.content()
    page.get_by_label(re.compile("Why this version")).fill("Fairer wording and a say in shifts")
    _click(visitor, "button", "Publish version 2")
    assert "Version 2 is published" in page.content()
    draft.refresh_from_db()
    assert draft.is_published
    assert "Published" in page.locator("#history-heading + p + div table").inner_text()

    visitor.goto("/framework/history/")
    visitor.goto("/framework/versions/2/")
    visitor.goto("/framework/compare/?old=1&new=2")


def test_publish_refusal_names_the_missing_text(cast, visitor):
    from factors import services
    from factors.editor import services as editor

    draft = services.draft_start(by=cast.admin)
    item = (
        Item.objects.filter(factor__version=draft, factor__key="culture").order_by("order").first()
    )
    editor.item_update(item=item, data={"employer_text_fr": ""}, by=cast.admin)
    visitor.sign_in(cast.admin.email, PASSWORD)
    visitor.goto(f"/framework/versions/{draft.number}/factors/culture/edit/")
    assert visitor.page.get_by_text("Missing: needs French").count() == 1
    visitor.goto(f"/framework/versions/{draft.number}/publish/")
    visitor.page.get_by_label(re.compile("Why this version")).fill("Try")
    _click(visitor, "button", f"Publish version {draft.number}")
    text = visitor.page.locator("main").inner_text()
    assert f"Version {draft.number} was not published" in text
    assert f"Culture / {item.code}: employer wording has no French text" in text
    _click(visitor, "link", f"Culture / {item.code}: employer wording has no French text")
    assert visitor.page.url.endswith(f"#id_item-{item.pk}-employer_text_fr")


def test_staff_pages(cast, visitor):
    visitor.sign_in(cast.admin.email, PASSWORD)
    visitor.goto("/staff/")
    _click(visitor, "link", "Invite staff")
    visitor.page.get_by_label("Email address").fill("new.practitioner@example.org")
    visitor.page.get_by_label("Office", exact=True).select_option(
        label=cast.practitioner.office.name
    )
    _click(visitor, "button", "Send the invitation")
    assert "Invitation sent to new.practitioner@example.org" in visitor.page.content()
    _click(visitor, "link", "Offices")
    visitor.page.get_by_label("Office name").fill("Truro")
    _click(visitor, "button", "Add the office")
    _click(visitor, "link", re.compile(r"^Rename\s*: Truro$"))
    visitor.goto("/staff/")
    _click(
        visitor,
        "link",
        re.compile(rf"^Deactivate\s*: {re.escape(cast.practitioner.display_name)}$"),
    )
    _click(visitor, "button", "Deactivate the account")
    assert "signed out everywhere" in visitor.page.content()


def test_editor_in_french_on_a_phone(cast, phone_visitor):
    from factors import services

    draft = services.draft_start(by=cast.admin)
    cast.admin.language = "fr"
    cast.admin.save()
    _signed_in(phone_visitor, cast.admin)
    for path in (
        "/framework/",
        f"/framework/versions/{draft.number}/factors/pay_benefits/edit/",
        f"/framework/versions/{draft.number}/factors/pay_benefits/preview/?side=employer&lang=en",
        f"/framework/versions/{draft.number}/publish/",
        "/framework/versions/1/",
        "/framework/history/",
        "/framework/compare/?old=1&new=2",
        "/staff/",
        "/staff/offices/",
    ):
        phone_visitor.goto(path)
        width = phone_visitor.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, path
    assert phone_visitor.page.locator("html").get_attribute("lang") == "fr"


@pytest.mark.parametrize("visitor", [False], indirect=True, ids=["no-javascript"])
def test_move_and_retire_work_without_javascript(cast, visitor):
    from factors import services

    draft = services.draft_start(by=cast.admin)
    first, second = Item.objects.filter(factor__version=draft, factor__key="values").order_by(
        "order"
    )[:2]
    visitor.sign_in(cast.admin.email, PASSWORD)
    visitor.goto(f"/framework/versions/{draft.number}/factors/values/edit/")
    _click(visitor, "button", re.compile(r"^Move up\s*: item 2$"))
    order = list(
        Item.objects.filter(factor__version=draft, factor__key="values", retired=False)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    assert order[:2] == [second.pk, first.pk]
    _click(visitor, "button", re.compile(r"^Retire\s*: item 1$"))
    second.refresh_from_db()
    assert second.retired

"""Keyboard only: each role signs in without a mouse, the first Tab on a page reaches the
skip link, the skip link lands in the main content, and every control Tab reaches shows
where the focus is (WCAG 2.1.1, 2.4.1, 2.4.7, 2.1.2)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# What the focused element looks like, read in the page: its tag and markup, and
# whether an outline or a focus shadow is drawn around it.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const main = document.querySelector('main');
  return {
    tag: el.tagName.toLowerCase(),
    skip: el.classList.contains('skip-link'),
    visible: outline || shadow,
    shown: box.width > 0 && box.height > 0,
    afterMain: !!main && (main.contains(el)
      || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)),
    key: el.outerHTML.slice(0, 200),
  };
}"""

PAGES = {
    "seeker": ["/me/", "/me/roles/"],
    "employer": ["/business/", "/business/candidates/"],
    "practitioner": ["/caseload/", "/matches/", "/caseload/follow-ups/"],
    "admin": ["/outcomes/", "/framework/", "/staff/audit/"],
}


# Whether anything in or after the main content can take the focus.
_FOCUSABLE_FROM_MAIN = """() => {
  const main = document.querySelector('main');
  const all = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  return [...all].some(el => (main.contains(el)
    || (main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING))
    && el.getClientRects().length > 0 && !el.disabled && el.type !== 'hidden');
}"""


def _focused(page):
    return page.evaluate(_FOCUSED)


def _sign_in_with_keys(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if focused and focused["tag"] == "input" and 'type="email"' in focused["key"]:
            break
    else:
        pytest.fail("Tab never reached the email field of the sign-in form.")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, "Signing in with the keyboard did not work."


@pytest.mark.parametrize("who", ["seeker", "employer", "practitioner", "admin"])
def test_each_role_works_its_pages_with_the_keyboard(cast, visitor, who):
    users = {
        "seeker": cast.seeker.user,
        "employer": cast.employer,
        "practitioner": cast.practitioner,
        "admin": cast.admin,
    }
    page = visitor.page
    _sign_in_with_keys(page, visitor.base_url, users[who].email)
    for path in PAGES[who]:
        page.goto(visitor.url(path))
        assert page.title(), path
        page.keyboard.press("Tab")
        first = _focused(page)
        assert first and first["skip"], f"{path}: the first Tab should reach the skip link"
        assert first["shown"], f"{path}: the skip link is invisible when focused"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        landed = _focused(page)
        if page.evaluate(_FOCUSABLE_FROM_MAIN):
            assert landed and landed["afterMain"], f"{path}: the skip link skipped nothing"
        seen = set()
        for _ in range(25):
            focused = _focused(page)
            if focused is None:
                break
            assert focused["visible"], f"{path}: no visible focus on {focused['key']}"
            seen.add(focused["key"])
            page.keyboard.press("Tab")
        assert len(seen) >= 2, f"{path}: Tab stayed on one control (a keyboard trap?)"
        visitor.check_accessibility()

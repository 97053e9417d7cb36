"""Nothing on any page is wider than a phone's screen, signed in or not, in every interface language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.catalogue import PASSWORD
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.browser

# Each interface language the pages are checked in, as `?lang=` chooses it.
LANGUAGES = ["en", "zh"]
EVERYONE_PAGES = [
    "/",
    "/papers",
    "/papers?category=rlhf&tag=rlhf&year_from=2017",
    "/papers?q=human+feedback&category=rlhf",
    "/papers?view=compact",
    "/papers/training-language-models-to-follow-instructions-with-human-feedback",
    "/papers/attention-is-all-you-need",
    "/categories",
    "/categories/adaptation",
    "/categories/rlhf",
    "/tags",
    "/tags/rlhf",
    "/sources",
    "/sources/llm-paper-reading",
    "/stats",
    "/docs",
    "/login",
    "/register",
    "/papers/nothing-here",
]
SIGNED_IN_PAGES = [
    "/account",
    "/account/password",
    "/papers/new",
    "/papers/attention-is-all-you-need/edit",
]

# Visible controls that end beyond the right edge without a scrolling box to reach them by (clipped ones).
_OUT_OF_REACH = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (element) => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowX;
      if ((overflow === "auto" || overflow === "scroll") && node.scrollWidth > node.clientWidth) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("a[href], button, input, select, textarea, summary")]
    .filter((element) => element.getClientRects().length && !element.closest(".visually-hidden, .skip-link"))
    .filter((element) => element.getBoundingClientRect().right > width + 1 && !scrolls(element))
    .map((element) => `${element.tagName.toLowerCase()} "${element.textContent.trim().slice(0, 40)}"`);
}
"""


def with_language(path: str, language: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account")


def too_wide(page: Page, path: str) -> list[str]:
    page.goto(path)
    problems = []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems.append(f"{path} is {overflow}px wider than the screen")
    problems += [f"{path}: {control} is out of reach" for control in page.evaluate(_OUT_OF_REACH)]
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_no_page_is_wider_than_a_phone(
    browser: Browser, base_url: str, language: str, signed_in: bool
) -> None:
    context = browser.new_context(base_url=base_url, viewport=PHONE)
    page = context.new_page()
    paths = EVERYONE_PAGES
    if signed_in:
        log_in(page, "ada")
        paths = SIGNED_IN_PAGES + EVERYONE_PAGES
    problems: list[str] = []
    for path in paths:
        problems += too_wide(page, with_language(path, language))
    # A look at the pages the defects were found on.
    who = "in" if signed_in else "out"
    for path, name in (
        ("/account", "account"),
        ("/categories/adaptation", "category"),
        (EVERYONE_PAGES[2], "filtered"),
    ):
        if signed_in or path != "/account":
            page.goto(with_language(path, language))
            screenshot(page, f"phone-{language}-{who}-{name}", full_page=False)
    context.close()
    assert not problems, "\n".join(problems)

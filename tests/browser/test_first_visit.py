"""What a first-time visitor met, in a real browser: guessed characters by touch and keyboard, and a look
at the main pages on a desktop and a phone, signed in and out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ViewportSize, expect
from sqlalchemy import select

from app.catalog.models import Paper
from app.db import make_engine
from app.importing.models import SourceEntry
from tests.browser.catalogue import PASSWORD
from tests.browser.conftest import PHONE, LiveServer, screenshot

pytestmark = pytest.mark.browser

DESKTOP = ViewportSize(width=1366, height=900)


def paper_with_guesses(live_server: LiveServer) -> str:
    """The slug of a seeded paper whose list note has characters filled by a guess (outside links)."""
    engine = make_engine(live_server.settings)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Paper.slug, SourceEntry.uncertain_chars, SourceEntry.note)
                .join(Paper, Paper.id == SourceEntry.paper_id)
                .where(SourceEntry.note.is_not(None))
                .order_by(SourceEntry.id)
            )
            for slug, uncertain, note in rows:
                if uncertain and "](" not in note:
                    return str(slug)
    finally:
        engine.dispose()
    raise AssertionError("no seeded note has a guessed character")


def test_guessed_characters_open_by_touch_and_keyboard(browser: Browser, live_server: LiveServer) -> None:
    slug = paper_with_guesses(live_server)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"/papers/{slug}")
    guess = page.locator("button[data-guess]").first
    alternatives = page.locator(f"#{guess.get_attribute('aria-controls')}")
    expect(alternatives).to_be_hidden()
    guess.tap()
    expect(guess).to_have_attribute("aria-expanded", "true")
    expect(alternatives).to_be_visible()
    expect(alternatives).to_contain_text("A guess; also possible:")
    screenshot(page, "phone-guess-open", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    guess.tap()
    expect(alternatives).to_be_hidden()
    # The keyboard: Tab reaches it, Enter opens it, Escape closes it.
    guess.focus()
    page.keyboard.press("Enter")
    expect(alternatives).to_be_visible()
    page.keyboard.press("Escape")
    expect(guess).to_have_attribute("aria-expanded", "false")
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_look_at_the_main_pages(browser: Browser, base_url: str, viewport: ViewportSize) -> None:
    """Screenshots for people to look at (test-artifacts/screenshots/look-*), signed out then in."""
    context = browser.new_context(base_url=base_url, viewport=viewport)
    page = context.new_page()
    size = "desktop" if viewport == DESKTOP else "phone"
    pages = [
        ("/papers?category=rlhf&category=agents", "papers-two-categories"),
        ("/papers?view=compact&sort=rating", "papers-compact"),
        ("/papers?view=cards&sort=importance", "papers-cards"),
        ("/register", "register"),
    ]
    for path, name in pages:
        page.goto(path)
        screenshot(page, f"look-{size}-out-{name}", full_page=False)
    if viewport == DESKTOP:
        page.goto("/papers?year=2023&year=unknown")
        years = page.locator("details.facet", has_text="Years")
        years.scroll_into_view_if_needed()
        years.screenshot(
            path=str(screenshot(page, "look-desktop-out-years").with_name("look-desktop-years-facet.png"))
        )
    page.goto("/login")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url("**/account")
    screenshot(page, f"look-{size}-in-account")
    for path, name in [("/categories/adaptation", "category"), ("/papers", "papers")]:
        page.goto(path)
        screenshot(page, f"look-{size}-in-{name}", full_page=False)
    page.get_by_role("link", name="Next page").click()
    expect(page.locator(".pagination .position")).to_contain_text("Papers 21–40 of")
    screenshot(page, f"look-{size}-in-page-2", full_page=False)
    page.get_by_role("link", name="Previous page").click()
    expect(page.locator(".pagination .position")).to_contain_text("Papers 1–20 of")
    context.close()

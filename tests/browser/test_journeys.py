"""The journeys people take through the site in a real Chromium: browsing, searching, contributing, rating."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from app.catalog.identifiers import normalise_title
from tests.browser.catalogue import PASSWORD
from tests.browser.conftest import PHONE, LiveServer, PageWatch, accessibility_problems, screenshot

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def cards(page: Page) -> list[str]:
    return page.locator("article.paper-card :is(h2, h3) a").all_inner_texts()


def shown_total(page: Page) -> int:
    return int(page.locator(".results-bar .summary-line strong").inner_text().replace(",", ""))


def facet(page: Page, label: str) -> Locator:
    """The facet link whose label starts with LABEL."""
    return page.locator("#filters").get_by_role("link", name=re.compile(rf"^{re.escape(label)}\b"))


def facet_count(link: Locator) -> int:
    return int(link.locator(".count").inner_text().replace(",", ""))


def test_browse_and_filter_by_facets(page: Page, watch: PageWatch, live_server: LiveServer) -> None:
    page.goto("/")
    assert accessibility_problems(page) == []
    screenshot(page, "home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Papers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Papers")
    everything = shown_total(page)
    assert everything >= live_server.catalogue.papers > 100
    assert accessibility_problems(page) == []
    screenshot(page, "papers")

    # A category with subcategories counts the papers filed anywhere below it (its facet adds up its
    # subcategories' counts, so a paper filed under both RLHF and Instruction tuning is listed once).
    category = facet(page, "Fine-tuning & alignment")
    expected = facet_count(category)
    category.click()
    expect(page).to_have_url(re.compile(r"category=adaptation"))
    assert expected - 5 <= shown_total(page) <= expected < everything
    tag = facet(page, "RLHF")
    expected = facet_count(tag)
    tag.click()
    expect(page).to_have_url(re.compile(r"category=adaptation.*tag=rlhf|tag=rlhf.*category=adaptation"))
    assert shown_total(page) == expected == len(cards(page))
    expect(page.locator('#filters a[aria-current="true"]')).to_have_count(2)
    screenshot(page, "papers-filtered")

    # The state is in the URL: reloading (or sharing the link) shows the same list.
    page.reload()
    expect(page.locator("article.paper-card")).to_have_count(expected)

    page.get_by_role("link", name=re.compile(r"Remove the filter Category:")).click()
    expect(page).not_to_have_url(re.compile(r"category="))
    expect(page).to_have_url(re.compile(r"tag=rlhf"))
    assert shown_total(page) >= expected

    page.get_by_label("Sort by").select_option("title")
    expect(page).to_have_url(re.compile(r"sort=title"))
    titles = cards(page)
    assert titles == sorted(titles, key=normalise_title)


def test_search_in_chinese_and_in_english(page: Page, watch: PageWatch) -> None:
    page.goto("/")
    search = page.get_by_role("searchbox", name="Search papers")
    search.fill("微调")
    search.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Papers matching “微调”")
    # The glossary widens 微调 to its English names, which are marked too, and the page says so.
    expect(page.locator("article.paper-card mark", has_text="微调").first).to_be_visible()
    expect(page.locator(".also-searched")).to_contain_text("fine-tuning")
    assert "LORA: LOW-RANK ADAPTATION OF LARGE LANGUAGE MODELS" in cards(page)
    screenshot(page, "search-chinese")

    page.keyboard.press("Escape")
    page.locator("body").press("/")
    expect(search).to_be_focused()
    page.keyboard.type("chain of thought")
    page.keyboard.press("Enter")
    expect(
        page.locator("article.paper-card").filter(has_text="Chain-of-Thought Prompting Elicits Reasoning")
    ).to_have_count(1)
    expect(page.locator("article.paper-card mark").first).to_be_visible()
    screenshot(page, "search-english")


def test_open_a_paper(page: Page, watch: PageWatch) -> None:
    page.goto("/papers?q=LoRA")
    page.get_by_role("link", name="LORA: LOW-RANK ADAPTATION OF LARGE LANGUAGE MODELS").click()
    expect(page).to_have_url(re.compile(r"/papers/lora-low-rank-adaptation-of-large-language-models$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("LOW-RANK ADAPTATION")
    expect(page.get_by_role("link", name="arXiv abstract")).to_have_attribute(
        "href", "https://arxiv.org/abs/2106.09685"
    )
    expect(page.locator("#provenance-title")).to_have_text("In the lists")
    expect(page.locator(".provenance")).to_contain_text("LLM_Paper_Reading")
    expect(page.locator(".rating-average .big")).to_have_text("4.0")
    assert accessibility_problems(page) == []
    screenshot(page, "paper")

    # BibTeX in one click: copied with the script, or downloaded as a file without it.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.get_by_role("button", name="Copied ✓")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    key = page.locator(".bibtex summary code").inner_text()
    assert copied.startswith(f"@misc{{{key},")
    assert "eprint = {2106.09685}" in copied
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .bib").click()
    assert download.value.suggested_filename == f"{key}.bib"

    related = page.locator(".related-list a").first
    title = related.inner_text()
    related.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def test_register_log_in_add_a_paper_find_it_and_edit_it(page: Page, watch: PageWatch) -> None:
    username = f"reader{secrets.token_hex(3)}"
    page.goto("/papers/new")
    expect(page).to_have_url(re.compile(r"/login\?next=/papers/new"))
    page.locator("#main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.locator("#field-password").fill("a long pass phrase")
    page.get_by_label("Password again").fill("a long pass phrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".flash")).to_contain_text(f"Welcome, {username}")
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".flash")).to_contain_text("logged out")

    page.goto("/papers/new")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a long pass phrase")
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/papers/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a paper")

    page.get_by_label("Title").fill("Tree of Thoughts: Deliberate Problem Solving with Large Language Models")
    page.get_by_label("Short name").fill("ToT")
    page.get_by_label("Year").fill("2023")
    page.get_by_label("Authors").fill("Shunyu Yao\nDian Yu\nJeffrey Zhao")
    page.get_by_label("arXiv id").fill("2305.10601")
    page.get_by_label("Summary").fill("把思维链推广为树状搜索：模型生成并评估多条推理路径。")
    page.get_by_label("Chain-of-thought · 思维链").check()
    page.get_by_label("Tags").fill("reasoning, search")
    screenshot(page, "paper-new")
    page.get_by_role("button", name="Add the paper").click()
    expect(page.locator(".flash")).to_contain_text("Added “Tree of Thoughts")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tree of Thoughts")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()

    page.get_by_role("searchbox", name="Search papers").fill("树状搜索")
    page.keyboard.press("Enter")
    expect(page.locator("article.paper-card")).to_have_count(1)
    page.get_by_role("link", name=re.compile(r"^Tree of Thoughts")).click()

    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_label("Short name")).to_have_value("ToT")
    page.get_by_label("Venue").fill("NeurIPS")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flash")).to_contain_text("Your changes are saved.")
    expect(page.locator(".paper-head .paper-meta")).to_contain_text("NeurIPS")

    # The form says at once when an identifier is already catalogued (the script asks the lookup API)...
    page.goto("/papers/new")
    page.get_by_label("arXiv id").fill("2106.09685")
    page.get_by_label("arXiv id").press("Tab")
    found = page.locator(".lookup-found")
    expect(found).to_contain_text("Already in the catalogue: LORA: LOW-RANK ADAPTATION")

    # ...and adding it anyway is refused with a link to the paper that is already there.
    page.goto("/papers/new")
    page.get_by_label("Title").fill("Tree of Thoughts (again)")
    page.get_by_label("arXiv id").fill("https://arxiv.org/abs/2305.10601v2")
    page.get_by_role("button", name="Add the paper").click()
    notice = page.locator(".duplicate-notice")
    expect(notice).to_contain_text("Already in the catalogue")
    notice.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tree of Thoughts")


def test_rate_a_paper_with_the_keyboard_and_see_the_average_change(
    page: Page, watch: PageWatch, live_server: LiveServer
) -> None:
    page.goto("/papers/learning-to-summarize-from-human-feedback")
    expect(page.locator("#rating")).to_contain_text("No ratings yet")
    page.get_by_role("link", name="Log in to rate").click()
    page.get_by_label("Username").fill("mei")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/papers/learning-to-summarize-from-human-feedback#rate$"))

    first_star = page.get_by_role("radio", name="1 star, Weak")
    first_star.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    four = page.get_by_role("radio", name="4 stars, Very good")
    expect(four).to_be_checked()
    expect(four).to_be_focused()
    expect(page.locator("[data-score-text]")).to_have_text("4 of 5 — Very good")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Comment (optional)")).to_be_focused()
    page.keyboard.type("The three-step recipe that RLHF still follows.")
    assert accessibility_problems(page) == []
    screenshot(page, "rating-keyboard", full_page=False)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Your rating and comment are saved.")
    expect(page.locator(".rating-average .big")).to_have_text("4.0")
    expect(page.locator("#rating")).to_contain_text("1 rating")
    expect(page.locator(".comments")).to_contain_text("The three-step recipe that RLHF still follows.")

    # Changing one's rating (with the mouse, this time) replaces it.
    page.locator('label[for="score-2"]').click()
    expect(page.get_by_role("radio", name="2 stars, Fair")).to_be_checked()
    page.get_by_role("button", name="Update my rating").click()
    expect(page.locator(".rating-average .big")).to_have_text("2.0")
    expect(page.locator("#rating")).to_contain_text("1 rating")


def test_hit_a_validation_error_and_recover(page: Page, watch: PageWatch) -> None:
    page.goto("/")
    log_in(page, "lin")
    page.goto("/papers/new")
    page.get_by_label("Title").fill("Mixtral of Experts")
    page.get_by_label("Year").fill("twenty twenty-four")
    page.get_by_role("textbox", name="Code").fill("ftp://example.org/mixtral")
    page.get_by_role("button", name="Add the paper").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#field-year-error")).to_be_visible()
    expect(page.locator("#field-code_url-error")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Mixtral of Experts")
    assert accessibility_problems(page) == []
    screenshot(page, "paper-new-errors")

    summary.get_by_role("link").first.click()
    page.get_by_label("Year").fill("2024")
    page.get_by_role("textbox", name="Code").fill("https://github.com/mistralai/mistral-src")
    page.get_by_role("button", name="Add the paper").click()
    expect(page.locator(".flash")).to_contain_text("Added “Mixtral of Experts”")
    expect(page.get_by_role("link", name="Code")).to_have_attribute(
        "href", "https://github.com/mistralai/mistral-src"
    )


def test_a_phone_sized_screen(page: Page, watch: PageWatch) -> None:
    page.set_viewport_size(PHONE)
    phone_pages = (
        ("/", "phone-home"),
        ("/papers", "phone-papers"),
        ("/papers/training-language-models-to-follow-instructions-with-human-feedback", "phone-paper"),
    )
    for path, name in phone_pages:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        screenshot(page, name)
    page.goto("/papers")
    main_nav = page.get_by_role("navigation", name="Main")
    for section in ("Papers", "Categories", "Tags", "Lists", "Stats"):
        expect(main_nav.get_by_role("link", name=section)).to_be_in_viewport()
    expect(page.get_by_role("searchbox", name="Search papers")).to_be_in_viewport()
    # The filters fold away on a small screen and open on demand.
    panel = page.locator(".facets-panel")
    expect(panel).not_to_have_attribute("open", "")
    expect(page.locator("article.paper-card").first).to_be_in_viewport()
    panel.locator("> summary").click()
    agents = facet(page, "Agents")
    expected = facet_count(agents)
    agents.click()
    expect(page).to_have_url(re.compile(r"category=agents"))
    assert shown_total(page) == expected == len(cards(page))


def test_everything_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/papers")
    # Sorting has its own button when no script applies the choice at once; copying needs script, so it hides.
    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"sort=title"))
    titles = cards(page)
    assert titles == sorted(titles, key=normalise_title)
    facet(page, "Agents").click()
    expect(page).to_have_url(re.compile(r"category=agents.*sort=title|sort=title.*category=agents"))

    page.goto("/papers/attention-is-all-you-need")
    expect(page.get_by_role("button", name="Copy BibTeX")).to_be_hidden()
    expect(page.get_by_role("link", name="Download .bib")).to_be_visible()
    page.get_by_role("link", name="Log in to rate").click()
    page.get_by_label("Username").fill("omar")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/papers/attention-is-all-you-need#rate$"))
    page.locator('label[for="score-3"]').click()
    page.get_by_role("button", name="Update my rating").click()
    expect(page.locator(".flash")).to_contain_text("Your rating is saved.")
    expect(page.get_by_role("radio", name="3 stars, Good")).to_be_checked()
    context.close()


def test_dark_mode_follows_the_system(page: Page, watch: PageWatch) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto("/papers/attention-is-all-you-need")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 20, 24)"
    screenshot(page, "dark-paper")
    page.goto("/stats")
    screenshot(page, "dark-stats")


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/categories", "categories"),
        ("/categories/adaptation", "category"),
        ("/tags", "tags"),
        ("/sources", "sources"),
        ("/sources/llm-paper-reading", "source"),
        ("/stats", "stats"),
        ("/login", "login"),
        ("/papers/nothing-here", "not-found"),
    ],
)
def test_the_other_pages_render_cleanly(page: Page, watch: PageWatch, path: str, name: str) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    expect(page.locator("h1")).to_have_count(1)
    assert accessibility_problems(page) == []
    screenshot(page, name)

"""The add form's "Fill in" in a real Chromium: the script fills the fields from a fake arXiv in place."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer, PageWatch, screenshot
from tests.browser.test_journeys import log_in
from tests.metadata.fake_sources import ArxivPaper, FakeSources

pytestmark = pytest.mark.browser


@pytest.fixture
def fake_arxiv(live_server: LiveServer) -> Iterator[FakeSources]:
    """The live server fetching from a fake arXiv for this test (its settings object is the app's)."""
    fake = FakeSources().start()
    settings = live_server.settings
    saved = settings.model_dump()
    settings.metadata_fetch = True
    settings.metadata_arxiv_url = f"{fake.base_url}/arxiv/query"
    settings.metadata_arxiv_interval_seconds = 0.0
    settings.metadata_timeout_seconds = 2.0
    try:
        yield fake
    finally:
        for name in (
            "metadata_fetch",
            "metadata_arxiv_url",
            "metadata_arxiv_interval_seconds",
            "metadata_timeout_seconds",
        ):
            setattr(settings, name, saved[name])
        fake.stop()


def test_pasting_an_arxiv_link_fills_the_form_in_place(
    page: Page, watch: PageWatch, fake_arxiv: FakeSources
) -> None:
    fake_arxiv.add_arxiv(
        ArxivPaper(
            "2412.19999",
            "Sparse Experts Only The Fake Knows",
            ["Albert Q. Jiang", "Alexandre Sablayrolles"],
            abstract="We introduce Mixtral 8x7B, a Sparse Mixture of Experts language model.",
            published="2024-01-08T18:47:34Z",
        )
    )
    page.goto("/")
    log_in(page, "lin")
    page.goto("/papers/new")
    page.get_by_label("Paste an arXiv link").fill("https://arxiv.org/abs/2412.19999v1")
    with page.expect_response("**/api/v1/metadata?*") as answer:
        page.get_by_role("button", name="Fill in").click()
    assert answer.value.status == 200

    expect(page.get_by_label("Title")).to_have_value("Sparse Experts Only The Fake Knows")
    expect(page.get_by_label("Authors")).to_have_value("Albert Q. Jiang\nAlexandre Sablayrolles")
    expect(page.get_by_label("Year")).to_have_value("2024")
    expect(page.get_by_label("arXiv id", exact=True)).to_have_value("2412.19999")
    expect(page.get_by_label("Summary")).to_have_value(
        "We introduce Mixtral 8x7B, a Sparse Mixture of Experts language model."
    )
    expect(page.locator(".fill-in-done")).to_contain_text("Filled in from arXiv")
    expect(page).to_have_url(f"{page.url.split('/papers')[0]}/papers/new")  # no round trip happened
    screenshot(page, "paper-fill-in")

    # Enter in a field adds the paper, as before the form had a second button.
    page.get_by_label("Title").press("Enter")
    expect(page.locator(".flash")).to_contain_text("Added “Sparse Experts Only The Fake Knows")


def test_a_paper_the_source_does_not_have_is_explained_in_the_readers_language(
    page: Page, fake_arxiv: FakeSources
) -> None:
    # Not watched: the API's 422 for the unknown id is expected here.
    page.goto("/")
    log_in(page, "lin")
    page.goto("/papers/new?lang=zh")
    page.get_by_label("粘贴 arXiv 链接或编号，或 DOI").fill("2412.00001")
    page.get_by_role("button", name="自动填写").click()
    expect(page.locator(".fill-in")).to_contain_text("找不到 arXiv 2412.00001 对应的论文。")
    screenshot(page, "paper-fill-in-zh-not-found")

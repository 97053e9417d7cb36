"""A Chinese reader in a real Chromium: switch language, search, open a paper, sign up, add and rate one."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.catalogue import PASSWORD
from tests.browser.conftest import PHONE, PageWatch, accessibility_problems, screenshot

pytestmark = pytest.mark.browser

DESKTOP = ViewportSize(width=1366, height=900)
INSTRUCTGPT = "/papers/training-language-models-to-follow-instructions-with-human-feedback"


def whole_page(page: Page, name: str) -> None:
    """A full-page screenshot from the top, so the sticky header sits where a reader sees it."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, name)


def test_a_chinese_reader_switches_searches_signs_up_adds_and_rates_a_paper(
    page: Page, watch: PageWatch
) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    whole_page(page, "en-desktop-home")

    # The switcher in the header turns the whole interface to Chinese, and it stays so from page to page.
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("大语言模型背后的论文")
    assert accessibility_problems(page) == []
    whole_page(page, "zh-desktop-home")

    page.get_by_role("searchbox", name="搜索论文", exact=True).fill("微调")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("与“微调”匹配的论文")
    expect(page.locator("article.paper-card").first).to_be_visible()
    expect(page.get_by_label("排序方式")).to_have_value("relevance")
    whole_page(page, "zh-desktop-search")

    page.locator("article.paper-card h2 a").first.click()
    expect(page.get_by_role("heading", name="读者评分")).to_be_visible()
    expect(page.get_by_role("link", name="登录后评分")).to_be_visible()
    assert accessibility_problems(page) == []
    whole_page(page, "zh-desktop-paper")

    username = f"duzhe{secrets.token_hex(3)}"
    page.get_by_role("navigation", name="账户").get_by_role("link", name="注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("注册")
    page.get_by_label("用户名").fill(username)
    page.locator("#field-password").fill("一句足够长的中文密码")
    page.get_by_label("再次输入密码").fill("一句不一样的密码")
    page.get_by_role("button", name="注册").click()
    expect(page.locator("#field-password_confirm-error")).to_have_text("两次输入的密码不一致。")
    whole_page(page, "zh-desktop-signup-error")
    page.locator("#field-password").fill("一句足够长的中文密码")
    page.get_by_label("再次输入密码").fill("一句足够长的中文密码")
    page.get_by_role("button", name="注册").click()
    expect(page.locator(".flash")).to_contain_text(f"欢迎你，{username}：账户已创建。")

    page.get_by_role("link", name="添加论文").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("添加论文")
    page.get_by_label("标题").fill("Graph of Thoughts: Solving Elaborate Problems with Large Language Models")
    page.get_by_label("简称").fill("GoT")
    page.get_by_label("年份").fill("2023")
    page.get_by_label("作者").fill("Maciej Besta\nNils Blach")
    page.get_by_label("摘要").fill("把思维链推广为图结构：推理步骤可以合并与回溯。")
    page.get_by_label("思维链 · Chain-of-thought").check()
    page.get_by_label("标签").fill("reasoning")
    whole_page(page, "zh-desktop-paper-new")
    page.get_by_role("button", name="添加这篇论文").click()
    expect(page.locator(".flash")).to_contain_text("已添加《Graph of Thoughts")
    expect(page.locator("#rating")).to_contain_text("暂无评分")

    # Rating: the stars are named in Chinese for the keyboard and screen readers too.
    four = page.get_by_role("radio", name="4 星，很好")
    page.locator('label[for="score-4"]').click()
    expect(four).to_be_checked()
    expect(page.locator("[data-score-text]")).to_have_text("4 星（满分 5 星）——很好")
    page.get_by_label("评论（可选）").fill("图结构的推理很有启发。")
    page.get_by_role("button", name="保存我的评分").click()
    expect(page.locator(".flash")).to_contain_text("你的评分和评论已保存。")
    expect(page.locator(".rating-average .big")).to_have_text("4.0")
    expect(page.locator("#rating")).to_contain_text("1 条评分")
    assert accessibility_problems(page) == []
    whole_page(page, "zh-desktop-rated")

    page.get_by_role("link", name=username).click()
    expect(page.get_by_role("heading", name="我的评分")).to_be_visible()
    expect(page.locator("#section-papers ~ .entry-list, .entry-list").first).to_be_visible()
    whole_page(page, "zh-desktop-account")

    # And back: the other switch returns the same page in English.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Your ratings")).to_be_visible()
    whole_page(page, "en-desktop-account")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_pages_a_phone_shows_in_either_language(page: Page, watch: PageWatch, language: str) -> None:
    page.set_viewport_size(PHONE)
    for path, name in (
        ("/", "home"),
        ("/papers", "papers"),
        (INSTRUCTGPT, "paper"),
        ("/categories", "categories"),
        ("/stats", "stats"),
        ("/register", "signup"),
    ):
        page.goto(f"{path}?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans" if language == "zh" else "en")
        screenshot(page, f"{language}-phone-{name}", full_page=False)
    switch = page.locator(".language-switch a")
    expect(switch).to_be_in_viewport()
    expect(switch).to_have_text("English" if language == "zh" else "中文")
    if language == "zh":
        expect(
            page.get_by_role("navigation", name="主导航").get_by_role("link", name="论文")
        ).to_be_in_viewport()
        expect(page).to_have_url(re.compile(r"lang=zh"))

    # Signed in, the header holds the switcher, "add paper", the account and logging out.
    page.goto("/login")
    page.locator("#field-username").fill("lin")
    page.locator("#field-password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    for path, name in (("/account", "account"), (INSTRUCTGPT, "paper-signed-in")):
        page.goto(path)
        screenshot(page, f"{language}-phone-{name}", full_page=False)
    expect(page.locator(".language-switch a")).to_be_in_viewport()

"""The layout every page shares: navigation, who is signed in, flashes, no inline script or style (CSP)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_category, make_paper, make_source, make_source_entry, make_tag, make_user
from tests.pages.conftest import sign_in

INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


@pytest.fixture
def small_catalogue(db: Session) -> None:
    category = make_category(db, "alignment", name_en="Alignment", name_zh="对齐")
    make_tag(db, "rlhf", name="RLHF")
    paper = make_paper(
        db,
        "Training language models to follow instructions",
        slug="instructgpt",
        categories=[category],
        tags=["rlhf"],
        summary="用人类反馈微调 <b>GPT-3</b>",
        venue="NeurIPS",
    )
    make_source_entry(db, make_source(db, "reading"), paper, section_path=("对齐",), stars=4)
    db.commit()


PAGES = [
    "/",
    "/papers",
    "/papers?q=微调",
    "/papers/instructgpt",
    "/categories",
    "/categories/alignment",
    "/tags",
    "/tags/rlhf",
    "/sources",
    "/sources/reading",
    "/stats",
    "/login",
    "/does-not-exist",
]


@pytest.mark.usefixtures("small_catalogue")
@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_no_inline_script_style_or_handlers(client: TestClient, path: str) -> None:
    # The Content-Security-Policy refuses all three, so any of them would be a broken page in a browser.
    html = client.get(path).text
    assert INLINE_SCRIPT.search(html) is None
    assert STYLE_ELEMENT.search(html) is None
    assert INLINE_STYLE.search(html) is None
    assert INLINE_HANDLER.search(html) is None
    head_and_header = html.split("<main", 1)[0]
    foreign = re.findall(r'(?:href|src)="(https?://[^"]+)"', head_and_header)
    assert [url for url in foreign if not url.startswith("http://testserver/")] == []


@pytest.mark.usefixtures("small_catalogue")
@pytest.mark.parametrize("path", PAGES[:-2])
def test_every_page_has_one_h1_and_a_labelled_search(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<label class="visually-hidden" for="site-search-q">Search papers</label>' in html
    assert 'class="skip-link" href="#main"' in html


def test_navigation_marks_the_current_section(client: TestClient) -> None:
    html = client.get("/categories").text
    assert '<a href="http://testserver/categories" aria-current="page">Categories</a>' in html
    assert '<a href="http://testserver/papers">Papers</a>' in html


def test_anonymous_visitors_are_offered_login_and_sign_up_returning_here(client: TestClient) -> None:
    html = client.get("/stats").text
    assert 'href="http://testserver/login?next=/stats"' in html
    assert 'href="http://testserver/register"' in html
    assert "Log out" not in html


def test_signed_in_visitors_see_their_name_and_a_logout_form(client: TestClient, db: Session) -> None:
    user = make_user(db, "ada")
    sign_in(client, db, user)
    html = client.get("/").text
    assert '<span class="username">ada</span>' in html
    assert re.search(
        r'<form method="post" action="[^"]*/logout"[^>]*>\s*<input type="hidden" name="csrf_token"', html
    )
    assert 'href="http://testserver/papers/new"' in html
    assert "/import" not in html


def test_admins_see_the_import_link(client: TestClient, db: Session) -> None:
    from app.accounts.models import Role

    sign_in(client, db, make_user(db, "root", role=Role.ADMIN))
    assert 'href="http://testserver/import"' in client.get("/").text


def test_unknown_pages_are_a_404_in_the_site_style(client: TestClient) -> None:
    response = client.get("/papers/no-such-paper")
    assert response.status_code == 404
    assert "Page not found" in response.text or "Not found" in response.text
    assert 'class="site-header"' in response.text
    assert 'href="http://testserver/papers">Browse papers</a>' in response.text


def test_static_assets_are_served(client: TestClient) -> None:
    for path, kind in (
        ("/static/css/app.css", "text/css"),
        ("/static/js/app.js", "javascript"),
        ("/static/img/favicon.svg", "image/svg+xml"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert kind in response.headers["content-type"]
    css = client.get("/static/css/app.css").text
    assert "prefers-color-scheme: dark" in css
    assert ":focus-visible" in css
    assert "@import" not in css
    assert "url(http" not in css

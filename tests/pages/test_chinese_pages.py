"""Pages read in Chinese leave no English interface text behind: the catalog's English is sought in them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.web.i18n import TRANSLATIONS_DIR
from app.web.locale_choice import LANGUAGE_COOKIE
from tests.factories import (
    make_category,
    make_paper,
    make_rating,
    make_source,
    make_source_entry,
    make_tag,
    make_user,
)
from tests.pages.conftest import Visitor, csrf_token_on, sign_in

# Attributes people read or hear: tooltips, placeholders, screen-reader names, the page's description, and the
# texts app.js shows (copy buttons, the duplicate notice, dismissing a flash, a star's meaning).
_READ_ATTRIBUTES = frozenset(
    {
        "title",
        "placeholder",
        "aria-label",
        "alt",
        "data-meaning",
        "data-copied",
        "data-copy-failed",
        "data-found-label",
        "data-dismiss-label",
    }
)
_PLACEHOLDER = re.compile(r"%\\\(\w+\\\)[sd]")
_LANGUAGE_SWITCH = re.compile(r'<li class="language-switch">.*?</li>', re.DOTALL)


class _ReadableText(HTMLParser):
    """The text nodes and read attributes of a page, each with its whitespace collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        named = dict(attrs)
        self.pieces.extend(value for name, value in attrs if value and name in _READ_ATTRIBUTES)
        description = named.get("content") if tag == "meta" and named.get("name") == "description" else None
        if description:
            self.pieces.append(description)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.pieces.append(data)


def readable_pieces(html: str) -> list[str]:
    parser = _ReadableText()
    parser.feed(_LANGUAGE_SWITCH.sub("", html))
    return [text for text in (" ".join(piece.split()) for piece in parser.pieces) if text]


def texts(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A catalog entry's id or translation as a tuple: one text, or the singular and plural forms."""
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


def _english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each English message that Chinese says differently, as a pattern with its placeholders open."""
    with (TRANSLATIONS_DIR / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        catalog = read_po(source, locale="zh_Hans")
    patterns = []
    for message in catalog:
        if not message.id:
            continue
        translated = texts(message.string)[0]
        for english in texts(message.id):
            literal = re.sub(r"%\(\w+\)[sd]", "", english)
            # "API" stays "API"; "%(kind)s: %(label)s" has no words of its own to give it away.
            if english == translated or not re.search(r"[A-Za-z]{2,}", literal):
                continue
            pattern = _PLACEHOLDER.sub(".+?", re.escape(english))
            patterns.append((english, re.compile(pattern)))
    return patterns


ENGLISH = _english_patterns()


def english_left_in(html: str) -> list[str]:
    """The catalog's English messages found in HTML: a whole text or attribute, or a long one anywhere."""
    pieces = readable_pieces(html)
    everything = "\n".join(pieces)
    found = set()
    for english, pattern in ENGLISH:
        whole = any(pattern.fullmatch(piece) for piece in pieces)
        if whole or (len(english.split()) >= 4 and pattern.search(everything)):
            found.add(english)
    return sorted(found)


@pytest.fixture
def catalogue(db: Session) -> None:
    category = make_category(db, "alignment", name_en="Alignment", name_zh="对齐")
    make_category(db, "rlhf-methods", name_en="RLHF methods", name_zh="RLHF 方法", parent=category)
    make_tag(db, "rlhf", name="RLHF")
    paper = make_paper(
        db,
        "Training language models to follow instructions",
        slug="instructgpt",
        categories=[category],
        tags=["rlhf"],
        summary="用人类反馈微调 GPT-3",
        venue="NeurIPS",
        year=2022,
        arxiv_id="2203.02155",
        code_url="https://github.com/openai/following-instructions-human-feedback",
    )
    make_paper(
        db, "Direct Preference Optimization", slug="dpo", categories=[category], tags=["rlhf"], year=2023
    )
    make_source_entry(db, make_source(db, "reading"), paper, section_path=("对齐",), stars=4)
    make_rating(db, paper, make_user(db, "rater"), score=5)
    db.commit()


@pytest.fixture
def reader(client: TestClient, db: Session) -> Visitor:
    client.cookies.set(LANGUAGE_COOKIE, "zh_Hans")
    return sign_in(client, db, make_user(db, "duzhe", role=Role.ADMIN))


ANONYMOUS_PAGES = [
    "/",
    "/papers",
    "/papers?q=微调",
    "/papers?q=zzzzqqq&tag=rlhf",
    "/papers?year_from=abc&category=alignment&tag=rlhf&has_code=true&sort=title",
    "/papers/instructgpt",
    "/papers/dpo",
    "/categories",
    "/categories/alignment",
    "/tags",
    "/tags?sort=name",
    "/tags/rlhf",
    "/sources",
    "/sources/reading",
    "/stats",
    "/login",
    "/register",
    "/docs",
    "/does-not-exist",
    "/papers/no-such-paper",
]


@pytest.mark.usefixtures("catalogue")
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_a_page_read_in_chinese_has_no_english_interface_text(client: TestClient, path: str) -> None:
    page = client.get(path, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh-Hans">' in page.text
    assert english_left_in(page.text) == []


@pytest.mark.usefixtures("catalogue")
def test_signed_in_pages_forms_errors_and_flashes_read_in_chinese(reader: Visitor) -> None:
    pages = {
        path: reader.get(path)
        for path in (
            "/",
            "/account",
            "/account/password",
            "/papers/new",
            "/papers/instructgpt",
            "/papers/instructgpt/edit",
            "/papers/instructgpt/delete",
            "/import",
        )
    }
    assert {path: page.status_code for path, page in pages.items()} == dict.fromkeys(pages, 200)
    for path, page in pages.items():
        assert english_left_in(page.text) == [], path

    invalid = reader.post(
        "/papers/new", {"title": "", "year": "nineteen", "url": "ftp://x", "arxiv_id": "nope"}
    )
    assert invalid.status_code == 422
    assert english_left_in(invalid.text) == []
    assert "请填写论文标题。" in invalid.text

    duplicate = reader.post("/papers/new", {"title": "Direct Preference Optimization"})
    assert duplicate.status_code == 409
    assert english_left_in(duplicate.text) == []

    rated = reader.post("/papers/dpo/rating", {"score": "4", "comment": "很有用"})
    assert rated.status_code == 303
    after = reader.get(rated.headers["location"])
    assert "你的评分和评论已保存。" in after.text
    assert english_left_in(after.text) == []

    unrated = reader.post("/papers/dpo/rating", {"score": "9"})
    assert english_left_in(unrated.text) == []

    token = reader.post("/account/tokens", {"name": "脚本"})
    assert english_left_in(reader.get(token.headers.get("location", "/account")).text) == []

    mismatch = reader.post(
        "/account/password",
        {"current_password": "wrong", "new_password": "x", "new_password_confirm": "y"},
    )
    assert english_left_in(mismatch.text) == []

    imported = reader.post(
        "/import",
        {
            "name": "zh-test",
            "markdown": "# 测试清单\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n",
        },
    )
    assert imported.status_code == 303
    report = reader.get(imported.headers["location"])
    assert report.status_code == 200
    assert english_left_in(report.text) == []


@pytest.mark.usefixtures("catalogue")
def test_sign_up_and_log_in_errors_read_in_chinese(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "zh_Hans")
    token = csrf_token_on(client.get("/register").text)
    refused = client.post(
        "/register",
        data={"csrf_token": token, "username": "a", "password": "password", "password_confirm": "password"},
    )
    assert refused.status_code == 422
    assert english_left_in(refused.text) == []
    differ = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": "xinren",
            "password": "一句很长的密码",
            "password_confirm": "不同",
        },
    )
    assert "两次输入的密码不一致。" in differ.text
    common = client.post(
        "/register",
        data={
            "csrf_token": token,
            "username": "xinren",
            "password": "password1",
            "password_confirm": "password1",
        },
    )
    assert english_left_in(common.text) == []
    wrong = client.post("/login", data={"csrf_token": token, "username": "nobody", "password": "whatever1"})
    assert "用户名或密码错误。" in wrong.text
    assert english_left_in(wrong.text) == []


def test_the_check_itself_finds_english_text_and_attributes() -> None:
    html = (
        '<html><body><p>No ratings yet</p><input placeholder="Search papers">'
        "<p>与“x”匹配的论文</p><p>Papers matching “lora”</p>"
        '<li class="language-switch"><a>English</a></li><code>Authorization: Bearer x</code></body></html>'
    )
    found = english_left_in(html)
    assert {"No ratings yet", "Papers matching “%(query)s”", "Search papers"} <= set(found)
    assert not [english for english in found if "English" in english or "%(kind)s" in english]


@pytest.mark.usefixtures("catalogue")
def test_refusals_read_in_chinese(client: TestClient, db: Session) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "zh_Hans")
    member = sign_in(client, db, make_user(db, "chengyuan"))
    for path in ("/papers/instructgpt/edit", "/import"):
        refused = member.get(path)
        assert refused.status_code == 403
        assert '<h1 id="error-title">无权操作</h1>' in refused.text
        assert english_left_in(refused.text) == []

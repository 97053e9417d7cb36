"""Two interface languages: full catalogs, how the language is chosen, a cache that keeps them apart."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import PROJECT_ROOT
from app.web.i18n import TRANSLATIONS_DIR, current_locale, format_ago, format_day, format_number
from app.web.locale_choice import LANGUAGE_COOKIE, from_accept_language, supported_locale
from tests.factories import make_category, make_paper, make_tag
from tests.pages.test_chinese_pages import texts

POT = TRANSLATIONS_DIR / "messages.pot"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def _ids(catalog: Catalog) -> set[str]:
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}


@pytest.fixture(scope="module")
def chinese() -> Catalog:
    return _catalog(TRANSLATIONS_DIR / "zh_Hans" / "LC_MESSAGES" / "messages.po", "zh_Hans")


def test_the_template_of_messages_holds_every_string_the_code_and_templates_mark() -> None:
    # Fails when someone wraps new text but forgets `make messages`.
    with (PROJECT_ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PROJECT_ROOT),
            method_map=method_map,
            options_map=options_map,
            keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
            directory_filter=lambda path: not Path(path).name.startswith((".", "__pycache__")),
        )
        if message
    }
    assert found - _ids(_catalog(POT)) == set(), "run `make messages` and translate the new text"


def test_every_message_has_a_chinese_translation_that_is_neither_empty_nor_fuzzy(chinese: Catalog) -> None:
    assert _ids(chinese) >= _ids(_catalog(POT))
    # The English catalog holds every message too (an empty translation is the English as written).
    assert _ids(_catalog(TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po", "en")) >= _ids(
        _catalog(POT)
    )
    untranslated = [
        message.id
        for message in chinese
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert untranslated == []


def test_chinese_has_one_plural_form_and_keeps_every_placeholder(chinese: Catalog) -> None:
    assert chinese.num_plurals == 1
    for message in chinese:
        if not message.id:
            continue
        source = " ".join(texts(message.id))
        target = " ".join(texts(message.string))
        # %(num)d may be left out of a plural's text; every other placeholder must survive translation.
        wanted = set(_PLACEHOLDER.findall(source)) - {"num"}
        assert wanted <= set(_PLACEHOLDER.findall(target)), message.id


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_Hans"),
        ("en-GB,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,zh-TW;q=0.5", "zh_Hans"),
        ("en;q=0.3,zh-Hans;q=0.7", "zh_Hans"),
        ("zh;q=0, en", "en"),
        ("de-DE", None),
        ("", None),
        ("zh;q=nonsense,en", "en"),
    ],
)
def test_accept_language_picks_the_highest_ranked_supported_language(
    header: str, expected: str | None
) -> None:
    assert from_accept_language(header) == expected


def test_language_names_map_to_the_two_catalogs() -> None:
    assert [supported_locale(tag) for tag in ("zh", "zh-Hans", "zh_CN", "EN-us", "ja", "")] == [
        "zh_Hans",
        "zh_Hans",
        "zh_Hans",
        "en",
        None,
        None,
    ]


def test_dates_numbers_and_times_ago_follow_the_language() -> None:
    moment = datetime(2026, 12, 2, 7, 30, tzinfo=UTC)
    token = current_locale.set("zh_Hans")
    try:
        assert format_day(moment) == "2026年12月2日"
        assert format_number(1234567) == "1,234,567"
        assert format_ago(moment - timedelta(days=3), now=moment) == "3天前"
    finally:
        current_locale.reset(token)
    assert format_day(moment) == "Dec 2, 2026"
    assert format_ago(moment - timedelta(days=3), now=moment) == "3 days ago"


def _lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_english_is_the_default_and_accept_language_chooses_chinese(client: TestClient) -> None:
    english = client.get("/login")
    assert _lang(english.text) == "en"
    assert english.headers["content-language"] == "en"
    assert '<h1 id="login-title">Log in</h1>' in english.text
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert _lang(chinese.text) == "zh-Hans"
    assert chinese.headers["content-language"] == "zh-Hans"
    assert '<h1 id="login-title">登录</h1>' in chinese.text
    assert {"accept-language", "cookie"} <= {v.strip().lower() for v in chinese.headers["vary"].split(",")}


def test_an_explicit_choice_is_remembered_and_beats_accept_language(client: TestClient) -> None:
    chosen = client.get("/login?lang=zh", headers={"Accept-Language": "en"})
    assert _lang(chosen.text) == "zh-Hans"
    assert client.cookies.get(LANGUAGE_COOKIE) == "zh_Hans"
    # The cookie now speaks for the reader on every page, whatever the browser prefers...
    assert _lang(client.get("/papers", headers={"Accept-Language": "en"}).text) == "zh-Hans"
    # ...until a shared link names the other language.
    switched = client.get("/papers?lang=en", headers={"Accept-Language": "zh"})
    assert _lang(switched.text) == "en"
    assert client.cookies.get(LANGUAGE_COOKIE) == "en"
    assert _lang(client.get("/papers", headers={"Accept-Language": "zh"}).text) == "en"


def test_an_unknown_language_in_the_link_or_cookie_is_ignored(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "klingon")
    page = client.get("/login?lang=xx", headers={"Accept-Language": "zh"})
    assert _lang(page.text) == "zh-Hans"
    assert page.status_code == 200


def test_the_switcher_links_to_this_page_in_the_other_language(client: TestClient) -> None:
    english = client.get("/papers?q=lora").text
    assert 'href="/papers?q=lora&amp;lang=zh"' in english
    chinese = client.get("/papers?q=lora&lang=zh").text
    assert 'href="/papers?q=lora&amp;lang=en"' in chinese


def test_the_json_api_keeps_its_english_codes(client: TestClient) -> None:
    answer = client.get("/api/v1/papers/999999999", headers={"Accept-Language": "zh"})
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    invalid = client.get("/api/v1/papers?year_from=abc", headers={"Accept-Language": "zh"})
    assert invalid.json()["code"] == "invalid_input"


def test_the_answer_cache_never_gives_one_language_the_other_ones_page(
    client: TestClient, db: Session
) -> None:
    make_paper(db, "Cached In Two Languages")
    db.commit()
    english = client.get("/papers")
    assert english.headers["x-cache"] == "miss"
    assert client.get("/papers").headers["x-cache"] == "hit"

    chinese = client.get("/papers", headers={"Accept-Language": "zh-CN"})
    assert chinese.headers["x-cache"] == "miss"
    assert _lang(chinese.text) == "zh-Hans"
    again = client.get("/papers", headers={"Accept-Language": "zh-CN"})
    assert again.headers["x-cache"] == "hit"
    assert _lang(again.text) == "zh-Hans"
    assert again.headers["content-language"] == "zh-Hans"

    english_again = client.get("/papers", headers={"Accept-Language": "en-US"})
    assert english_again.headers["x-cache"] == "hit"
    assert _lang(english_again.text) == "en"
    assert english_again.content == english.content

    # A reader whose only cookie is the language choice still shares the cache, in that language.
    client.cookies.set(LANGUAGE_COOKIE, "zh_Hans")
    by_cookie = client.get("/papers", headers={"Accept-Language": "en"})
    assert by_cookie.headers["x-cache"] == "hit"
    assert _lang(by_cookie.text) == "zh-Hans"


def test_category_names_come_in_the_readers_language_first(client: TestClient, db: Session) -> None:
    make_category(db, "agents", name_en="Agents", name_zh="智能体")
    db.commit()
    english = client.get("/categories/agents").text
    chinese = client.get("/categories/agents?lang=zh").text
    assert re.search(r"<h1>Agents <span[^>]*>智能体</span></h1>", english)
    assert re.search(r"<h1>智能体 <span[^>]*>Agents</span></h1>", chinese)
    assert "<title>智能体 · 大模型论文图谱</title>" in chinese


def test_tag_names_come_in_the_readers_language(client: TestClient, db: Session) -> None:
    tag = make_tag(db, "cot", name="Chain-of-thought")
    tag.name_zh = "思维链"
    make_paper(db, "Least-to-Most Prompting", slug="least-to-most", tags=[tag])
    db.commit()
    assert "#Chain-of-thought" in client.get("/papers/least-to-most").text
    chinese = client.get("/papers/least-to-most?lang=zh").text
    assert "#思维链" in chinese
    assert "#Chain-of-thought" not in chinese
    assert "<h1>#思维链</h1>" in client.get("/tags/cot?lang=zh").text
    make_paper(db, "Chain-of-Thought Prompting", slug="cot-prompting", tags=[tag])
    db.commit()
    assert "tag: Chain-of-thought" in client.get("/papers/least-to-most?lang=en").text
    assert "标签：思维链" in client.get("/papers/least-to-most?lang=zh").text


def test_related_papers_name_a_shared_category_in_the_reader_language(
    client: TestClient, db: Session
) -> None:
    category = make_category(db, "agents", name_en="Agents", name_zh="智能体")
    make_paper(db, "Reflexion", slug="reflexion", categories=[category])
    make_paper(db, "Voyager", slug="voyager", categories=[category])
    db.commit()
    assert "shares category: Agents" in client.get("/papers/reflexion").text
    assert "共同点：分类：智能体" in client.get("/papers/reflexion?lang=zh").text


def test_a_malformed_cookie_header_falls_back_to_accept_language(client: TestClient) -> None:
    page = client.get("/login", headers={"Cookie": 'pa_lang="zh_Hans; x', "Accept-Language": "zh"})
    assert page.status_code == 200
    assert _lang(page.text) == "zh-Hans"
    page = client.get("/login", headers={"Cookie": 'pa_lang="zh_Hans; x', "Accept-Language": "en"})
    assert _lang(page.text) == "en"

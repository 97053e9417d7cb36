"""What a first-time visitor tripped over: one name per thing, account lists using the width, clear labels."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_paper, make_rating, make_user
from tests.pages.conftest import sign_in


def visible_text(html: str) -> str:
    """The page's text without tags, scripts or attributes, whitespace collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def h1(html: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return visible_text(found.group(1))


def test_signing_up_is_called_sign_up_from_the_header_link_to_the_button(client: TestClient) -> None:
    home = client.get("/").text
    assert re.search(r'href="[^"]*/register"[^>]*>Sign up</a>', home)
    page = client.get("/register").text
    assert h1(page) == "Sign up"
    assert re.search(r'<button type="submit">Sign up</button>', page)
    assert "<title>Sign up · Paper Atlas</title>" in page
    for other in ("Register", "Create account", "Sign in", "Already registered"):
        assert other not in visible_text(page)


def test_logging_in_is_always_log_in(client: TestClient) -> None:
    page = client.get("/login").text
    assert h1(page) == "Log in"
    assert re.search(r'<button type="submit">Log in</button>', page)
    text = visible_text(page)
    assert "Sign in" not in text
    assert "Sign-in" not in text
    assert "No account yet? Sign up" in text


def test_log_out_says_logged_out(client: TestClient, db: Session) -> None:
    visitor = sign_in(client, db, make_user(db, "leaving"))
    answer = visitor.post("/logout")
    assert answer.status_code == 303
    assert "You are logged out." in client.get("/").text


def test_the_lists_page_is_called_what_the_navigation_calls_it(client: TestClient) -> None:
    home = client.get("/").text
    assert re.search(r'<a href="[^"]*/sources"[^>]*>Lists</a>', home)
    page = client.get("/sources").text
    assert h1(page) == "Lists"
    assert "Curated lists" not in page


def test_a_missing_paper_never_speaks_of_slugs(client: TestClient) -> None:
    answer = client.get("/papers/no-such-paper-here")
    assert answer.status_code == 404
    assert "slug" not in visible_text(answer.text).lower()
    assert "There is no paper at this address." in answer.text


def test_account_lists_give_titles_the_whole_width(client: TestClient, db: Session) -> None:
    user = make_user(db, "wide")
    paper = make_paper(db, "A Rather Long Title About Evaluating Assistants", year=2024, added_by=user)
    make_rating(db, paper, user, score=4)
    db.commit()
    page = sign_in(client, db, user).get("/account").text
    # The numbered-entry layout keeps a narrow first column for list numbers; account entries have none.
    entries = re.findall(r'<li class="([^"]*)">\s*<a class="title"', page)
    assert entries == ["entry entry-plain", "entry entry-plain"]
    css = client.get("/static/css/app.css").text
    assert re.search(r"\.entry\.entry-plain \{ grid-template-columns: minmax\(0, 1fr\);", css)
    assert ".entry time { white-space: nowrap; }" in css
    # The tokens table scrolls inside its box on a phone instead of widening the page.
    assert "No tokens yet." in page

"""What a first-time visitor tripped over: one name per thing, account lists using the width, clear labels."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.importing.provenance import NoteSegment
from app.importing.source_pages import repaired_note_html
from tests.factories import make_category, make_paper, make_rating, make_user
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
    chinese = client.get("/papers/no-such-paper-here?lang=zh").text
    assert "这个地址上没有论文。" in chinese
    assert "no-such-paper-here" not in visible_text(chinese)


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


def test_lists_label_the_curators_mark_and_the_readers_rating(client: TestClient, db: Session) -> None:
    paper = make_paper(db, "Labelled Marks", importance=4)
    make_rating(db, paper, make_user(db), score=5)
    nobody = make_paper(db, "Nobody Rated This", importance=2)
    db.commit()
    page = client.get("/papers?sort=title").text
    card = page[page.index("Labelled Marks") :]
    card = card[: card.index("</article>")]
    assert re.search(r'class="importance-label"[^>]*>Curators<', card)
    assert re.search(r'class="rating-label"[^>]*>Readers<', card)
    assert card.index("Curators") < card.index("Readers")
    unrated = client.get(f"/papers/{nobody.slug}").text
    assert '<span class="stars muted">No ratings yet</span>' in unrated
    assert "Not rated yet" not in unrated


def test_top_rated_uses_a_bayesian_average_and_says_so(client: TestClient, db: Session) -> None:
    lone = make_paper(db, "One Enthusiast")
    make_rating(db, lone, make_user(db), score=5)
    liked = make_paper(db, "Widely Liked")
    for score in (5, 5, 4, 5):
        make_rating(db, liked, make_user(db), score=score)
    db.commit()
    page = client.get("/papers?sort=rating").text
    assert page.index("Widely Liked") < page.index("One Enthusiast")
    assert re.search(r'<option value="rating" selected>Top rated \(Bayesian average\)</option>', page)
    api = client.get("/api/v1/papers", params={"sort": "rating", "limit": 1}).json()
    assert [item["title"] for item in api["items"]] == ["Widely Liked"]
    second = client.get(
        "/api/v1/papers", params={"sort": "rating", "limit": 1, "cursor": api["next_cursor"]}
    ).json()
    assert [item["title"] for item in second["items"]] == ["One Enthusiast"]


def test_a_guessed_character_inside_a_link_is_listed_in_a_disclosure() -> None:
    segments = [
        NoteSegment("看[解读之"),
        NoteSegment("一", ("一", "乙")),
        NoteSegment("](https://example.org/a) 与"),
        NoteSegment("另", ("另", "呙")),
    ]
    html = str(repaired_note_html(segments, key="7"))
    link = html[html.index("<a ") : html.index("</a>")]
    assert "<button" not in link  # no interactive element inside a link
    assert '<mark class="uncertain">一</mark>' in link
    assert (
        '<details class="guesses"><summary>Guessed characters in links</summary>'
        "<ul><li>一: A guess; also possible: 一 乙</li></ul></details>"
    ) in html
    assert 'aria-describedby="guess-7-1">另</button>' in html


@pytest.fixture
def two_topics(db: Session) -> dict[str, Any]:
    agents = make_category(db, "agents", name_en="Agents")
    rlhf = make_category(db, "rlhf", name_en="Reinforcement learning from human feedback")
    other = make_category(db, "other", name_en="Other")
    papers = {
        "agent": make_paper(
            db, "An Agent Paper", year=2023, categories=[agents], summary="**Tools** and plans"
        ),
        "rlhf": make_paper(db, "A Feedback Paper", year=2021, categories=[rlhf]),
        "undated": make_paper(db, "An Undated Paper", year=None, categories=[rlhf]),
    }
    for n in range(5):
        make_paper(db, f"Filler Paper {n}", year=2010 + n, categories=[other])
    db.commit()
    return papers


def test_two_categories_combine_as_alternatives_with_a_chip_each(client: TestClient, two_topics: Any) -> None:
    page = client.get("/papers?category=agents&category=rlhf&sort=title").text
    assert "<strong>3</strong> papers" in page
    chips = re.findall(r'aria-label="Remove the filter Category: ([^"]+)"', page)
    assert chips == ["Agents", "Reinforcement learning from human feedback"]
    # Each chip removes its own value; both facet entries are ticked; a third value adds to the two.
    assert 'href="http://testserver/papers?category=rlhf&amp;sort=title"' in page
    assert page.count('aria-current="true"') >= 2
    assert "/papers?category=agents&amp;category=rlhf&amp;category=other&amp;sort=title" in page


def test_papers_without_a_year_are_a_value_of_the_year_facet(client: TestClient, two_topics: Any) -> None:
    page = client.get("/papers").text
    assert re.search(r"year unknown</span></span>\s*<span class=\"count\">1</span>", page)
    chosen = client.get("/papers?year=unknown").text
    assert "<strong>1</strong> paper" in chosen
    assert "An Undated Paper" in chosen
    assert 'aria-label="Remove the filter Year: year unknown"' in chosen
    # The range control keeps the other filters and replaces chosen years.
    form = client.get("/papers?category=rlhf&year=2021").text
    form = form[form.index('<form class="year-range"') :]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="category" value="rlhf">' in form
    assert 'name="year"' not in form.replace('name="year_from"', "").replace('name="year_to"', "")
    assert "<strong>2</strong> papers" in client.get("/papers?year_from=2013&year_to=2014").text


def link(html: str, rel: str) -> str:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    assert found is not None
    return "/papers" + found.group(1).replace("&amp;", "&")


def test_pages_go_back_and_say_where_the_reader_is(client: TestClient, two_topics: Any) -> None:
    first = client.get("/papers?sort=title&limit=3").text
    assert "Papers 1–3 of 8" in first
    assert 'rel="prev"' not in first
    later = client.get(
        "/papers" + re.findall(r'href="([^"]+)" rel="next"', first)[0].replace("&amp;", "&")
    ).text
    assert "Papers 4–6 of 8" in later
    back = client.get(
        "/papers" + re.findall(r'href="([^"]+)" rel="prev"', later)[0].replace("&amp;", "&")
    ).text
    assert "Papers 1–3 of 8" in back
    assert "A Feedback Paper" in back
    assert "Previous page" not in back


def test_the_compact_view_is_chosen_once_and_remembered(client: TestClient, two_topics: Any) -> None:
    cards = client.get("/papers?sort=title").text
    assert 'class="paper-card"' in cards
    compact = client.get("/papers?sort=title&view=compact")
    assert "list_view=compact" in compact.headers["set-cookie"]
    assert 'class="paper-row"' in compact.text
    assert 'class="paper-card"' not in compact.text
    # One line of the note, as plain text.
    assert '<p class="note">Tools and plans</p>' in compact.text
    # The next list remembers the choice, topic pages too, until the reader switches back.
    assert 'class="paper-row"' in client.get("/papers?category=rlhf").text
    assert 'class="paper-row"' in client.get("/categories/rlhf").text
    assert 'class="paper-card"' in client.get("/papers?view=cards").text
    assert 'class="paper-card"' in client.get("/papers").text


def test_a_chosen_layout_never_reaches_another_reader_through_the_cache(
    client: TestClient, two_topics: Any
) -> None:
    client.cookies.clear()
    assert client.get("/papers").headers["x-cache"] == "miss"
    chosen = client.get("/papers?view=compact")
    assert chosen.headers["x-cache"] == "bypass"  # it sets the cookie that remembers the choice
    assert 'class="paper-row"' in client.get("/papers").text
    client.cookies.clear()
    other = client.get("/papers")
    assert other.headers["x-cache"] == "hit"
    assert 'class="paper-row"' not in other.text

"""/papers?q=…: an identifier opens its paper, the glossary's additions and corrections are shown."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_category, make_paper


def _text(client: TestClient, query: str) -> str:
    """The page's text, without the <mark> tags that highlight matches."""
    return re.sub(r"<[^>]+>", "", client.get("/papers", params={"q": query}).text)


def test_an_arxiv_id_in_the_search_box_opens_the_paper(client: TestClient, db: Session) -> None:
    paper = make_paper(db, "Attention Is All You Need", arxiv_id="1706.03762")
    db.commit()
    for query in ("1706.03762", "arXiv:1706.03762v7", "https://arxiv.org/pdf/1706.03762"):
        response = client.get("/papers", params={"q": query}, follow_redirects=False)
        assert response.status_code == 303, query
        assert response.headers["location"].endswith(f"/papers/{paper.slug}")


def test_the_page_says_what_the_query_was_widened_to(client: TestClient, db: Session) -> None:
    category = make_category(db, "cot-page", name_en="Chain-of-thought", name_zh="思维链")
    make_paper(db, "Prompting Elicits Reasoning", categories=[category])
    make_paper(db, "Self-Consistency Improves CoT")
    db.commit()
    page = _text(client, "思维链")
    assert "Also searched:" in page
    assert "chain-of-thought" in page
    assert "CoT" in page
    assert "Self-Consistency Improves CoT" in page
    assert "Prompting Elicits Reasoning" in page


def test_a_misspelt_query_shows_the_corrected_results_and_says_so(client: TestClient, db: Session) -> None:
    make_paper(db, "Attention Is All You Need")
    db.commit()
    page = _text(client, "atention is all you need")
    assert "Showing results for “attention is all you need” instead" in page
    assert "Attention Is All You Need" in page
    api = client.get("/api/v1/papers", params={"q": "atention is all you need"}).json()
    assert api["showing_results_for"] == api["did_you_mean"] == "attention is all you need"
    assert [item["title"] for item in api["items"]] == ["Attention Is All You Need"]

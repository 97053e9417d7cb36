"""/papers/{slug}: everything about one paper, safely rendered, with what the visitor may do."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.catalog.models import Paper
from app.importing.models import SourceEntry
from tests.factories import (
    make_category,
    make_paper,
    make_rating,
    make_source,
    make_source_entry,
    make_user,
)
from tests.pages.conftest import sign_in


@pytest.fixture
def gpt3(db: Session) -> Paper:
    foundation = make_category(db, "foundation-models", name_en="Foundation models", name_zh="基础大模型")
    paper = make_paper(
        db,
        "Language Models are Few-Shot Learners",
        slug="gpt3",
        short_name="GPT-3",
        authors=["Tom B. Brown", "Benjamin Mann"],
        year=2020,
        venue="NeurIPS",
        arxiv_id="2005.14165",
        url="https://arxiv.org/abs/2005.14165",
        pdf_url="https://arxiv.org/pdf/2005.14165",
        code_url="https://github.com/openai/gpt-3",
        categories=[foundation],
        tags=["few-shot"],
        summary="Open AI GPT3原始论文，见 https://openai.com/blog 与 **涌现能力**。<script>alert(1)</script>",
        importance=5,
    )
    make_paper(db, "Emergent Abilities of Large Language Models", slug="emergent", categories=[foundation])
    source = make_source(db, "llm-paper-reading", title="LLM_Paper_Reading", language="zh")
    entry = make_source_entry(
        db,
        source,
        paper,
        section_path=("OpenAI/Google 基础语言大模型",),
        stars=5,
        note="**GPT3原始论文** https://example.org/gpt3",
    )
    entry.raw_original = "GPT3åŽŸå§‹è®ºæ–‡"
    entry.uncertain_chars = [
        {"offset": 6, "chosen": "论", "candidates": ["论", "<b>伦"], "before": "原始", "after": "文"}
    ]
    for score in (5, 4):
        make_rating(db, paper, score=score)
    db.commit()
    return paper


def test_the_page_shows_the_paper_and_its_links(client: TestClient, gpt3: Paper) -> None:
    response = client.get("/papers/gpt3")
    assert response.status_code == 200
    html = response.text
    assert '<h1 id="paper-title">Language Models are Few-Shot Learners' in html
    assert '<span class="badge badge-accent short-name">GPT-3</span>' in html
    assert ">Tom B. Brown</a>" in html
    assert "author=Tom+B.+Brown" in html
    assert ">NeurIPS</a>" in html
    links = re.findall(
        r'<a class="button[^"]*" href="([^"]+)" rel="noopener noreferrer" data-link="(\w+)">([^<]+)</a>', html
    )
    assert links == [
        ("https://arxiv.org/abs/2005.14165", "arxiv", "arXiv abstract"),
        ("https://arxiv.org/pdf/2005.14165", "pdf", "PDF"),
        ("https://github.com/openai/gpt-3", "code", "Code"),
    ]
    assert ">Foundation models</a>" in html
    assert ">#few-shot</a>" in html


def test_the_summary_is_escaped_with_only_safe_links_and_marked_as_chinese(
    client: TestClient, gpt3: Paper
) -> None:
    html = client.get("/papers/gpt3").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="https://openai.com/blog" rel="nofollow noopener noreferrer ugc">' in html
    assert "<strong>涌现能力</strong>" in html
    assert '<div class="prose" lang="zh">' in html


def test_provenance_names_the_list_section_and_marks_guessed_characters(
    client: TestClient, gpt3: Paper
) -> None:
    html = client.get("/papers/gpt3").text
    section = html.split('id="provenance-title"', 1)[1].split("</section>", 1)[0]
    assert ">LLM_Paper_Reading</a>" in section
    assert "OpenAI/Google 基础语言大模型" in section
    assert "The curator’s mark: 5 of 5" in section
    assert "repaired text" in section
    # Bold and links survive the marking of guessed characters, and the alternatives are escaped.
    # Each guess is a button (touch and keyboard reach it) that opens its alternatives.
    guess = (
        '<span class="uncertain"><button type="button" class="uncertain-char" data-guess'
        ' aria-expanded="false" aria-controls="guess-0-0" aria-describedby="guess-0-0">论</button>'
        '<span class="uncertain-alternatives" id="guess-0-0" role="note">'
        "A guess; also possible: 论 &lt;b&gt;伦</span></span>"
    )
    assert f"<strong>GPT3原始{guess}文</strong>" in section
    assert '<a href="https://example.org/gpt3" rel="nofollow noopener noreferrer ugc">' in section


def test_the_rating_summary_shows_average_count_and_distribution(client: TestClient, gpt3: Paper) -> None:
    html = client.get("/papers/gpt3").text
    aside = html.split('id="rating-title"', 1)[1].split("</section>", 1)[0]
    assert '<span class="big">4.5</span>' in aside
    assert "2 ratings" in aside
    assert re.search(r"<span>5 ★</span>.*?<rect class=\"fill\" width=\"50.0\"", aside, re.DOTALL)
    assert re.search(r"<span>3 ★</span>.*?<rect class=\"fill\" width=\"0.0\"", aside, re.DOTALL)


def test_related_papers_are_linked_with_what_they_share(client: TestClient, gpt3: Paper) -> None:
    html = client.get("/papers/gpt3").text
    related = html.split('id="related-title"', 1)[1].split("</section>", 1)[0]
    assert ">Emergent Abilities of Large Language Models</a>" in related
    assert "category: Foundation models" in related


def test_anonymous_visitors_are_asked_to_log_in_to_rate_and_cannot_edit(
    client: TestClient, gpt3: Paper
) -> None:
    html = client.get("/papers/gpt3").text
    assert "Log in to rate" in html
    assert "next=/papers/gpt3%23rate" in html
    assert "/papers/gpt3/edit" not in html
    assert 'name="score"' not in html


def test_editors_and_the_member_who_added_it_may_edit_others_may_not(
    client: TestClient, db: Session, gpt3: Paper
) -> None:
    owner = make_user(db, "owner")
    gpt3.added_by_id = owner.id
    db.commit()
    sign_in(client, db, make_user(db, "stranger"))
    assert "/papers/gpt3/edit" not in client.get("/papers/gpt3").text
    sign_in(client, db, owner)
    assert "/papers/gpt3/edit" in client.get("/papers/gpt3").text
    sign_in(client, db, make_user(db, "boss", role=Role.EDITOR))
    html = client.get("/papers/gpt3").text
    assert "/papers/gpt3/edit" in html
    assert "/papers/gpt3/delete" in html


def test_a_paper_only_a_reader_added_says_no_list_mentions_it(client: TestClient, db: Session) -> None:
    make_paper(db, "A Fresh Preprint", slug="fresh", summary=None)
    db.commit()
    html = client.get("/papers/fresh").text
    assert "no list mentions it yet" in html
    assert "No summary yet." in html
    assert "No ratings yet" in html
    assert db.query(SourceEntry).count() == 0


def test_an_unknown_paper_is_a_404_page(client: TestClient) -> None:
    response = client.get("/papers/not-a-paper")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "not-a-paper" in response.text


def test_bibtex_is_shown_to_copy_and_offered_as_a_download(client: TestClient, gpt3: Paper) -> None:
    html = client.get("/papers/gpt3").text
    entry = re.search(r'<pre id="bibtex-entry" tabindex="0">(.*?)</pre>', html, re.DOTALL)
    assert entry is not None
    assert entry.group(1).startswith("@inproceedings{brown2020language,")
    assert "eprint = {2005.14165}" in entry.group(1)
    assert 'data-copy-target="#bibtex-entry" hidden' in html
    response = client.get("/papers/gpt3/bibtex")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-bibtex")
    assert response.headers["content-disposition"] == 'attachment; filename="brown2020language.bib"'
    assert "title = {{Language Models are Few-Shot Learners}}" in response.text
    assert "author = {Tom B. Brown and Benjamin Mann}" in response.text
    assert client.get("/papers/nothing/bibtex").status_code == 404

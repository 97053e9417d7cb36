"""/categories, /categories/{slug}, /tags, /tags/{slug}, /sources and /sources/{name}."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.taxonomy.models import Category
from tests.factories import make_category, make_paper, make_source, make_source_entry


def _titles(html: str) -> list[str]:
    return [
        html_lib.unescape(title)
        for title in re.findall(r'<h2 id="paper-\d+-title"><a href="[^"]+">([^<]+)</a>', html)
    ]


@pytest.fixture
def tree(db: Session) -> None:
    prompting = make_category(
        db, "prompting", name_en="Prompting", name_zh="提示学习", description="Steering models."
    )
    cot = make_category(
        db, "chain-of-thought", name_en="Chain of thought", name_zh="思维链", parent=prompting
    )
    make_category(db, "empty", name_en="Empty corner")
    make_paper(
        db, "Chain-of-Thought Prompting", categories=[cot], tags=["reasoning"], importance=5, year=2022
    )
    make_paper(
        db, "Prompt Engineering Survey", categories=[prompting], tags=["survey"], importance=2, year=2023
    )
    make_paper(db, "Tree of Thoughts", categories=[cot], tags=["reasoning"], importance=4, year=2023)
    db.commit()


@pytest.mark.usefixtures("tree")
def test_the_category_tree_shows_names_in_both_languages_and_counts(client: TestClient) -> None:
    html = client.get("/categories").text
    assert re.search(
        r'href="[^"]*/categories/prompting">Prompting</a>\s*<span class="muted" lang="zh">提示学习</span>\s*'
        r'<span class="badge">3</span>',
        html,
    )
    assert re.search(
        r'/categories/chain-of-thought">Chain of thought</a>.*?<span class="badge">2</span>', html, re.DOTALL
    )
    assert "Steering models." in html
    # An empty category is not offered to readers; editors still find it in the API's tree.
    assert "Empty corner" not in html
    assert "Empty corner" not in client.get("/papers").text
    assert "Empty corner" in client.get("/api/v1/categories").text


@pytest.mark.usefixtures("tree")
def test_a_tag_naming_the_same_topic_as_a_category_shows_once(client: TestClient, db: Session) -> None:
    make_paper(
        db,
        "Chain of Thought Again",
        categories=[db.scalars(select(Category).where(Category.slug == "prompting")).one()],
        tags=["prompting", "reasoning"],
    )
    db.commit()
    html = client.get("/categories/prompting").text
    card = html.split("Chain of Thought Again", 1)[1].split("</article>", 1)[0]
    assert card.count(">Prompting<") == 1
    assert "#reasoning" in card
    assert "#prompting" not in card


@pytest.mark.usefixtures("tree")
def test_a_category_lists_its_papers_and_those_below_it_most_important_first(client: TestClient) -> None:
    html = client.get("/categories/prompting").text
    assert _titles(html) == ["Chain-of-Thought Prompting", "Tree of Thoughts", "Prompt Engineering Survey"]
    assert "Chain of thought" in html.split('class="subcategories"', 1)[1]
    assert "category=prompting" in html
    newest = client.get("/categories/prompting", params={"sort": "newest"}).text
    assert _titles(newest)[-1] == "Chain-of-Thought Prompting"


@pytest.mark.usefixtures("tree")
def test_a_subcategory_shows_the_way_up(client: TestClient) -> None:
    html = client.get("/categories/chain-of-thought").text
    crumbs = html.split('class="breadcrumbs"', 1)[1].split("</nav>", 1)[0]
    assert ">Categories</a>" in crumbs
    assert ">Prompting</a>" in crumbs
    assert set(_titles(html)) == {"Chain-of-Thought Prompting", "Tree of Thoughts"}


def test_a_category_with_many_papers_pages_with_a_cursor(client: TestClient, db: Session) -> None:
    big = make_category(db, "big")
    for number in range(25):
        make_paper(db, f"Paper {number:02d}", categories=[big], importance=number % 5)
    db.commit()
    first = client.get("/categories/big", params={"sort": "title"}).text
    assert len(_titles(first)) == 20
    next_link = re.search(r'href="([^"]+)" rel="next"', first)
    assert next_link is not None
    second = client.get(html_lib.unescape(next_link.group(1))).text
    assert _titles(second) == [f"Paper {number:02d}" for number in range(20, 25)]
    # A damaged cursor starts again from the first page rather than failing.
    assert len(_titles(client.get("/categories/big", params={"cursor": "garbage"}).text)) == 20


def test_unknown_categories_and_tags_are_404(client: TestClient) -> None:
    assert client.get("/categories/nope").status_code == 404
    assert client.get("/tags/nope").status_code == 404
    assert client.get("/sources/nope").status_code == 404


@pytest.mark.usefixtures("tree")
def test_tags_are_a_cloud_by_use_or_by_name(client: TestClient) -> None:
    html = client.get("/tags").text
    assert re.search(
        r'class="chip weight-4" href="[^"]*/tags/reasoning">#reasoning <span class="count">2</span>', html
    )
    assert re.search(r'class="chip weight-\d" href="[^"]*/tags/survey">#survey', html)
    assert html.index("/tags/reasoning") < html.index("/tags/survey")
    by_name = client.get("/tags", params={"sort": "name"}).text
    assert by_name.index("/tags/reasoning") < by_name.index("/tags/survey")
    assert client.get("/tags", params={"sort": "sideways"}).status_code == 422


@pytest.mark.usefixtures("tree")
def test_a_tag_lists_its_papers(client: TestClient) -> None:
    html = client.get("/tags/reasoning").text
    assert "<h1>#reasoning</h1>" in html
    assert set(_titles(html)) == {"Chain-of-Thought Prompting", "Tree of Thoughts"}


def test_lists_show_as_their_curators_organised_them(client: TestClient, db: Session) -> None:
    source = make_source(db, "reading", title="LLM 论文阅读", language="zh")
    source.repaired_from = "cp1252"
    first = make_paper(db, "GPT-3", slug="gpt3")
    second = make_paper(db, "InstructGPT", slug="instructgpt")
    make_source_entry(db, source, first, section_path=("基础模型",), stars=5, note="GPT3原始论文")
    make_source_entry(db, source, second, section_path=("对齐", "RLHF"), note="**RLHF** 的开端")
    make_source_entry(db, source, None, section_path=("对齐", "RLHF"), title="A paper not yet linked")
    db.commit()

    index = client.get("/sources").text
    assert re.search(r'href="[^"]*/sources/reading" lang="zh">LLM 论文阅读</a>', index)
    assert "repaired (it had been read as cp1252)" in index

    html = client.get("/sources/reading").text
    sections = re.findall(r'<h2 id="section-\d+-title"[^>]*>([^<]+)</h2>', html)
    assert sections == ["基础模型", "对齐 › RLHF"]
    assert html.index(">GPT-3</a>") < html.index(">InstructGPT</a>") < html.index("A paper not yet linked")
    assert "<strong>RLHF</strong> 的开端" in html
    assert "The curator’s mark: 5 of 5" in html
    assert "source=reading" in html

"""/papers: facets that toggle filters, search with highlighted matches, sorting, keyset pages, the URL."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.catalog.identifiers import normalise_title
from tests.factories import make_category, make_paper, make_source, make_source_entry
from tests.pages.conftest import StatementCounter


def _titles(html: str) -> list[str]:
    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", title))
        for title in re.findall(r'<h2 id="paper-\d+-title"><a href="[^"]+">(.*?)</a>', html, re.DOTALL)
    ]


def _facet_href(html: str, label: str) -> str:
    """The href of the facet link whose label is LABEL."""
    pattern = (
        r'<a href="([^"]+)" rel="nofollow"[^>]*>\s*<span class="label"><span class="check"[^>]*>✓</span>'
        r"<span>" + re.escape(label) + r"[ <]"
    )
    found = re.search(pattern, html)
    assert found is not None, f"no facet link for {label!r}"
    return html_lib.unescape(found.group(1))


@pytest.fixture
def catalogue(db: Session) -> None:
    alignment = make_category(db, "alignment", name_en="Alignment", name_zh="对齐", position=1)
    rlhf = make_category(db, "rlhf", name_en="RLHF", parent=alignment)
    prompting = make_category(db, "prompting", name_en="Prompting", position=2)
    make_paper(
        db,
        "Training language models to follow instructions with human feedback",
        year=2022,
        categories=[rlhf],
        tags=["rlhf", "alignment"],
        venue="NeurIPS",
        importance=5,
        summary="InstructGPT: 使用人类反馈强化学习对GPT-3进行微调。",
    )
    make_paper(
        db,
        "Direct Preference Optimization",
        year=2023,
        categories=[alignment, rlhf],
        tags=["alignment"],
        venue="NeurIPS",
        summary="Preference tuning without reinforcement learning.",
    )
    cot = make_paper(
        db,
        "Chain-of-Thought Prompting Elicits Reasoning",
        year=2022,
        categories=[prompting],
        tags=["reasoning"],
        venue="NeurIPS",
        summary="Intermediate reasoning steps in the prompt.",
    )
    make_paper(
        db,
        "LoRA: Low-Rank Adaptation",
        year=2021,
        tags=["peft"],
        venue="ICLR",
        summary="低秩适配，参数高效微调。",
    )
    make_source_entry(db, make_source(db, "reading"), cot, section_path=("CoT",))
    db.commit()


@pytest.mark.usefixtures("catalogue")
def test_the_list_shows_every_paper_newest_first_with_facet_counts(client: TestClient) -> None:
    response = client.get("/papers")
    assert response.status_code == 200
    html = response.text
    assert _titles(html)[0] == "Direct Preference Optimization"
    assert set(_titles(html)) == {
        "Training language models to follow instructions with human feedback",
        "Direct Preference Optimization",
        "Chain-of-Thought Prompting Elicits Reasoning",
        "LoRA: Low-Rank Adaptation",
    }
    assert "<strong>4</strong> papers" in html
    facets = html.split('id="filters"', 1)[1]
    for label in ("Alignment", "RLHF", "Prompting", "rlhf", "2022", "NeurIPS", "ICLR"):
        _facet_href(facets, label)


@pytest.mark.usefixtures("catalogue")
def test_a_facet_link_switches_its_filter_on_and_the_active_chip_switches_it_off(client: TestClient) -> None:
    html = client.get("/papers").text
    href = _facet_href(html.split('id="filters"', 1)[1], "Alignment")
    assert parse_qs(urlsplit(href).query) == {"category": ["alignment"]}
    filtered = client.get(href).text
    # The category includes its subcategory's paper, and a paper filed in both counts once.
    assert "<strong>2</strong> papers" in filtered
    assert set(_titles(filtered)) == {
        "Training language models to follow instructions with human feedback",
        "Direct Preference Optimization",
    }
    assert 'aria-current="true"' in filtered
    chip = re.search(r'<a class="chip is-active" href="([^"]+)"[^>]*>.*?Alignment', filtered, re.DOTALL)
    assert chip is not None
    assert len(_titles(client.get(html_lib.unescape(chip.group(1))).text)) == 4


@pytest.mark.usefixtures("catalogue")
def test_filters_combine_and_stay_in_the_url(client: TestClient) -> None:
    html = client.get("/papers?tag=alignment&year_from=2023&year_to=2023&venue=NeurIPS").text
    assert _titles(html) == ["Direct Preference Optimization"]
    assert "Tag:</span> #alignment" in html
    assert "Year:</span> 2023" in html
    assert "Venue:</span> NeurIPS" in html
    # The search box keeps the other filters as hidden fields, so searching refines rather than starts over.
    form = html.split('class="list-search"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="tag" value="alignment">' in form
    assert '<input type="hidden" name="venue" value="NeurIPS">' in form


@pytest.mark.usefixtures("catalogue")
def test_searching_in_english_highlights_the_matches(client: TestClient) -> None:
    html = client.get("/papers", params={"q": "reasoning"}).text
    assert _titles(html) == ["Chain-of-Thought Prompting Elicits Reasoning"]
    assert "<mark>Reasoning</mark>" in html
    assert "Papers matching “reasoning”" in html
    assert 'value="reasoning"' in html


@pytest.mark.usefixtures("catalogue")
def test_searching_in_chinese_finds_two_character_words_and_marks_them(client: TestClient) -> None:
    html = client.get("/papers", params={"q": "微调"}).text
    assert set(_titles(html)) == {
        "Training language models to follow instructions with human feedback",
        "LoRA: Low-Rank Adaptation",
    }
    assert "<mark>微调</mark>" in html
    assert 'lang="zh"' in html


@pytest.mark.usefixtures("catalogue")
def test_a_search_that_finds_nothing_says_so_and_offers_a_way_back(client: TestClient) -> None:
    html = client.get("/papers", params={"q": "quantum gravity"}).text
    assert "No papers match" in html
    assert re.search(r'<a class="button secondary" href="[^"]*/papers">Show every paper</a>', html)


@pytest.mark.usefixtures("catalogue")
def test_sorting_is_a_get_form_that_keeps_the_filters(client: TestClient) -> None:
    html = client.get("/papers", params={"venue": "NeurIPS", "sort": "title"}).text
    assert _titles(html) == sorted(_titles(html), key=normalise_title)
    sort_form = html.split('class="sort-form"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="venue" value="NeurIPS">' in sort_form
    assert '<option value="title" selected>' in sort_form
    # Relevance is offered only with a query.
    assert 'value="relevance"' not in sort_form
    assert 'value="relevance"' in client.get("/papers", params={"q": "reasoning"}).text
    # Toggling a facet keeps the chosen order.
    assert "sort=title" in _facet_href(html.split('id="filters"', 1)[1], "2022")


def test_keyset_pages_walk_every_paper_once(client: TestClient, db: Session) -> None:
    for number in range(45):
        make_paper(db, f"Scaling study number {number:02d}", year=2000 + number % 20)
    db.commit()
    seen: list[str] = []
    url = "/papers?sort=title"
    pages = 0
    while url:
        html = client.get(url).text
        pages += 1
        seen.extend(_titles(html))
        found = re.search(r'<a class="button secondary" href="([^"]+)" rel="next">', html)
        url = html_lib.unescape(found.group(1)) if found else ""
        if url.startswith("?"):
            url = "/papers" + url
        if pages > 1:
            assert "First page" in html
    assert pages == 3
    assert seen == sorted(f"Scaling study number {number:02d}" for number in range(45))


@pytest.mark.usefixtures("catalogue")
def test_a_bad_or_stale_address_shows_the_first_page_and_says_what_was_ignored(client: TestClient) -> None:
    response = client.get(
        "/papers", params={"year_from": "soon", "cursor": "not-a-cursor", "utm_source": "x"}
    )
    assert response.status_code == 422
    assert "Part of this address was not understood" in response.text
    assert "<code>year_from</code>" in response.text
    assert len(_titles(response.text)) == 4


@pytest.mark.usefixtures("catalogue")
def test_unknown_parameters_are_ignored(client: TestClient) -> None:
    response = client.get("/papers", params={"utm_source": "newsletter"})
    assert response.status_code == 200
    assert len(_titles(response.text)) == 4


def test_the_list_costs_the_same_queries_for_a_few_papers_or_many(
    client: TestClient, db: Session, statements: StatementCounter
) -> None:
    category = make_category(db, "models")
    for number in range(3):
        make_paper(db, f"Early paper {number}", categories=[category], tags=["a", "b"], authors=["A", "B"])
    db.commit()
    client.get("/papers")
    statements.count = 0
    client.get("/papers")
    few = statements.count
    for number in range(17):
        make_paper(db, f"Later paper {number}", categories=[category], tags=["a", "c"], authors=["C", "D"])
    db.commit()
    client.get("/papers")
    statements.count = 0
    client.get("/papers")
    assert statements.count == few

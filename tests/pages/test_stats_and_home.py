"""The statistics (queries and the /stats page of SVG charts) and the front page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.browse import stats
from tests.factories import make_category, make_paper, make_rating, make_user

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def catalogue(db: Session) -> None:
    alignment = make_category(db, "alignment", name_en="Alignment", name_zh="对齐", position=1)
    rlhf = make_category(db, "rlhf", name_en="RLHF", parent=alignment)
    deep = make_category(db, "reward-models", name_en="Reward models", parent=rlhf)
    prompting = make_category(db, "prompting", name_en="Prompting", position=2)
    make_category(db, "unused", name_en="Unused")
    both = make_paper(
        db, "InstructGPT", year=2022, categories=[alignment, rlhf], tags=["rlhf"], venue="NeurIPS"
    )
    make_paper(
        db, "Reward Model Ensembles", year=2023, categories=[deep], tags=["rlhf", "reward"], importance=4
    )
    cot = make_paper(
        db, "Chain of Thought", year=2022, categories=[prompting], tags=["reasoning"], venue="NeurIPS"
    )
    make_paper(db, "An Old Idea", year=2018, venue="ICML")
    make_paper(db, "Undated", year=None)
    for score in (5, 5, 4):
        make_rating(db, both, make_user(db), score=score)
    make_rating(db, cot, make_user(db), score=1)
    db.commit()


@pytest.mark.usefixtures("catalogue")
def test_papers_per_year_leave_out_undated_papers(db: Session) -> None:
    assert stats.papers_per_year(db) == {2018: 1, 2022: 2, 2023: 1}


@pytest.mark.usefixtures("catalogue")
def test_rating_distribution_has_every_score(db: Session) -> None:
    assert stats.rating_distribution(db) == {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}


@pytest.mark.usefixtures("catalogue")
def test_top_tags_and_venues(db: Session) -> None:
    assert [(t.slug, t.papers) for t in stats.top_tags(db)][:1] == [("rlhf", 2)]
    assert {t.slug for t in stats.top_tags(db)} == {"rlhf", "reward", "reasoning"}
    assert [(v.venue, v.papers) for v in stats.top_venues(db)] == [("NeurIPS", 2), ("ICML", 1)]


def test_an_empty_catalogue_has_empty_figures(db: Session) -> None:
    assert stats.papers_per_year(db) == {}
    assert stats.rating_distribution(db) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


@pytest.mark.usefixtures("catalogue")
def test_the_stats_page_draws_accessible_svg_charts_that_link_to_papers(client: TestClient) -> None:
    html = client.get("/stats").text
    charts = re.findall(r"<svg class=\"chart .*?</svg>", html, re.DOTALL)
    assert len(charts) == 5
    titles = []
    for chart in charts:
        root = ET.fromstring(chart)
        assert root.get("role") == "img"
        titles.append(root.findtext(f"{SVG}title"))
    assert titles == ["Papers per year", "Papers per category", "Ratings given", "Top tags", "Top venues"]
    years = ET.fromstring(charts[0])
    links = [link.get("href") for link in years.iter(f"{SVG}a")]
    assert any(str(link).endswith("/papers?year_from=2022&year_to=2022") for link in links)
    # 2018 to 2023, the empty years included, then the papers without a year, not left out.
    assert len(list(years.iter(f"{SVG}rect"))) == 7
    assert str(links[-1]).endswith("/papers?year=unknown")
    assert "4 ratings from readers" in html
    # Every chart has its figures as a table too.
    assert html.count("<summary>Show the figures</summary>") == 5
    # Categories count what is filed in them and below them (InstructGPT is filed in Alignment and RLHF).
    assert '<td>Alignment</td><td class="num">3</td>' in html
    assert '<td>Prompting</td><td class="num">1</td>' in html
    assert "<td>Unused</td>" not in html


def test_the_stats_page_works_on_an_empty_catalogue(client: TestClient) -> None:
    response = client.get("/stats")
    assert response.status_code == 200
    assert response.text.count("Nothing to show yet") == 5


@pytest.mark.usefixtures("catalogue")
def test_the_front_page_holds_counts_search_categories_and_three_lists(client: TestClient) -> None:
    html = client.get("/").text
    assert re.search(r"<strong>5</strong><span>papers</span>", html)
    assert re.search(r"<strong>4</strong><span>ratings</span>", html)
    assert re.search(r'<form class="hero-search" role="search" method="get" action="[^"]*/papers">', html)
    categories = html.split('id="categories-title"', 1)[1].split("</section>", 1)[0]
    assert "Alignment" in categories
    # The front page reads the tree's maintained counts as /categories does: a paper filed twice counts twice.
    assert "3 papers" in categories
    assert "Unused" not in categories
    recent = html.split('id="recent-title"', 1)[1].split("</section>", 1)[0]
    assert recent.count('class="paper-card compact"') == 5
    rated = html.split('id="rated-title"', 1)[1].split("</section>", 1)[0]
    assert rated.index("InstructGPT") < rated.index("Chain of Thought")
    assert "An Old Idea" not in rated
    important = html.split('id="important-title"', 1)[1].split("</section>", 1)[0]
    assert important.index("Reward Model Ensembles") < important.index("InstructGPT")


def test_the_front_page_of_an_empty_catalogue(client: TestClient) -> None:
    html = client.get("/").text
    assert "Nobody has rated a paper yet" in html
    assert "No categories yet." in html


def test_the_figures_are_counted_once_per_change_of_the_catalogue(
    client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[int] = []
    papers_per_year = stats.papers_per_year

    def counting(session: Session) -> dict[int, int]:
        counted.append(1)
        return papers_per_year(session)

    monkeypatch.setattr(stats, "papers_per_year", counting)
    make_paper(db, "First", year=2020)
    db.commit()
    assert '<td>2020</td><td class="num">1</td>' in client.get("/stats").text
    assert '<td>2020</td><td class="num">1</td>' in client.get("/stats", headers={"Cookie": "x=1"}).text
    assert len(counted) == 1, "an unchanged catalogue is not counted again"
    make_paper(db, "Second", year=2020)
    db.commit()
    assert '<td>2020</td><td class="num">2</td>' in client.get("/stats").text
    assert len(counted) == 2

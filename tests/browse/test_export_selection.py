"""The export reads exactly what the list shows, in the list's order, for every sort and filter."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.browse import queries
from app.browse.queries.ordered import ordered_ids, select_papers
from app.catalog.schemas import PaperFilters, PaperListParams, PaperSort
from app.exporting import service
from app.search import service as search
from tests.factories import make_category, make_paper, make_rating


@pytest.fixture(autouse=True)
def _search_installed() -> None:
    """These tests call the services without an app, so they install full-text search themselves."""
    search.install()


@pytest.fixture
def varied(db: Session) -> None:
    parent = make_category(db, "learning")
    child = make_category(db, "alignment-methods", parent=parent)
    for index in range(14):
        paper = make_paper(
            db,
            f"Alignment study {index:02d}" if index % 2 else f"Scaling report {index:02d}",
            year=None if index % 5 == 0 else 2015 + index % 4,
            importance=None if index % 3 == 0 else index % 6,
            categories=[child] if index % 3 else [],
            tags=["rlhf"] if index % 4 else ["scaling"],
            summary="alignment with human feedback" if index % 2 else None,
        )
        if index % 4 == 1:
            make_rating(db, paper, score=1 + index % 5)
    db.commit()  # the search index is written when the session commits


def _listed(db: Session, filters: PaperFilters, sort: PaperSort | None) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        params = PaperListParams.model_validate(
            {**filters.model_dump(), "sort": sort, "limit": 3, "cursor": cursor}
        )
        page = queries.list_papers(db, params)
        ids += [paper.id for paper in page.items]
        if page.next_cursor is None:
            return ids
        cursor = page.next_cursor


CASES = [
    *[(PaperFilters(), sort) for sort in PaperSort if sort is not PaperSort.RELEVANCE],
    (PaperFilters(tag=["rlhf"]), PaperSort.NEWEST),
    (PaperFilters(category="learning", year_from=2016), PaperSort.IMPORTANCE),
    (PaperFilters(q="alignment"), None),
    (PaperFilters(q="alignment", tag=["rlhf"]), PaperSort.OLDEST),
    (PaperFilters(tag=["no-such-tag"]), None),
]


@pytest.mark.parametrize(("filters", "sort"), CASES)
@pytest.mark.usefixtures("varied")
def test_export_order_is_the_list_order(db: Session, filters: PaperFilters, sort: PaperSort | None) -> None:
    listed = _listed(db, filters, sort)
    assert listed or filters.tag == ["no-such-tag"]
    assert ordered_ids(db, filters, sort=sort, limit=1000) == listed
    assert [paper.id for paper in select_papers(db, filters, sort=sort, limit=1000).papers] == listed


@pytest.mark.usefixtures("varied")
def test_selection_is_bounded_and_says_so(db: Session) -> None:
    selection = select_papers(db, PaperFilters(), sort=PaperSort.TITLE, limit=5)
    assert len(selection.papers) == 5
    assert selection.truncated
    assert not select_papers(db, PaperFilters(tag=["scaling"]), sort=None, limit=100).truncated


def test_records_carry_links_and_notes(db: Session) -> None:
    category = make_category(db)
    paper = make_paper(
        db, "Recorded", authors=["B Author", "A Author"], categories=[category], tags=["zeta", "alpha"]
    )
    (record,) = service.load_records(db, [paper.id])
    assert (record.authors, record.categories, record.tags) == (
        ["B Author", "A Author"],
        [category.slug],
        ["alpha", "zeta"],
    )


def test_a_query_naming_a_paper_by_its_identifier_exports_that_paper(
    db: Session,
) -> None:
    lora = make_paper(db, "LoRA: Low-Rank Adaptation of Large Language Models", arxiv_id="2106.09685")
    make_paper(db, "A survey that cites 2106.09685", summary="see arXiv:2106.09685")
    db.commit()
    filters = PaperFilters(q="https://arxiv.org/abs/2106.09685v2")
    assert _listed(db, filters, None) == [lora.id]
    assert ordered_ids(db, filters, sort=None, limit=1000) == [lora.id]

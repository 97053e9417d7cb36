"""Stored related papers: equal to computing them now, and dropped when a paper's own links change."""

from __future__ import annotations

import random

from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.browse.queries import refresh_lists, related_papers, stored_or_computed
from app.catalog.models import Paper, PaperAuthor, PaperTag, RelatedList
from tests.factories import make_category, make_paper, make_tag


def _small_catalogue(db: Session) -> list[Paper]:
    """Forty papers sharing tags, categories and authors at random (seeded): many ties and near ties."""
    rng = random.Random(7)
    tags = [make_tag(db) for _ in range(8)]
    categories = [make_category(db) for _ in range(3)]
    people = [f"Author {n}" for n in range(10)]
    return [
        make_paper(
            db,
            f"Paper {n}",
            tags=rng.sample(tags, rng.randint(0, 4)),
            categories=rng.sample(categories, rng.randint(0, 2)),
            authors=rng.sample(people, rng.randint(0, 3)),
        )
        for n in range(40)
    ]


def test_stored_lists_equal_the_live_computation(client: TestClient, db: Session) -> None:
    papers = _small_catalogue(db)
    ids = [paper.id for paper in papers]
    assert refresh_lists(db, ids) == len(ids)
    assert set(db.scalars(select(RelatedList.paper_id).where(RelatedList.paper_id.in_(ids)))) == set(ids)
    for paper_id in ids:
        assert stored_or_computed(db, paper_id) == related_papers(db, paper_id)
    assert any(related_papers(db, paper_id) for paper_id in ids)
    db.commit()
    shown = client.get(f"/api/v1/papers/{ids[0]}").json()["related"]
    assert shown == [item.model_dump() for item in related_papers(db, ids[0])]


def test_a_papers_own_link_changes_drop_its_list(db: Session) -> None:
    papers = _small_catalogue(db)
    ids = [paper.id for paper in papers]
    with_authors = set(db.scalars(select(PaperAuthor.paper_id).where(PaperAuthor.paper_id.in_(ids))))
    first, second, third = ids[0], *[paper_id for paper_id in ids[1:] if paper_id in with_authors][:2]
    refresh_lists(db, ids)
    tag = make_tag(db)
    db.add(PaperTag(paper_id=first, tag_id=tag.id))
    db.execute(delete(PaperAuthor).where(PaperAuthor.paper_id == second))
    db.flush()
    stored = set(
        db.scalars(select(RelatedList.paper_id).where(RelatedList.paper_id.in_([first, second, third])))
    )
    assert stored == {third}
    # Without a stored list the answer is computed now; refreshing the missing lists stores it again.
    assert stored_or_computed(db, first) == related_papers(db, first)
    assert refresh_lists(db) >= 2
    for paper_id in (first, second):
        assert stored_or_computed(db, paper_id) == related_papers(db, paper_id)


def test_a_stored_list_naming_a_deleted_paper_is_computed_again(db: Session) -> None:
    papers = _small_catalogue(db)
    ids = [paper.id for paper in papers]
    refresh_lists(db, ids)
    with_neighbours = next(paper_id for paper_id in ids if related_papers(db, paper_id))
    gone = related_papers(db, with_neighbours)[0].id
    db.execute(delete(Paper).where(Paper.id == gone))
    db.flush()
    answer = stored_or_computed(db, with_neighbours)
    assert gone not in [item.id for item in answer]
    assert answer == related_papers(db, with_neighbours)

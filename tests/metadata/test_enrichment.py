"""`papers enrich` on the seeded catalogue against the fake sources: what is filled, what is never touched."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.catalog import enrichment, service
from app.catalog.field_sources import field_sources
from app.catalog.links import author_names
from app.catalog.models import Paper, PaperAuthor, PaperFieldSource
from app.catalog.write_schemas import PaperUpdate
from app.config import PROJECT_ROOT, Settings
from app.importing.seeding import seed_lists
from app.metadata.errors import FetchingOff
from app.metadata.schemas import Identifier
from tests.factories import make_paper, make_user
from tests.metadata.fake_sources import ArxivPaper, Failure, FakeSources, crossref_work

MISSING_AT_THE_SOURCE = 3  # the first few arXiv ids are unknown to the fake arXiv


def _snapshot(db: Session) -> list[tuple[Any, ...]]:
    papers = db.execute(
        select(Paper.id, Paper.arxiv_id, Paper.doi, Paper.url, Paper.pdf_url, Paper.year, Paper.published)
        .add_columns(Paper.venue, Paper.summary)
        .order_by(Paper.id)
    )
    authors = author_names(db, list(db.scalars(select(Paper.id))))
    return [(*row, tuple(authors.get(row[0], []))) for row in papers]


@pytest.fixture
def seeded(db: Session, fake_sources: FakeSources) -> list[Paper]:
    """The seed lists imported, and the fake sources knowing most of their papers."""
    seed_lists(db, PROJECT_ROOT / "seeds", max_bytes=5 * 1024 * 1024)
    papers = list(db.scalars(select(Paper).order_by(Paper.id)))
    with_ids = [paper for paper in papers if paper.arxiv_id]
    for paper in with_ids[MISSING_AT_THE_SOURCE:]:
        yymm = paper.arxiv_id[:4] if paper.arxiv_id and "/" not in paper.arxiv_id else "0701"
        fake_sources.add_arxiv(
            ArxivPaper(
                paper.arxiv_id or "",
                paper.title,
                [f"First Author {paper.id}", f"Second Author {paper.id}"],
                abstract=f"Abstract of paper {paper.id}.",
                published=f"20{yymm[:2]}-{yymm[2:]}-15T00:00:00Z",
                journal_ref=f"Venue {paper.id}",
            )
        )
    for paper in papers:
        if paper.doi and not paper.arxiv_id:
            fake_sources.add_crossref(crossref_work(paper.doi, paper.title, [("Ada", f"Lovelace{paper.id}")]))
    title_only = [paper for paper in papers if not paper.arxiv_id and not paper.doi]
    assert len(title_only) >= 2
    # One paper arXiv knows by exactly its title, one only by a longer title that must not be taken.
    fake_sources.add_arxiv(ArxivPaper("2401.00001", title_only[0].title.upper() + ".", ["Found By Title"]))
    fake_sources.add_arxiv(ArxivPaper("2401.00002", title_only[1].title + " Revisited", ["Not This One"]))
    return papers


def test_enrich_fills_the_seeded_papers_and_a_second_run_changes_nothing(
    db: Session, fetching: Settings, fake_sources: FakeSources, seeded: list[Paper]
) -> None:
    # One the fake arXiv knows (ids depend on what ran before on PostgreSQL, so not chosen by id).
    person_venue = next(paper for paper in seeded if paper.arxiv_id in fake_sources.arxiv and not paper.venue)
    service.update_paper(
        db, person_venue, PaperUpdate(short_name="Edited"), user=make_user(db, role=Role.EDITOR)
    )
    listed_authors = {
        paper_id: names for paper_id, names in author_names(db, [p.id for p in seeded]).items() if names
    }
    summaries = {paper.id: paper.summary for paper in seeded if paper.summary}
    known = {paper.id for paper in seeded if paper.arxiv_id in fake_sources.arxiv}

    report = enrichment.enrich(db, fetching)

    assert report.filled > 100
    assert report.not_found >= MISSING_AT_THE_SOURCE + 1  # and the title-only papers arXiv does not know
    assert report.failed == 0
    assert report.found_by_title == 1
    assert report.fields["authors"] >= 90
    # Nothing that had a value was changed: the lists' authors and notes stay.
    now_authors = author_names(db, [p.id for p in seeded])
    assert all(now_authors[paper_id] == names for paper_id, names in listed_authors.items())
    db.expire_all()
    assert all(db.get(Paper, paper_id).summary == text for paper_id, text in summaries.items())  # type: ignore[union-attr]
    # A filled field says where it came from; a curated paper's empty fields are filled like any other.
    filled = next(paper for paper in seeded if paper.id in known and paper.id not in listed_authors)
    assert now_authors[filled.id] == [f"First Author {filled.id}", f"Second Author {filled.id}"]
    assert field_sources(db, filled.id)["authors"] == "arxiv"
    assert db.get(Paper, person_venue.id).venue == f"Venue {person_venue.id}"  # type: ignore[union-attr]
    found = db.scalars(select(Paper).where(Paper.arxiv_id == "2401.00001")).one()
    assert now_authors[found.id] == ["Found By Title"]
    assert db.scalar(select(func.count()).where(Paper.arxiv_id == "2401.00002")) == 0

    before, asked = _snapshot(db), len(fake_sources.requests)
    rows = db.scalar(select(func.count()).select_from(PaperFieldSource))
    again = enrichment.enrich(db, fetching)

    assert again.filled == 0
    assert _snapshot(db) == before
    assert db.scalar(select(func.count()).select_from(PaperFieldSource)) == rows
    assert len(fake_sources.requests) == asked  # every answer, found or not, came from the cache


def test_a_persons_edit_is_never_overwritten_and_takes_the_field_from_the_source(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    editor = make_user(db, role=Role.EDITOR)

    paper = make_paper(db, "Attention Is All You Need", year=None)
    service.update_paper(db, paper, PaperUpdate(arxiv_id="1706.03762"), user=editor)
    fake_sources.add_arxiv(
        ArxivPaper("1706.03762", "Attention Is All You Need", ["A. Vaswani"], journal_ref="NIPS")
    )

    enrichment.enrich(db, fetching, ["authors", "venue", "year"])
    assert field_sources(db, paper.id) == {"authors": "arxiv", "venue": "arxiv", "year": "arxiv"}

    service.update_paper(db, paper, PaperUpdate(venue="NeurIPS 2017"), user=editor)
    enrichment.enrich(db, fetching)
    assert paper.venue == "NeurIPS 2017"
    assert "venue" not in field_sources(db, paper.id)


def test_only_the_fields_asked_for_are_filled_and_limit_bounds_the_papers(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:

    first = make_paper(db, "Language Models are Few-Shot Learners", year=None)
    second = make_paper(db, "Second paper", year=None)
    first.arxiv_id, second.arxiv_id = "2005.14165", "2005.14166"
    db.flush()
    fake_sources.add_arxiv(
        ArxivPaper("2005.14165", first.title, ["Tom B. Brown"], journal_ref="NeurIPS 2020"),
        ArxivPaper("2005.14166", second.title, ["Someone"]),
    )

    report = enrichment.enrich(db, fetching, ["year"], limit=1)

    assert (report.filled, dict(report.fields)) == (1, {"year": 1})
    assert (first.year, first.venue, second.year) == (2020, None, None)
    assert db.scalar(select(func.count()).where(PaperAuthor.paper_id == first.id)) == 0


def test_a_failing_source_is_counted_and_nothing_is_half_written(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:

    paper = make_paper(db, "Some paper", year=None)
    paper.arxiv_id = "2005.14165"
    db.flush()
    fake_sources.fail_next("arxiv", Failure(503), Failure(503), Failure(503))

    report = enrichment.enrich(db, fetching)

    assert (report.failed, report.filled) == (1, 0)
    assert "arXiv could not be reached" in report.failures[0]
    assert paper.year is None


def test_with_fetching_off_enrich_stops_with_a_clear_error(db: Session, settings: Settings) -> None:

    make_paper(db, "Some paper", year=None).arxiv_id = "2005.14165"
    db.flush()
    with pytest.raises(FetchingOff, match="METADATA_FETCH=off"):
        enrichment.enrich(db, settings)


def test_lookups_are_grouped_as_one_request_each() -> None:
    arxiv = [
        enrichment.Candidate(n, "t", Identifier(kind="arxiv", value=f"2005.{n:05d}")) for n in range(120)
    ]
    others = [
        enrichment.Candidate(200, "t", Identifier(kind="doi", value="10.1000/a")),
        enrichment.Candidate(201, "A title only", None),
    ]
    units = enrichment.lookup_units([*others, *arxiv])
    assert [len(unit) for unit in units] == [50, 50, 20, 1, 1]
    assert units[-1] == [others[1]]


def test_a_month_from_another_year_than_the_papers_is_not_taken(
    db: Session, fetching: Settings, fake_sources: FakeSources
) -> None:
    paper = make_paper(db, "Dated by its conference", year=2023)
    paper.arxiv_id = "2210.00001"
    db.flush()
    fake_sources.add_arxiv(
        ArxivPaper("2210.00001", paper.title, ["A. Author"], published="2022-10-01T00:00:00Z")
    )

    enrichment.enrich(db, fetching, ["published", "authors"])

    assert (paper.year, paper.published) == (2023, None)

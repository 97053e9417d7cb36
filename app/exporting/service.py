"""Reading the papers an export or feed asks for, through the catalogue's own listing, into plain records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.catalog import queries
from app.catalog.models import Paper
from app.catalog.schemas import MAX_PAGE_SIZE, PaperFilters, PaperListParams, PaperSort, PaperSummary
from app.exporting.records import ExportCategory, ExportPaper
from app.importing.models import SourceEntry
from app.taxonomy.models import Category

# A paper named by many lists keeps its first few notes; an export is not the place for all of them.
MAX_NOTES_PER_PAPER = 3


@dataclass(frozen=True)
class Selection:
    papers: list[ExportPaper]
    truncated: bool


def select_papers(
    session: Session, filters: PaperFilters, *, sort: PaperSort | None, limit: int
) -> Selection:
    """Up to LIMIT papers the filters admit, in the list's order; `truncated` when more matched."""
    papers: list[ExportPaper] = []
    cursor: str | None = None
    while len(papers) < limit:
        params = PaperListParams.model_validate(
            {
                **filters.model_dump(),
                "sort": sort,
                "limit": min(MAX_PAGE_SIZE, limit - len(papers)),
                "cursor": cursor,
            }
        )
        page = queries.list_papers(session, params)
        papers += _records(session, page.items)
        cursor = page.next_cursor
        if cursor is None:
            return Selection(papers, truncated=False)
    return Selection(papers, truncated=True)


def _records(session: Session, summaries: Sequence[PaperSummary]) -> list[ExportPaper]:
    ids = [paper.id for paper in summaries]
    extra = {
        row.id: row
        for row in session.execute(select(Paper.id, Paper.summary, Paper.updated_at).where(Paper.id.in_(ids)))
    }
    notes: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(SourceEntry.paper_id, SourceEntry.note)
        .where(SourceEntry.paper_id.in_(ids), SourceEntry.note.is_not(None), SourceEntry.is_present)
        .order_by(SourceEntry.paper_id, SourceEntry.source_id, SourceEntry.position)
    )
    for paper_id, note in rows:
        if (
            paper_id is not None
            and note
            and note not in notes[paper_id]
            and len(notes[paper_id]) < MAX_NOTES_PER_PAPER
        ):
            notes[paper_id].append(note)
    return [
        ExportPaper(
            id=paper.id,
            slug=paper.slug,
            title=paper.title,
            created_at=paper.created_at,
            updated_at=extra[paper.id].updated_at if paper.id in extra else paper.created_at,
            authors=list(paper.authors),
            short_name=paper.short_name,
            year=paper.year,
            published=paper.published,
            venue=paper.venue,
            arxiv_id=paper.arxiv_id,
            doi=paper.doi,
            url=paper.url,
            pdf_url=paper.pdf_url,
            code_url=paper.code_url,
            summary=extra[paper.id].summary if paper.id in extra else None,
            importance=paper.importance,
            rating_avg=paper.rating_avg,
            rating_count=paper.rating_count,
            categories=[category.slug for category in paper.categories],
            tags=[tag.name for tag in paper.tags],
            notes=notes[paper.id],
        )
        for paper in summaries
    ]


def category_tree(session: Session) -> list[ExportCategory]:
    """Every category with its parent's slug, for grouping a markdown list."""
    parent = aliased(Category)
    rows = session.execute(
        select(Category.slug, Category.name_en, Category.name_zh, parent.slug, Category.position).outerjoin(
            parent, parent.id == Category.parent_id
        )
    )
    return [
        ExportCategory(
            slug=slug, name_en=name_en, name_zh=name_zh, parent_slug=parent_slug, position=position
        )
        for slug, name_en, name_zh, parent_slug, position in rows
    ]

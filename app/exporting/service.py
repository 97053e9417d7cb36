"""Reading the papers an export or feed asks for, with the catalogue's own filters and order, as records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.bulk import chunks
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.catalog.queries.filters import ResolvedFilters, resolve_filters
from app.catalog.queries.listing import SORT_KEYS, relevance_ranked
from app.catalog.queries.lookup import paper_named_by
from app.catalog.schemas import PaperFilters, PaperSort
from app.errors import InvalidInput
from app.exporting.records import ExportCategory, ExportPaper
from app.importing.models import SourceEntry
from app.taxonomy.models import Category, Tag

# A paper named by many lists keeps its first few notes; an export is not the place for all of them.
MAX_NOTES_PER_PAPER = 3
RECORD_COLUMNS = (
    Paper.id,
    Paper.slug,
    Paper.title,
    Paper.created_at,
    Paper.updated_at,
    Paper.short_name,
    Paper.year,
    Paper.published,
    Paper.venue,
    Paper.arxiv_id,
    Paper.doi,
    Paper.url,
    Paper.pdf_url,
    Paper.code_url,
    Paper.summary,
    Paper.importance,
    Paper.rating_avg,
    Paper.rating_count,
)


@dataclass(frozen=True)
class Selection:
    papers: list[ExportPaper]
    truncated: bool


def select_papers(
    session: Session, filters: PaperFilters, *, sort: PaperSort | None, limit: int
) -> Selection:
    """Up to LIMIT papers the filters admit, in the order `GET /api/v1/papers` lists them.

    One ordered query instead of paging through the list: pages would re-rank the matches and highlight
    snippets on every page, which an export has no use for (5,000 papers took seconds that way).
    """
    ids = ordered_ids(session, filters, sort=sort, limit=limit + 1)
    papers = load_records(session, ids[:limit])
    return Selection(papers, truncated=len(ids) > limit)


def ordered_ids(session: Session, filters: PaperFilters, *, sort: PaperSort | None, limit: int) -> list[int]:
    named = paper_named_by(session, filters.q) if filters.q else None
    if named is not None:
        # As in the list: a query that names a paper by its arXiv id, DOI or link answers with that paper.
        return [named[0]][:limit]
    resolved = resolve_filters(session, filters)
    if resolved.matches_nothing:
        return []
    effective = sort or (PaperSort.RELEVANCE if filters.q else PaperSort.NEWEST)
    if effective is PaperSort.RELEVANCE:
        return _by_relevance(session, resolved, limit)
    key = SORT_KEYS[effective]
    base = select(Paper.id).where(*resolved.page_conditions())
    order = [key.column.desc(), Paper.id.desc()] if key.descending else [key.column.asc(), Paper.id.asc()]
    with_value = base.where(key.column.is_not(None)) if key.nullable else base
    ids = list(session.scalars(with_value.order_by(*order).limit(limit)))
    if key.nullable and len(ids) < limit:
        # As in the list: papers without the sort value come last, by id in the sort's direction.
        without = base.where(key.column.is_(None)).order_by(order[1]).limit(limit - len(ids))
        ids += session.scalars(without)
    return ids


def _by_relevance(session: Session, resolved: ResolvedFilters, limit: int) -> list[int]:
    match = resolved.text
    if match is None:
        raise InvalidInput("sort=relevance needs a query q", fields={"sort": "Needs q."})
    return [paper_id for paper_id, _value in relevance_ranked(session, resolved, None)[:limit]]


def load_records(session: Session, ids: Sequence[int]) -> list[ExportPaper]:
    """The papers with these ids as records, in the order given, read in chunks."""
    records: list[ExportPaper] = []
    for chunk in chunks(ids):
        records += _chunk_records(session, chunk)
    return records


def _grouped(session: Session, statement: Select[Any, Any]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for paper_id, value in session.execute(statement):
        if paper_id is not None and value:
            grouped[paper_id].append(value)
    return grouped


def _chunk_records(session: Session, ids: Sequence[int]) -> list[ExportPaper]:
    rows = {row.id: row for row in session.execute(select(*RECORD_COLUMNS).where(Paper.id.in_(ids)))}
    authors = _grouped(
        session,
        select(PaperAuthor.paper_id, Author.name)
        .join(Author, Author.id == PaperAuthor.author_id)
        .where(PaperAuthor.paper_id.in_(ids))
        .order_by(PaperAuthor.paper_id, PaperAuthor.position),
    )
    categories = _grouped(
        session,
        select(PaperCategory.paper_id, Category.slug)
        .join(Category, Category.id == PaperCategory.category_id)
        .where(PaperCategory.paper_id.in_(ids))
        .order_by(PaperCategory.paper_id, Category.position, Category.slug),
    )
    tags = _grouped(
        session,
        select(PaperTag.paper_id, Tag.name)
        .join(Tag, Tag.id == PaperTag.tag_id)
        .where(PaperTag.paper_id.in_(ids))
        .order_by(PaperTag.paper_id, Tag.slug),
    )
    notes = _grouped(
        session,
        select(SourceEntry.paper_id, SourceEntry.note)
        .where(SourceEntry.paper_id.in_(ids), SourceEntry.note.is_not(None), SourceEntry.is_present)
        .order_by(SourceEntry.paper_id, SourceEntry.source_id, SourceEntry.position),
    )
    return [
        ExportPaper(
            **rows[paper_id]._asdict(),
            authors=authors[paper_id],
            categories=categories[paper_id],
            tags=tags[paper_id],
            notes=list(dict.fromkeys(notes[paper_id]))[:MAX_NOTES_PER_PAPER],
        )
        for paper_id in ids
        if paper_id in rows
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

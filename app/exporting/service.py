"""Reading the papers an export or feed holds, given by id in their order, as records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.bulk import chunks
from app.catalog.authors import authors_of
from app.catalog.models import Paper, PaperCategory, PaperTag
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
    authors = authors_of(session, ids)
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

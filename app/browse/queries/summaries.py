"""Load the papers of a page as PaperSummary models in four queries, whatever the page size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.authors import authors_of
from app.catalog.models import Paper, PaperCategory, PaperTag
from app.catalog.schemas import CategoryRef, PaperSummary, TagRef
from app.importing.models import SourceEntry
from app.note_text import note_plain_text
from app.rating_dependencies import show_ratings_of
from app.search import service as search
from app.search.matching import SnippetSource
from app.taxonomy.models import Category, Tag

SUMMARY_COLUMNS = (
    Paper.id,
    Paper.slug,
    Paper.title,
    Paper.short_name,
    Paper.year,
    Paper.published,
    Paper.venue,
    Paper.arxiv_id,
    Paper.doi,
    Paper.url,
    Paper.pdf_url,
    Paper.code_url,
    Paper.importance,
    Paper.rating_avg,
    Paper.rating_count,
    Paper.created_at,
)
MAX_NOTES_PER_PAPER = 3


def categories_by_paper(session: Session, paper_ids: Sequence[int]) -> dict[int, list[CategoryRef]]:
    rows = session.execute(
        select(PaperCategory.paper_id, Category.slug, Category.name_en, Category.name_zh)
        .join(Category, Category.id == PaperCategory.category_id)
        .where(PaperCategory.paper_id.in_(paper_ids))
        .order_by(PaperCategory.paper_id, Category.position, Category.slug)
    )
    found: dict[int, list[CategoryRef]] = defaultdict(list)
    for paper_id, slug, name_en, name_zh in rows:
        found[paper_id].append(CategoryRef(slug=slug, name_en=name_en, name_zh=name_zh))
    return found


def tags_by_paper(session: Session, paper_ids: Sequence[int]) -> dict[int, list[TagRef]]:
    rows = session.execute(
        select(PaperTag.paper_id, Tag.slug, Tag.name, Tag.name_zh)
        .join(Tag, Tag.id == PaperTag.tag_id)
        .where(PaperTag.paper_id.in_(paper_ids))
        .order_by(PaperTag.paper_id, Tag.slug)
    )
    found: dict[int, list[TagRef]] = defaultdict(list)
    for paper_id, slug, name, name_zh in rows:
        found[paper_id].append(TagRef(slug=slug, name=name, name_zh=name_zh))
    return found


def summary_fields(
    row: Any, authors: list[str], categories: list[CategoryRef], tags: list[TagRef]
) -> dict[str, Any]:
    return {
        **{column.key: getattr(row, column.key) for column in SUMMARY_COLUMNS},
        "authors": authors,
        "categories": categories,
        "tags": tags,
    }


def load_summaries(session: Session, paper_ids: Sequence[int]) -> list[PaperSummary]:
    """PaperSummary for each id that exists, in the order given."""
    if not paper_ids:
        return []
    show_ratings_of(paper_ids)
    rows = {row.id: row for row in session.execute(select(*SUMMARY_COLUMNS).where(Paper.id.in_(paper_ids)))}
    authors = authors_of(session, paper_ids)
    categories = categories_by_paper(session, paper_ids)
    tags = tags_by_paper(session, paper_ids)
    return [
        PaperSummary.model_validate(
            summary_fields(rows[paper_id], authors[paper_id], categories[paper_id], tags[paper_id])
        )
        for paper_id in paper_ids
        if paper_id in rows
    ]


def attach_snippets(session: Session, query: str, papers: list[PaperSummary]) -> None:
    """Give each paper the highlighted parts that match QUERY (two queries for the whole page)."""
    if not papers:
        return
    ids = [paper.id for paper in papers]
    summaries = dict(session.execute(select(Paper.id, Paper.summary).where(Paper.id.in_(ids))).all())
    notes: dict[int, list[str]] = defaultdict(list)
    note_rows = session.execute(
        select(SourceEntry.paper_id, SourceEntry.note)
        .where(SourceEntry.paper_id.in_(ids), SourceEntry.note.is_not(None))
        .order_by(SourceEntry.paper_id, SourceEntry.id)
    )
    for paper_id, note in note_rows:
        if paper_id is not None and note is not None and len(notes[paper_id]) < MAX_NOTES_PER_PAPER:
            notes[paper_id].append(note)
    for paper in papers:
        fields: list[SnippetSource] = [("title", paper.title)]
        if paper.short_name:
            fields.append(("short_name", paper.short_name))
        if summaries.get(paper.id):
            fields.append(("summary", note_plain_text(summaries[paper.id])))
        fields.extend(("note", note_plain_text(note)) for note in notes[paper.id])
        if paper.authors:
            fields.append(("authors", ", ".join(paper.authors)))
        if paper.tags:
            fields.append(("tags", ", ".join(tag.name for tag in paper.tags)))
        paper.snippets = search.snippets(query, fields)


NOTE_LINE_LENGTH = 200


def _plain_line(text: str) -> str:
    """TEXT as one line of plain text: links keep their words, markup and line breaks go."""
    return " ".join(note_plain_text(text).split())[:NOTE_LINE_LENGTH]


def note_lines(session: Session, paper_ids: Sequence[int]) -> dict[int, str]:
    """One line about each paper for compact lists: its summary, else the first note a list gives it."""
    if not paper_ids:
        return {}
    lines = {
        paper_id: _plain_line(summary)
        for paper_id, summary in session.execute(
            select(Paper.id, Paper.summary).where(Paper.id.in_(paper_ids), Paper.summary.is_not(None))
        )
        if summary and summary.strip()
    }
    missing = [paper_id for paper_id in paper_ids if paper_id not in lines]
    if missing:
        notes = session.execute(
            select(SourceEntry.paper_id, SourceEntry.note)
            .where(SourceEntry.paper_id.in_(missing), SourceEntry.note.is_not(None))
            .order_by(SourceEntry.paper_id, SourceEntry.id)
        )
        for paper_id, note in notes:
            if paper_id is not None and paper_id not in lines and note and note.strip():
                lines[paper_id] = _plain_line(note)
    return lines

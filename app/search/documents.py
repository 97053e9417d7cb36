"""Build the search documents of papers: title and short name; authors and tags; summary and list notes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.models import Author, Paper, PaperAuthor, PaperTag
from app.catalog.note_text import note_plain_text
from app.catalog.queries.foreign_tables import source_entries
from app.search.backends import SearchDocument
from app.search.tokenizer import document_text
from app.taxonomy.models import Tag


def build_documents(session: Session, paper_ids: Sequence[int]) -> tuple[list[SearchDocument], list[int]]:
    """The documents of the papers among PAPER_IDS that exist, and the ids that no longer do."""
    ids = sorted(set(paper_ids))
    if not ids:
        return [], []
    papers = session.execute(
        select(Paper.id, Paper.title, Paper.short_name, Paper.summary).where(Paper.id.in_(ids))
    ).all()
    names: dict[int, list[str]] = defaultdict(list)
    author_rows = session.execute(
        select(PaperAuthor.paper_id, Author.name)
        .join(Author, Author.id == PaperAuthor.author_id)
        .where(PaperAuthor.paper_id.in_(ids))
        .order_by(PaperAuthor.paper_id, PaperAuthor.position)
    )
    for paper_id, name in author_rows:
        names[paper_id].append(name)
    tag_rows = session.execute(
        select(PaperTag.paper_id, Tag.name)
        .join(Tag, Tag.id == PaperTag.tag_id)
        .where(PaperTag.paper_id.in_(ids))
        .order_by(PaperTag.paper_id, Tag.slug)
    )
    for paper_id, name in tag_rows:
        names[paper_id].append(name)
    notes: dict[int, list[str]] = defaultdict(list)
    note_rows = session.execute(
        select(source_entries.c.paper_id, source_entries.c.note)
        .where(source_entries.c.paper_id.in_(ids), source_entries.c.note.is_not(None))
        .order_by(source_entries.c.paper_id, source_entries.c.id)
    )
    for paper_id, note in note_rows:
        notes[paper_id].append(note)
    documents = [
        SearchDocument(
            paper_id=paper.id,
            title=document_text(paper.title, paper.short_name),
            names=document_text(*names[paper.id]),
            body=document_text(note_plain_text(paper.summary), *map(note_plain_text, notes[paper.id])),
        )
        for paper in papers
    ]
    found = {document.paper_id for document in documents}
    return documents, [paper_id for paper_id in ids if paper_id not in found]

"""Build the search documents of papers, in four fields weighted from the first to the last.

title: the title and short name; labels: the names of its categories and tags in English and Chinese, and
the section headings of the lists it is filed under; authors; body: the summary, the lists' notes, the names
of the categories above its own, and the paper's identifiers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.catalog.authors import authors_of
from app.catalog.models import Paper, PaperCategory, PaperTag
from app.importing.models import SourceEntry
from app.note_text import note_plain_text
from app.search.backends import SearchDocument
from app.search.tokenizer import document_text
from app.taxonomy.models import Category, Tag

Executor = Session | Connection


def _category_names(executor: Executor) -> dict[int, tuple[list[str], list[str]]]:
    """Each category's own names, and those of the categories above it: a paper in 思维链 is about 提示学习
    too, but less squarely (a parent named "Fine-tuning & alignment" says little about one LoRA paper)."""
    rows = {
        row.id: row
        for row in executor.execute(
            select(Category.id, Category.parent_id, Category.name_en, Category.name_zh)
        )
    }
    names: dict[int, tuple[list[str], list[str]]] = {}
    for category_id, row in rows.items():
        above: list[str] = []
        seen = {category_id}
        current = row.parent_id
        while current is not None and current in rows and current not in seen:
            seen.add(current)
            parent = rows[current]
            above += [name for name in (parent.name_en, parent.name_zh) if name]
            current = parent.parent_id
        names[category_id] = ([name for name in (row.name_en, row.name_zh) if name], above)
    return names


def _section_headings(path: Any) -> list[str]:
    return [str(heading) for heading in path or [] if heading]


def build_documents(executor: Executor, paper_ids: Sequence[int]) -> tuple[list[SearchDocument], list[int]]:
    """The documents of the papers among PAPER_IDS that exist, and the ids that no longer do."""
    ids = sorted(set(paper_ids))
    if not ids:
        return [], []
    papers = executor.execute(
        select(Paper.id, Paper.title, Paper.short_name, Paper.summary, Paper.arxiv_id, Paper.doi).where(
            Paper.id.in_(ids)
        )
    ).all()
    authors = authors_of(executor, ids)
    labels: dict[int, list[str]] = defaultdict(list)
    broader: dict[int, list[str]] = defaultdict(list)
    category_names = _category_names(executor)
    category_rows = executor.execute(
        select(PaperCategory.paper_id, PaperCategory.category_id)
        .where(PaperCategory.paper_id.in_(ids))
        .order_by(PaperCategory.paper_id, PaperCategory.category_id)
    )
    for paper_id, category_id in category_rows:
        own, above = category_names.get(category_id, ([], []))
        labels[paper_id] += own
        broader[paper_id] += above
    tag_rows = executor.execute(
        select(PaperTag.paper_id, Tag.name, Tag.name_zh)
        .join(Tag, Tag.id == PaperTag.tag_id)
        .where(PaperTag.paper_id.in_(ids))
        .order_by(PaperTag.paper_id, Tag.slug)
    )
    for paper_id, name, name_zh in tag_rows:
        labels[paper_id] += [name for name in (name, name_zh) if name]
    notes: dict[int, list[str]] = defaultdict(list)
    entry_rows = executor.execute(
        select(SourceEntry.paper_id, SourceEntry.section_path, SourceEntry.note)
        .where(SourceEntry.paper_id.in_(ids))
        .order_by(SourceEntry.paper_id, SourceEntry.id)
    )
    for listed_id, section_path, note in entry_rows:
        if listed_id is None:
            continue
        labels[listed_id] += _section_headings(section_path)
        if note:
            notes[listed_id].append(note)
    documents = [
        SearchDocument(
            paper_id=paper.id,
            title=document_text(paper.title, paper.short_name),
            labels=document_text(*dict.fromkeys(labels[paper.id])),
            authors=document_text(*authors[paper.id]),
            body=document_text(
                note_plain_text(paper.summary),
                *map(note_plain_text, notes[paper.id]),
                *dict.fromkeys(broader[paper.id]),
                paper.arxiv_id,
                paper.doi,
            ),
        )
        for paper in papers
    ]
    found = {document.paper_id for document in documents}
    return documents, [paper_id for paper_id in ids if paper_id not in found]

"""The authors of papers, in their order: the one query every reader of author names goes through."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.catalog.models import Author, PaperAuthor


def authors_of(executor: Session | Connection, paper_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each paper's author names in order; a paper without authors (or unknown) maps to an empty list."""
    found: dict[int, list[str]] = defaultdict(list)
    if not paper_ids:
        return found
    rows = executor.execute(
        select(PaperAuthor.paper_id, Author.name)
        .join(Author, Author.id == PaperAuthor.author_id)
        .where(PaperAuthor.paper_id.in_(list(paper_ids)))
        .order_by(PaperAuthor.paper_id, PaperAuthor.position)
    )
    for paper_id, name in rows:
        found[paper_id].append(name)
    return found

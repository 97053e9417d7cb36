"""The catalogue's part of merging duplicates: a paper's links, authors and empty fields; a tag's papers.

Other domains move their own rows; app/curation/merging.py calls each in turn.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from app.catalog.links import CATEGORY_LINKS, TAG_LINKS, LinkKind, adjust_counts, linked_ids
from app.catalog.models import Paper, PaperAuthor

# Fields a merge copies from the duplicate when the kept paper has none.
FILLABLE_FIELDS = (
    "short_name",
    "url",
    "pdf_url",
    "code_url",
    "arxiv_id",
    "doi",
    "year",
    "published",
    "venue",
    "summary",
    "importance",
)


def fold_paper(session: Session, kept: Paper, duplicate: Paper) -> Paper:
    """Give KEPT the duplicate's categories, tags, authors (when it has none) and empty fields; delete it."""
    for kind in (CATEGORY_LINKS, TAG_LINKS):
        _merge_paper_links(session, kind, kept.id, duplicate.id)
    if not session.scalar(select(func.count()).where(PaperAuthor.paper_id == kept.id)):
        session.execute(
            update(PaperAuthor).where(PaperAuthor.paper_id == duplicate.id).values(paper_id=kept.id)
        )
    filled = {
        field: getattr(duplicate, field)
        for field in FILLABLE_FIELDS
        if getattr(kept, field) is None and getattr(duplicate, field) is not None
    }
    # The duplicate goes first: its arXiv id and DOI are unique and may be about to move.
    session.execute(delete(Paper).where(Paper.id == duplicate.id))
    session.flush()
    for field, value in filled.items():
        setattr(kept, field, value)
    kept.is_curated = True
    session.flush()
    session.expire(kept, ["authors", "categories", "tags"])
    return kept


def _merge_paper_links(session: Session, kind: LinkKind, kept_id: int, duplicate_id: int) -> None:
    kept_targets = linked_ids(session, kind, kept_id)
    duplicate_targets = linked_ids(session, kind, duplicate_id)
    moved = duplicate_targets - kept_targets
    if moved:
        session.execute(
            update(kind.link)
            .where(kind.link.paper_id == duplicate_id, kind.target_column.in_(moved))
            .values(paper_id=kept_id)
        )
    # The duplicate's remaining links vanish with it; each was counted once too many.
    adjust_counts(session, kind.counted, dict.fromkeys(duplicate_targets & kept_targets, -1))


def move_papers(session: Session, kind: LinkKind, kept_id: int, duplicate_id: int) -> None:
    """Give every paper of the duplicate tag/category the kept one; the duplicate keeps no papers."""
    already = select(kind.link.paper_id).where(kind.target_column == kept_id)
    result = session.execute(
        update(kind.link)
        .where(kind.target_column == duplicate_id, kind.link.paper_id.not_in(already))
        .values({kind.target_column.key: kept_id})
        .execution_options(synchronize_session=False)
    )
    moved = cast("CursorResult[Any]", result).rowcount
    session.execute(delete(kind.link).where(kind.target_column == duplicate_id))
    adjust_counts(session, kind.counted, {kept_id: moved})

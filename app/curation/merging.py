"""Merging duplicates (editors only): two papers, two tags or two categories become one, counts kept exact.

Higher domains own rows that point at papers (ratings, list entries); they register a step that moves
theirs when papers merge, so the catalogue never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.accounts.permissions import require_role
from app.catalog.models import Paper, PaperAuthor
from app.catalog.service import CATEGORY_LINKS, TAG_LINKS, LinkKind, adjust_counts, linked_ids
from app.errors import InvalidInput
from app.taxonomy.models import Category, Tag
from app.taxonomy.service import ancestor_ids

PaperMergeStep = Callable[[Session, Paper, Paper], None]
_paper_merge_steps: list[PaperMergeStep] = []

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


def register_paper_merge_step(step: PaperMergeStep) -> PaperMergeStep:
    """Let a higher domain move its rows from a duplicate paper to the kept one (a decorator too)."""
    if step not in _paper_merge_steps:
        _paper_merge_steps.append(step)
    return step


def merge_papers(session: Session, kept: Paper, duplicate: Paper, *, user: User | None) -> Paper:
    """Fold DUPLICATE into KEPT: registered steps, categories, tags, authors, empty fields; then delete it."""
    require_role(user, Role.EDITOR)
    if kept.id == duplicate.id:
        raise InvalidInput("A paper cannot be merged into itself.", fields={"duplicate_id": "Same paper."})
    for step in _paper_merge_steps:
        step(session, kept, duplicate)
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


def _move_papers(session: Session, kind: LinkKind, kept_id: int, duplicate_id: int) -> None:
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


def merge_tags(session: Session, kept: Tag, duplicate: Tag, *, user: User | None) -> Tag:
    """Fold DUPLICATE into KEPT: its papers get KEPT, then it is deleted."""
    require_role(user, Role.EDITOR)
    if kept.id == duplicate.id:
        raise InvalidInput("A tag cannot be merged into itself.", fields={"duplicate": "Same tag."})
    _move_papers(session, TAG_LINKS, kept.id, duplicate.id)
    session.execute(delete(Tag).where(Tag.id == duplicate.id))
    session.flush()
    session.refresh(kept)
    return kept


def merge_categories(session: Session, kept: Category, duplicate: Category, *, user: User | None) -> Category:
    """Fold DUPLICATE into KEPT: its papers and subcategories move to KEPT, then it is deleted.

    Merging a category into one of its own subcategories first lifts KEPT to DUPLICATE's place, so the
    tree never gains a cycle.
    """
    require_role(user, Role.EDITOR)
    if kept.id == duplicate.id:
        raise InvalidInput("A category cannot be merged into itself.", fields={"duplicate": "Same category."})
    if duplicate.id in ancestor_ids(session, kept.parent_id):
        kept.parent_id = duplicate.parent_id
        session.flush()
    _move_papers(session, CATEGORY_LINKS, kept.id, duplicate.id)
    session.execute(
        update(Category)
        .where(Category.parent_id == duplicate.id, Category.id != kept.id)
        .values(parent_id=kept.id)
        .execution_options(synchronize_session="fetch")
    )
    session.execute(delete(Category).where(Category.id == duplicate.id))
    session.flush()
    session.refresh(kept)
    return kept

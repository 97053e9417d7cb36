"""Reading one paper's own fields: its id from its address, and what the edit form starts from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.catalog.authors import authors_of
from app.catalog.models import Paper, PaperCategory, PaperTag
from app.errors import NotFound
from app.taxonomy.models import Category, Tag
from app.translatable import N_


def paper_id_for_slug(session: Session, slug: str) -> int:
    paper_id = session.scalar(select(Paper.id).where(Paper.slug == slug))
    if paper_id is None:
        raise NotFound(N_("There is no paper at this address."))
    return paper_id


@dataclass(frozen=True)
class PaperLinks:
    """A paper's authors in order, its tag names (by slug) and its category slugs (in the tree's order)."""

    authors: list[str]
    tags: list[str]
    categories: list[str]


def paper_links(session: Session, paper_id: int) -> PaperLinks:
    tags = session.scalars(
        select(Tag.name)
        .join(PaperTag, PaperTag.tag_id == Tag.id)
        .where(PaperTag.paper_id == paper_id)
        .order_by(Tag.slug)
    )
    categories = session.scalars(
        select(Category.slug)
        .join(PaperCategory, PaperCategory.category_id == Category.id)
        .where(PaperCategory.paper_id == paper_id)
        .order_by(Category.position, Category.slug)
    )
    return PaperLinks(authors_of(session, [paper_id])[paper_id], list(tags), list(categories))

"""The rules of the category tree and the tag list: unique slugs and no cycles.

Who may call is checked by the caller; merging moves papers, so it lives in app/catalog/merging.py.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.taxonomy.models import Category, Tag
from app.taxonomy.write_schemas import CategoryCreate, CategoryRead, CategoryUpdate, TagUpdate

# The tree is a few levels deep; a longer chain of parents can only be a cycle already in the data.
MAX_DEPTH = 64


def get_category(session: Session, slug: str) -> Category:
    category = session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise NotFound(f"No category {slug!r}.")
    return category


def get_tag(session: Session, slug: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.slug == slug))
    if tag is None:
        raise NotFound(f"No tag {slug!r}.")
    return tag


def ancestor_ids(session: Session, category_id: int | None) -> list[int]:
    """CATEGORY_ID and its parents up to the root, nearest first."""
    chain: list[int] = []
    current = category_id
    while current is not None and current not in chain and len(chain) < MAX_DEPTH:
        chain.append(current)
        current = session.scalar(select(Category.parent_id).where(Category.id == current))
    return chain


def category_read(session: Session, category: Category) -> CategoryRead:
    parent_slug = (
        session.scalar(select(Category.slug).where(Category.id == category.parent_id))
        if category.parent_id is not None
        else None
    )
    return CategoryRead(
        id=category.id,
        slug=category.slug,
        name_en=category.name_en,
        name_zh=category.name_zh,
        description=category.description,
        parent=parent_slug,
        position=category.position,
        paper_count=category.paper_count,
    )


def _refuse_taken_category_slug(session: Session, slug: str, own_id: int | None = None) -> None:
    existing = session.scalar(select(Category).where(Category.slug == slug))
    if existing is not None and existing.id != own_id:
        raise Conflict(
            f"The category {slug!r} exists already.",
            extra={"existing": {"id": existing.id, "slug": existing.slug, "name_en": existing.name_en}},
        )


def _parent_id(session: Session, parent_slug: str | None) -> int | None:
    if parent_slug is None:
        return None
    parent = session.scalar(select(Category).where(Category.slug == parent_slug))
    if parent is None:
        raise InvalidInput(
            f"No category {parent_slug!r} to put it under.", fields={"parent": "Unknown category."}
        )
    return parent.id


def create_category(session: Session, data: CategoryCreate) -> Category:
    _refuse_taken_category_slug(session, data.slug)
    category = Category(
        slug=data.slug,
        name_en=data.name_en,
        name_zh=data.name_zh,
        description=data.description or None,
        parent_id=_parent_id(session, data.parent),
        position=data.position,
        paper_count=0,
    )
    session.add(category)
    session.flush()
    return category


def update_category(session: Session, category: Category, data: CategoryUpdate) -> Category:
    """Rename and/or move; a category can never end up beneath itself."""
    sent = data.model_fields_set
    if data.slug is not None and data.slug != category.slug:
        _refuse_taken_category_slug(session, data.slug, own_id=category.id)
        category.slug = data.slug
    if "parent" in sent:
        move_category(session, category, _parent_id(session, data.parent))
    if data.name_en is not None:
        category.name_en = data.name_en
    if "name_zh" in sent:
        category.name_zh = data.name_zh
    if "description" in sent:
        category.description = data.description or None
    if data.position is not None:
        category.position = data.position
    session.flush()
    return category


def move_category(session: Session, category: Category, parent_id: int | None) -> None:
    if parent_id is not None and category.id in ancestor_ids(session, parent_id):
        raise InvalidInput(
            "A category cannot be moved beneath itself or one of its subcategories.",
            fields={"parent": "Would make a cycle."},
        )
    category.parent_id = parent_id
    session.flush()


def _refuse_taken_tag_slug(session: Session, slug: str, own_id: int | None = None) -> None:
    existing = session.scalar(select(Tag).where(Tag.slug == slug))
    if existing is not None and existing.id != own_id:
        raise Conflict(
            f"The tag {slug!r} exists already; merge the two tags instead.",
            extra={"existing": {"id": existing.id, "slug": existing.slug, "name": existing.name}},
        )


def create_tag(session: Session, *, name: str, slug: str) -> Tag:
    """A new tag; SLUG is the caller's (from the name, by the catalogue's slugify, unless chosen)."""
    if not slug:
        raise InvalidInput(
            "A tag needs a letter or digit in its name.", fields={"name": "No letters or digits."}
        )
    _refuse_taken_tag_slug(session, slug)
    tag = Tag(slug=slug, name=name, paper_count=0)
    session.add(tag)
    session.flush()
    return tag


def rename_tag(session: Session, tag: Tag, data: TagUpdate) -> Tag:
    if data.slug is not None and data.slug != tag.slug:
        _refuse_taken_tag_slug(session, data.slug, own_id=tag.id)
        tag.slug = data.slug
    if data.name is not None:
        tag.name = data.name
    session.flush()
    return tag

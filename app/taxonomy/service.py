"""The rules of the category tree and the tag list: unique slugs, no cycles, tags found or created by name.

Who may call is checked by the caller; merging moves papers, so it lives in app/curation/merging.py.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.bulk import chunks, insert_ignoring_duplicates
from app.errors import Conflict, InvalidInput, NotFound
from app.slugs import slugify
from app.taxonomy.models import Category, Tag
from app.taxonomy.write_schemas import CategoryCreate, CategoryRead, CategoryUpdate, TagUpdate

# The tree is a few levels deep; a longer chain of parents can only be a cycle already in the data.
MAX_DEPTH = 64
TAG_NAME_LENGTH = 80


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


def tag_slug(name: str) -> str:
    """A tag's slug from its name: "Chain of Thought" → "chain-of-thought"; empty without letters."""
    return slugify(" ".join(name.split()), max_length=TAG_NAME_LENGTH)


def clean_tag_name(name: str) -> str:
    return " ".join(name.split())[:TAG_NAME_LENGTH]


def ensure_tags(
    session: Session, names_by_slug: Mapping[str, str], chinese_names: Mapping[str, str] | None = None
) -> list[Tag]:
    """The tags with these slugs, in the given order; missing ones are created with the given names.

    A tag that exists keeps its names. Safe against a concurrent request creating the same tag.
    """
    chinese_names = chinese_names or {}
    rows = [
        {
            "slug": slug,
            "name": clean_tag_name(name),
            "name_zh": clean_tag_name(chinese_names[slug]) if chinese_names.get(slug) else None,
            "paper_count": 0,
        }
        for slug, name in names_by_slug.items()
    ]
    insert_ignoring_duplicates(session, Tag, rows, ["slug"])
    slugs = list(names_by_slug)
    found: dict[str, Tag] = {}
    for chunk in chunks(slugs):
        found.update((tag.slug, tag) for tag in session.scalars(select(Tag).where(Tag.slug.in_(chunk))))
    return [found[slug] for slug in slugs]


def create_tag(session: Session, *, name: str, slug: str | None = None) -> Tag:
    """A new tag, its slug from its name unless chosen; 409 when the slug is taken."""
    slug = slug or tag_slug(name)
    if not slug:
        raise InvalidInput(
            "A tag needs a letter or digit in its name.", fields={"name": "No letters or digits."}
        )
    _refuse_taken_tag_slug(session, slug)
    return ensure_tags(session, {slug: name})[0]


def rename_tag(session: Session, tag: Tag, data: TagUpdate) -> Tag:
    if data.slug is not None and data.slug != tag.slug:
        _refuse_taken_tag_slug(session, data.slug, own_id=tag.id)
        tag.slug = data.slug
    if data.name is not None:
        tag.name = data.name
    session.flush()
    return tag


# --- merging: the taxonomy's own part (papers move in app/catalog/merging.py first) --------------


def lift_out_of(session: Session, kept: Category, duplicate: Category) -> None:
    """Before DUPLICATE folds into KEPT, lift KEPT to its place if it sits beneath it: no cycle can form."""
    if duplicate.id in ancestor_ids(session, kept.parent_id):
        kept.parent_id = duplicate.parent_id
        session.flush()


def fold_category(session: Session, kept: Category, duplicate: Category) -> Category:
    """DUPLICATE's subcategories move under KEPT and it is deleted (its papers have moved already)."""
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


def fold_tag(session: Session, kept: Tag, duplicate: Tag) -> Tag:
    """DUPLICATE is deleted (its papers have moved to KEPT already)."""
    session.execute(delete(Tag).where(Tag.id == duplicate.id))
    session.flush()
    session.refresh(kept)
    return kept

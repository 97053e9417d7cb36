"""The taxonomy's read side: the category tree with maintained counts, and tags by use or name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.taxonomy.models import Category, Tag
from app.taxonomy.schemas import CategoryNode, CategoryTree, TagCount, TagList, TagListParams, TagSort


def category_tree(session: Session, *, hide_empty: bool = False) -> CategoryTree:
    """Every category as a tree (roots first, by position) with its own and its subtree's paper counts.

    Browsing hides categories with no paper in or below them (HIDE_EMPTY); the API's tree, which editors
    manage the taxonomy with, keeps them all.
    """
    rows = session.execute(
        select(
            Category.id,
            Category.parent_id,
            Category.slug,
            Category.name_en,
            Category.name_zh,
            Category.description,
            Category.position,
            Category.paper_count,
        )
    ).all()
    ids = {row.id for row in rows}
    children: dict[int | None, list[Any]] = {}
    for row in rows:
        children.setdefault(row.parent_id if row.parent_id in ids else None, []).append(row)

    def build(parent: int | None, seen: frozenset[int]) -> list[CategoryNode]:
        nodes = []
        for row in sorted(children.get(parent, []), key=lambda r: (r.position, r.name_en.casefold(), r.slug)):
            if row.id in seen:
                continue
            below = build(row.id, seen | {row.id})
            total = row.paper_count + sum(child.total for child in below)
            if hide_empty and not total:
                continue
            nodes.append(
                CategoryNode(
                    slug=row.slug,
                    name_en=row.name_en,
                    name_zh=row.name_zh,
                    description=row.description,
                    paper_count=row.paper_count,
                    total=total,
                    children=below,
                )
            )
        return nodes

    return CategoryTree(categories=build(None, frozenset()))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_tags(session: Session, params: TagListParams) -> TagList:
    """Tags with their paper counts, most used (or alphabetical) first; `q` keeps those starting with it."""
    statement = select(Tag.slug, Tag.name, Tag.paper_count)
    if params.q:
        prefix = _escape_like(params.q.strip().casefold()) + "%"
        statement = statement.where(
            or_(Tag.slug.like(prefix, escape="\\"), func.lower(Tag.name).like(prefix, escape="\\"))
        )
    total = int(session.scalar(select(func.count()).select_from(statement.subquery())) or 0)
    if params.sort is TagSort.COUNT:
        statement = statement.order_by(Tag.paper_count.desc(), Tag.slug)
    else:
        statement = statement.order_by(Tag.slug)
    rows = session.execute(statement.limit(params.limit)).all()
    return TagList(
        items=[TagCount(slug=row.slug, name=row.name, paper_count=row.paper_count) for row in rows],
        total=total,
    )

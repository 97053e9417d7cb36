"""The unified category tree kept as data in seeds/: created in the database on first import."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.importing.classification import ImportRules
from app.taxonomy.models import Category


def ensure_categories(session: Session, rules: ImportRules) -> dict[str, Category]:
    """Every category of the tree exists afterwards; ones editors renamed or moved are left as they are."""
    categories = {category.slug: category for category in session.scalars(select(Category))}
    created = False
    for position, spec in enumerate(rules.categories):
        if spec.slug in categories:
            continue
        parent = categories.get(spec.parent) if spec.parent else None
        category = Category(
            slug=spec.slug,
            name_en=spec.name_en,
            name_zh=spec.name_zh,
            description=spec.description,
            parent_id=parent.id if parent else None,
            position=position,
            paper_count=0,
        )
        session.add(category)
        session.flush()
        categories[spec.slug] = category
        created = True
    if created:
        session.flush()
    return categories

"""Merging duplicates (editors only): two papers, two tags or two categories become one, counts kept exact.

Each domain moves its own rows from the duplicate to the kept one; this module calls every one of them,
so no merge depends on which modules happen to be imported.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.accounts.permissions import require_role
from app.catalog import merging as catalog
from app.catalog.links import CATEGORY_LINKS, TAG_LINKS
from app.catalog.models import Paper
from app.errors import InvalidInput
from app.importing.sources import move_list_entries
from app.ratings.service import move_ratings
from app.taxonomy import service as taxonomy
from app.taxonomy.models import Category, Tag


def merge_papers(session: Session, kept: Paper, duplicate: Paper, *, user: User | None) -> Paper:
    """Fold DUPLICATE into KEPT: ratings, list entries, categories, tags, authors, empty fields; delete it.

    The search index follows by itself: its triggers queue both papers for the commit.
    """
    require_role(user, Role.EDITOR)
    if kept.id == duplicate.id:
        raise InvalidInput("A paper cannot be merged into itself.", fields={"duplicate_id": "Same paper."})
    move_ratings(session, kept, duplicate)
    move_list_entries(session, kept, duplicate)
    return catalog.fold_paper(session, kept, duplicate)


def merge_tags(session: Session, kept: Tag, duplicate: Tag, *, user: User | None) -> Tag:
    """Fold DUPLICATE into KEPT: its papers get KEPT, then it is deleted."""
    require_role(user, Role.EDITOR)
    if kept.id == duplicate.id:
        raise InvalidInput("A tag cannot be merged into itself.", fields={"duplicate": "Same tag."})
    catalog.move_papers(session, TAG_LINKS, kept.id, duplicate.id)
    return taxonomy.fold_tag(session, kept, duplicate)


def merge_categories(session: Session, kept: Category, duplicate: Category, *, user: User | None) -> Category:
    """Fold DUPLICATE into KEPT: its papers and subcategories move to KEPT, then it is deleted.

    Merging a category into one of its own subcategories first lifts KEPT to DUPLICATE's place, so the
    tree never gains a cycle.
    """
    require_role(user, Role.EDITOR)
    if kept.id == duplicate.id:
        raise InvalidInput("A category cannot be merged into itself.", fields={"duplicate": "Same category."})
    taxonomy.lift_out_of(session, kept, duplicate)
    catalog.move_papers(session, CATEGORY_LINKS, kept.id, duplicate.id)
    return taxonomy.fold_category(session, kept, duplicate)

"""A paper's authors, categories and tags as rows, for one paper or thousands: the one way they are written.

Positions of authors count from 1, as list entries do. Category and tag counts stay exact.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from app.bulk import chunked_insert, chunks, insert_ignoring_duplicates
from app.catalog.identifiers import author_name_key, clean_author_name
from app.catalog.models import Author, PaperAuthor, PaperCategory, PaperTag
from app.taxonomy.models import Category, Tag

FIRST_AUTHOR_POSITION = 1


# --- authors ----------------------------------------------------------------------------


def replace_authors(session: Session, names_by_paper: Mapping[int, Sequence[str]]) -> dict[int, list[Author]]:
    """Make each paper's authors these names, in order; one Author row per distinct name everywhere.

    A name met twice on one paper counts once; an existing author keeps the spelling first stored.
    """
    keys_by_paper: dict[int, dict[str, str]] = {}
    for paper_id, names in names_by_paper.items():
        by_key: dict[str, str] = {}
        for name in names:
            clean = clean_author_name(name)
            key = author_name_key(clean)
            if key and key not in by_key:
                by_key[key] = clean
        keys_by_paper[paper_id] = by_key
    first_spelling: dict[str, str] = {}
    for by_key in keys_by_paper.values():
        for key, name in by_key.items():
            first_spelling.setdefault(key, name)
    authors = ensure_authors(session, first_spelling)
    for paper_ids in chunks(list(keys_by_paper)):
        session.execute(delete(PaperAuthor).where(PaperAuthor.paper_id.in_(paper_ids)))
    rows = [
        {"paper_id": paper_id, "position": position, "author_id": authors[key].id}
        for paper_id, by_key in keys_by_paper.items()
        for position, key in enumerate(by_key, start=FIRST_AUTHOR_POSITION)
    ]
    chunked_insert(session, PaperAuthor, rows)
    return {paper_id: [authors[key] for key in by_key] for paper_id, by_key in keys_by_paper.items()}


def ensure_authors(session: Session, names_by_key: Mapping[str, str]) -> dict[str, Author]:
    """The authors with these name keys, creating the missing ones (safe against concurrent writers)."""
    rows = [{"name": name, "name_key": key} for key, name in names_by_key.items()]
    insert_ignoring_duplicates(session, Author, rows, ["name_key"])
    found: dict[str, Author] = {}
    for keys in chunks(list(names_by_key)):
        found.update(
            (a.name_key, a) for a in session.scalars(select(Author).where(Author.name_key.in_(keys)))
        )
    return found


def author_names(session: Session, paper_ids: Sequence[int]) -> dict[int, list[str]]:
    """The papers' author names, in order, by paper id."""
    names: dict[int, list[str]] = {}
    for chunk in chunks(paper_ids):
        rows = session.execute(
            select(PaperAuthor.paper_id, Author.name)
            .join(Author, Author.id == PaperAuthor.author_id)
            .where(PaperAuthor.paper_id.in_(chunk))
            .order_by(PaperAuthor.paper_id, PaperAuthor.position)
        )
        for paper_id, name in rows:
            names.setdefault(paper_id, []).append(name)
    return names


# --- categories and tags ----------------------------------------------------------------


@dataclass(frozen=True)
class LinkKind:
    """A many-to-many link from papers to a counted table (categories or tags)."""

    link: type[PaperCategory] | type[PaperTag]
    target_column: Any
    counted: type[Category] | type[Tag]


CATEGORY_LINKS = LinkKind(PaperCategory, PaperCategory.category_id, Category)
TAG_LINKS = LinkKind(PaperTag, PaperTag.tag_id, Tag)


def links_of(session: Session, kind: LinkKind, paper_ids: Sequence[int]) -> dict[int, set[int]]:
    """The categories (or tags) of each paper that has any, by paper id."""
    found: dict[int, set[int]] = {}
    for chunk in chunks(paper_ids):
        rows = session.execute(
            select(kind.link.paper_id, kind.target_column).where(kind.link.paper_id.in_(chunk))
        )
        for paper_id, target_id in rows:
            found.setdefault(paper_id, set()).add(target_id)
    return found


def linked_ids(session: Session, kind: LinkKind, paper_id: int) -> set[int]:
    return links_of(session, kind, [paper_id]).get(paper_id, set())


def add_links(
    session: Session,
    kind: LinkKind,
    wanted: Mapping[int, Iterable[int]],
    current: Mapping[int, Collection[int]] | None = None,
) -> dict[int, int]:
    """Link each paper to these targets too, counts kept exact; the added count by target id.

    CURRENT, when the caller has it, saves loading the papers' present links again.
    """
    if current is None:
        current = links_of(session, kind, list(wanted))
    column = kind.target_column.key
    added: dict[int, int] = {}
    rows = []
    for paper_id, targets in wanted.items():
        for target_id in sorted(set(targets) - set(current.get(paper_id, ()))):
            rows.append({"paper_id": paper_id, column: target_id})
            added[target_id] = added.get(target_id, 0) + 1
    chunked_insert(session, kind.link, rows)
    adjust_counts(session, kind.counted, added)
    return added


def replace_links(session: Session, kind: LinkKind, paper_id: int, wanted_ids: Iterable[int]) -> None:
    """Link the paper to exactly these targets, counts kept exact."""
    current = linked_ids(session, kind, paper_id)
    removed = current - set(wanted_ids)
    if removed:
        session.execute(
            delete(kind.link).where(kind.link.paper_id == paper_id, kind.target_column.in_(removed))
        )
        adjust_counts(session, kind.counted, dict.fromkeys(removed, -1))
    add_links(session, kind, {paper_id: wanted_ids}, {paper_id: current})


# --- maintained counts ------------------------------------------------------------------


def adjust_counts(session: Session, model: type[Category] | type[Tag], deltas: Mapping[int, int]) -> None:
    """Add DELTAS to `paper_count` by id; increments stay exact when writers run concurrently."""
    by_delta: dict[int, list[int]] = {}
    for target_id, delta in deltas.items():
        if delta:
            by_delta.setdefault(delta, []).append(target_id)
    for delta, ids in by_delta.items():
        for chunk in chunks(sorted(ids)):
            session.execute(
                update(model)
                .where(model.id.in_(chunk))
                .values(paper_count=model.paper_count + delta)
                .execution_options(synchronize_session="fetch")
            )


def recount(session: Session, model: type[Category] | type[Tag], ids: Collection[int] | None = None) -> None:
    """Set `paper_count` from the link table, for IDS or every row; for bulk loads and repairs."""
    link: type[PaperCategory] | type[PaperTag] = PaperCategory if model is Category else PaperTag
    link_column = PaperCategory.category_id if model is Category else PaperTag.tag_id
    counted = select(func.count()).select_from(link).where(link_column == model.id).scalar_subquery()
    conditions: list[ColumnElement[bool]] = (
        [model.id.in_(chunk) for chunk in chunks(sorted(ids))] if ids is not None else [model.id.is_not(None)]
    )
    for condition in conditions:
        session.execute(
            update(model)
            .where(condition)
            .values(paper_count=counted)
            .execution_options(synchronize_session="fetch")
        )

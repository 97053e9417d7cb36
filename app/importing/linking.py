"""Bulk links from imported papers to authors, categories and tags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.catalog.models import Author, PaperAuthor, PaperCategory, PaperTag
from app.catalog.service import author_name_key
from app.taxonomy.models import Tag

CHUNK = 400
T = TypeVar("T")


def _chunks(values: list[T]) -> Iterable[list[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class AuthorDirectory:
    """Authors by identity, loaded in bulk and created on first sight."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_key: dict[str, Author] = {}

    def preload(self, names: Iterable[str]) -> None:
        """Load the authors of NAMES, creating the ones not seen before in one flush."""
        wanted = {author_name_key(name): name for name in names}
        missing = sorted(set(wanted) - set(self.by_key))
        for chunk in _chunks(missing):
            for author in self.session.scalars(select(Author).where(Author.name_key.in_(chunk))):
                self.by_key[author.name_key] = author
        new = [Author(name=wanted[key], name_key=key) for key in missing if key not in self.by_key]
        if new:
            self.session.add_all(new)
            self.session.flush()
            self.by_key.update((author.name_key, author) for author in new)

    def get(self, name: str) -> Author:
        key = author_name_key(name)
        if key not in self.by_key:
            self.preload([name])
        return self.by_key[key]


def current_author_names(session: Session, paper_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    for chunk in _chunks(paper_ids):
        rows = session.execute(
            select(PaperAuthor.paper_id, Author.name)
            .join(Author, Author.id == PaperAuthor.author_id)
            .where(PaperAuthor.paper_id.in_(chunk))
            .order_by(PaperAuthor.paper_id, PaperAuthor.position)
        )
        for paper_id, name in rows:
            names.setdefault(paper_id, []).append(name)
    return names


def replace_authors(session: Session, directory: AuthorDirectory, paper_id: int, names: list[str]) -> None:
    session.execute(delete(PaperAuthor).where(PaperAuthor.paper_id == paper_id))
    seen: set[int] = set()
    position = 0
    for name in names:
        author = directory.get(name)
        if author.id in seen:
            continue
        seen.add(author.id)
        position += 1
        session.add(PaperAuthor(paper_id=paper_id, author_id=author.id, position=position))


def existing_links(session: Session, paper_ids: list[int]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    categories: dict[int, set[int]] = {}
    tags: dict[int, set[int]] = {}
    for ids in _chunks(paper_ids):
        for paper_id, category_id in session.execute(
            select(PaperCategory.paper_id, PaperCategory.category_id).where(PaperCategory.paper_id.in_(ids))
        ):
            categories.setdefault(paper_id, set()).add(category_id)
        for paper_id, tag_id in session.execute(
            select(PaperTag.paper_id, PaperTag.tag_id).where(PaperTag.paper_id.in_(ids))
        ):
            tags.setdefault(paper_id, set()).add(tag_id)
    return categories, tags


class TagDirectory:
    """Tags by slug, created on first use with the names the rules gave (English, and Chinese when known)."""

    def __init__(self, session: Session, chinese_names: Mapping[str, str] | None = None) -> None:
        self.session = session
        self.by_slug = {tag.slug: tag for tag in session.scalars(select(Tag))}
        self.chinese_names = chinese_names or {}

    def get(self, slug: str, name: str) -> Tag | None:
        if not slug:
            return None
        tag = self.by_slug.get(slug)
        if tag is None:
            name_zh = self.chinese_names.get(slug)
            tag = Tag(slug=slug, name=name[:80], name_zh=name_zh[:80] if name_zh else None, paper_count=0)
            self.session.add(tag)
            self.session.flush()
            self.by_slug[slug] = tag
        return tag

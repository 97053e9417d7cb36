"""Small factories that insert catalogue rows straight through the models, keeping maintained counts true."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.accounts.models import Role, User
from app.catalog.identifiers import author_name_key, normalise_title
from app.catalog.links import FIRST_AUTHOR_POSITION
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.catalog.service import PAPER_SLUG_BASE_LENGTH
from app.importing.models import Source, SourceEntry
from app.ratings.models import Rating
from app.ratings.service import refresh_paper_rating
from app.slugs import slugify
from app.taxonomy.models import Category, Tag

_sequence = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other factory call in this process produced."""
    return f"{prefix}{next(_sequence)}"


def make_user(
    db: Session, username: str | None = None, *, role: Role = Role.MEMBER, password: str = "correct-horse"
) -> User:
    return accounts.create_user(db, username or unique("user"), password, role=role, fast_hash=True)


def make_token(db: Session, user: User, name: str = "tests") -> str:
    """A bearer token for USER; returns the plain token to send."""
    _token, plain = accounts.create_api_token(db, user, name)
    return plain


def make_category(
    db: Session,
    slug: str | None = None,
    *,
    name_en: str | None = None,
    name_zh: str | None = None,
    parent: Category | None = None,
    position: int = 0,
    description: str | None = None,
) -> Category:
    slug = slug or unique("category-")
    category = Category(
        slug=slug,
        name_en=name_en or slug.replace("-", " ").title(),
        name_zh=name_zh,
        parent_id=parent.id if parent else None,
        position=position,
        description=description,
        paper_count=0,
    )
    db.add(category)
    db.flush()
    return category


def make_tag(db: Session, slug: str | None = None, *, name: str | None = None) -> Tag:
    slug = slug or unique("tag-")
    tag = Tag(slug=slug, name=name or slug, paper_count=0)
    db.add(tag)
    db.flush()
    return tag


def get_or_make_tag(db: Session, slug: str) -> Tag:
    return db.scalar(select(Tag).where(Tag.slug == slug)) or make_tag(db, slug)


def get_or_make_author(db: Session, name: str) -> Author:
    key = author_name_key(name)
    author = db.scalar(select(Author).where(Author.name_key == key))
    if author is None:
        author = Author(name=name, name_key=key)
        db.add(author)
        db.flush()
    return author


def make_paper(
    db: Session,
    title: str | None = None,
    *,
    authors: Sequence[str] = (),
    categories: Iterable[Category] = (),
    tags: Iterable[Tag | str] = (),
    year: int | None = 2023,
    published: str | None = None,
    venue: str | None = None,
    summary: str | None = None,
    short_name: str | None = None,
    arxiv_id: str | None = None,
    doi: str | None = None,
    url: str | None = None,
    pdf_url: str | None = None,
    code_url: str | None = None,
    importance: int | None = None,
    created_at: datetime | None = None,
    added_by: User | None = None,
    slug: str | None = None,
) -> Paper:
    """A paper with its authors (by name, in order), categories and tags (objects or tag slugs)."""
    title = title or unique("A Study of Language Models, Part ")
    if slug is None:
        digest = hashlib.sha1(f"{title}{next(_sequence)}".encode(), usedforsecurity=False).hexdigest()[:6]
        slug = f"{slugify(title, max_length=PAPER_SLUG_BASE_LENGTH)}-{digest}"
    paper = Paper(
        slug=slug,
        title=title,
        title_key=normalise_title(title),
        short_name=short_name,
        url=url,
        pdf_url=pdf_url,
        code_url=code_url,
        arxiv_id=arxiv_id,
        doi=doi,
        year=year,
        published=published,
        venue=venue,
        summary=summary,
        importance=importance,
        rating_count=0,
        added_by_id=added_by.id if added_by else None,
    )
    if created_at is not None:
        paper.created_at = created_at
        paper.updated_at = created_at
    db.add(paper)
    db.flush()
    for position, name in enumerate(authors, start=FIRST_AUTHOR_POSITION):
        author = get_or_make_author(db, name)
        db.add(PaperAuthor(paper_id=paper.id, position=position, author_id=author.id))
    for category in categories:
        db.add(PaperCategory(paper_id=paper.id, category_id=category.id))
        category.paper_count += 1
    for tag_or_slug in tags:
        tag = get_or_make_tag(db, tag_or_slug) if isinstance(tag_or_slug, str) else tag_or_slug
        db.add(PaperTag(paper_id=paper.id, tag_id=tag.id))
        tag.paper_count += 1
    db.flush()
    return paper


def make_source(
    db: Session, name: str | None = None, *, title: str | None = None, language: str | None = "en"
) -> Source:
    name = name or unique("list-")
    source = Source(
        name=name,
        title=title or f"Awesome {name}",
        origin=f"https://example.org/{name}",
        language=language,
        format="markdown",
        content_hash=hashlib.sha256(name.encode()).hexdigest(),
        entry_count=0,
    )
    db.add(source)
    db.flush()
    return source


def make_source_entry(
    db: Session,
    source: Source,
    paper: Paper | None,
    *,
    section_path: Sequence[str] = ("Papers",),
    note: str | None = None,
    stars: int | None = None,
    position: int | None = None,
    title: str | None = None,
    line: int | None = None,
) -> SourceEntry:
    """One entry of SOURCE pointing at PAPER, positioned after the source's existing entries."""
    if position is None:
        position = source.entry_count
    entry = SourceEntry(
        source_id=source.id,
        paper_id=paper.id if paper else None,
        entry_key=unique("entry-"),
        section_path=list(section_path),
        position=position,
        section_position=position,
        line=line if line is not None else position + 1,
        title=title or (paper.title if paper else unique("Entry ")),
        note=note,
        stars=stars,
        raw_markdown=f"- {title or (paper.title if paper else 'entry')}",
    )
    db.add(entry)
    source.entry_count += 1
    db.flush()
    return entry


def make_rating(db: Session, paper: Paper, user: User | None = None, *, score: int = 4) -> Rating:
    """A rating of PAPER, with the paper's rating_avg and rating_count brought up to date."""
    user = user or make_user(db)
    rating = Rating(user_id=user.id, paper_id=paper.id, score=score)
    db.add(rating)
    db.flush()
    refresh_paper_rating(db, paper.id)
    return rating

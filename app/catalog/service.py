"""The catalogue's write rules: find, add, change and delete papers; set their authors, categories, tags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.permissions import require_edit_owned
from app.bulk import chunks
from app.catalog.field_sources import forget_field_sources
from app.catalog.identifiers import (
    arxiv_id_from_url,
    doi_from_text,
    normalise_arxiv_id,
    title_key,
    year_from_arxiv_id,
)
from app.catalog.links import (
    CATEGORY_LINKS,
    TAG_LINKS,
    adjust_counts,
    linked_ids,
    replace_authors,
    replace_links,
)
from app.catalog.models import Author, Paper
from app.catalog.write_schemas import PaperCreate, PaperUpdate
from app.errors import Conflict, InvalidInput, NotFound
from app.slugs import slugify
from app.taxonomy.models import Category, Tag
from app.taxonomy.service import clean_tag_name, ensure_tags, tag_slug

# Imported papers had their slugs cut at 80 characters from the start, so most addresses follow this.
PAPER_SLUG_BASE_LENGTH = 80
INSERT_ATTEMPTS = 3


# --- lookups -------------------------------------------------------------------------


def paper_owner_id(session: Session, paper_id: int) -> int | None:
    """Who added the paper (None: an import or a removed account), without loading the whole paper."""
    return session.scalar(select(Paper.added_by_id).where(Paper.id == paper_id))


def get_paper(session: Session, paper_id: int, *, for_update: bool = False) -> Paper:
    statement = select(Paper).where(Paper.id == paper_id)
    if for_update:
        statement = statement.with_for_update()
    paper = session.scalar(statement)
    if paper is None:
        raise NotFound(f"No paper with id {paper_id}.")
    return paper


def find_existing(
    session: Session, *, arxiv_id: str | None = None, doi: str | None = None, title: str | None = None
) -> Paper | None:
    """The paper these identifiers already name: by arXiv id, then DOI, then normalised title.

    A title match is not a duplicate when both papers carry different arXiv ids or DOIs.
    """
    arxiv = normalise_arxiv_id(arxiv_id) if arxiv_id else None
    doi_key = doi_from_text(doi) if doi else None
    if arxiv:
        found = session.scalar(select(Paper).where(Paper.arxiv_id == arxiv))
        if found is not None:
            return found
    if doi_key:
        found = session.scalar(select(Paper).where(Paper.doi == doi_key))
        if found is not None:
            return found
    key = title_key(title) if title else ""
    if not key:
        return None
    statement = select(Paper).where(Paper.title_key == key)
    if arxiv:
        statement = statement.where(Paper.arxiv_id.is_(None))
    if doi_key:
        statement = statement.where(Paper.doi.is_(None))
    return session.scalar(statement.order_by(Paper.id).limit(1))


def existing_summary(paper: Paper) -> dict[str, Any]:
    """How a 409 names the paper that is already there."""
    return {"id": paper.id, "slug": paper.slug, "title": paper.title, "url": paper.url}


def _refuse_duplicate(existing: Paper | None, ignore_id: int | None = None) -> None:
    if existing is not None and existing.id != ignore_id:
        raise Conflict(
            f"This paper is already in the catalogue as {existing.title!r}.",
            extra={"existing": existing_summary(existing)},
        )


# --- writing papers ------------------------------------------------------------------


def unique_paper_slugs(session: Session, titles: Sequence[str]) -> list[str]:
    """A free slug per title, distinct among themselves: the title's own, or with the first free "-N"."""
    bases = [slugify(title, max_length=PAPER_SLUG_BASE_LENGTH) or "paper" for title in titles]
    taken: set[str] = set()
    for chunk in chunks(sorted(set(bases))):
        taken |= set(session.scalars(select(Paper.slug).where(Paper.slug.in_(chunk))))
    suffixed_loaded: set[str] = set()
    slugs: list[str] = []
    for base in bases:
        slug = base
        if slug in taken:
            if base not in suffixed_loaded:
                # Collisions are rare: load this base's numbered variants once.
                taken |= set(session.scalars(select(Paper.slug).where(Paper.slug.startswith(f"{base}-"))))
                suffixed_loaded.add(base)
            suffix = 2
            while f"{base}-{suffix}" in taken:
                suffix += 1
            slug = f"{base}-{suffix}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _identifiers(data: PaperCreate) -> tuple[str | None, str | None]:
    arxiv = data.arxiv_id or next(
        (found for url in (data.url, data.pdf_url) if url and (found := arxiv_id_from_url(url))), None
    )
    doi = data.doi or (doi_from_text(data.url) if data.url else None)
    return arxiv, doi


def _published_from_arxiv(arxiv_id: str | None) -> str | None:
    if not arxiv_id or "/" in arxiv_id:
        return None
    year = year_from_arxiv_id(arxiv_id)
    return f"{year}-{arxiv_id[2:4]}" if year else None


def create_paper(session: Session, data: PaperCreate, *, added_by: User | None) -> Paper:
    """Add a paper with its authors, categories and tags; 409 with the existing one if it is known."""
    arxiv, doi = _identifiers(data)
    _refuse_duplicate(find_existing(session, arxiv_id=arxiv, doi=doi, title=data.title))
    paper = Paper(
        title=data.title,
        title_key=title_key(data.title),
        short_name=data.short_name,
        url=data.url or (f"https://arxiv.org/abs/{arxiv}" if arxiv else None),
        pdf_url=data.pdf_url,
        code_url=data.code_url,
        arxiv_id=arxiv,
        doi=doi,
        year=data.year or (year_from_arxiv_id(arxiv) if arxiv else None),
        published=data.published or _published_from_arxiv(arxiv),
        venue=data.venue,
        summary=data.summary or None,
        importance=data.importance,
        rating_count=0,
        is_curated=added_by is not None,
        added_by_id=added_by.id if added_by else None,
    )
    for attempt in range(INSERT_ATTEMPTS):
        paper.slug = unique_paper_slugs(session, [data.title])[0]
        try:
            with session.begin_nested():
                session.add(paper)
                session.flush()
            break
        except IntegrityError:
            # A concurrent request added this paper (or took the slug) after the check above.
            _refuse_duplicate(find_existing(session, arxiv_id=arxiv, doi=doi, title=data.title))
            if attempt == INSERT_ATTEMPTS - 1:
                raise
    set_authors(session, paper, data.authors)
    set_categories(session, paper, data.categories)
    set_tags(session, paper, data.tags)
    return paper


_PLAIN_UPDATE_FIELDS = (
    "short_name",
    "url",
    "pdf_url",
    "code_url",
    "year",
    "published",
    "venue",
    "summary",
    "importance",
)


def update_paper(session: Session, paper: Paper, data: PaperUpdate, *, user: User | None) -> Paper:
    """Change the fields sent; the paper becomes curated so re-imports leave the edit alone."""
    require_edit_owned(user, paper.added_by_id)
    try:
        # The savepoint opens before any change, so a lost race below leaves the transaction usable.
        with session.begin_nested():
            _apply_update(session, paper, data)
            session.flush()
    except IntegrityError:
        # A concurrent request gave another paper this arXiv id or DOI after the checks.
        _refuse_duplicate(find_existing(session, arxiv_id=data.arxiv_id, doi=data.doi), ignore_id=paper.id)
        raise
    if data.authors is not None:
        set_authors(session, paper, data.authors)
    if data.categories is not None:
        set_categories(session, paper, data.categories)
    if data.tags is not None:
        set_tags(session, paper, data.tags)
    forget_field_sources(session, paper.id, data.model_fields_set)
    return paper


def _apply_update(session: Session, paper: Paper, data: PaperUpdate) -> None:
    sent = data.model_fields_set
    if "arxiv_id" in sent and data.arxiv_id and data.arxiv_id != paper.arxiv_id:
        _refuse_duplicate(find_existing(session, arxiv_id=data.arxiv_id), ignore_id=paper.id)
    if "doi" in sent and data.doi and data.doi != paper.doi:
        _refuse_duplicate(find_existing(session, doi=data.doi), ignore_id=paper.id)
    if data.title is not None and title_key(data.title) != paper.title_key:
        twin = session.scalar(
            select(Paper).where(Paper.title_key == title_key(data.title), Paper.id != paper.id).limit(1)
        )
        _refuse_duplicate(twin, ignore_id=paper.id)
        paper.title_key = title_key(data.title)
    if data.title is not None:
        paper.title = data.title
    for field in ("arxiv_id", "doi", *_PLAIN_UPDATE_FIELDS):
        if field in sent:
            setattr(paper, field, getattr(data, field) or None)
    paper.is_curated = True


def delete_paper(session: Session, paper: Paper, *, user: User | None) -> None:
    """Remove a paper; its links, authorship and ratings go with it, and counts stay exact."""
    require_edit_owned(user, paper.added_by_id)
    _remove_paper(session, paper)


def _remove_paper(session: Session, paper: Paper) -> None:
    for kind in (CATEGORY_LINKS, TAG_LINKS):
        adjust_counts(session, kind.counted, dict.fromkeys(linked_ids(session, kind, paper.id), -1))
    session.execute(delete(Paper).where(Paper.id == paper.id))
    session.flush()


# --- links: authors, categories, tags -------------------------------------------------


def set_authors(session: Session, paper: Paper, names: Sequence[str]) -> list[Author]:
    """Make NAMES the paper's authors, in order; one Author row per distinct name everywhere."""
    authors = replace_authors(session, {paper.id: names})[paper.id]
    session.expire(paper, ["authors"])
    return authors


def set_categories(session: Session, paper: Paper, categories: Iterable[str | Category]) -> list[Category]:
    """Put the paper in exactly these categories (slugs or rows); unknown slugs are refused."""
    wanted = list(categories)
    slugs = [item for item in wanted if isinstance(item, str)]
    found = {c.slug: c for c in session.scalars(select(Category).where(Category.slug.in_(slugs)))}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        message = "Unknown categories: " + ", ".join(sorted(unknown))
        raise InvalidInput(message, fields={"categories": message})
    resolved = list({id(c): c for c in (found[i] if isinstance(i, str) else i for i in wanted)}.values())
    replace_links(session, CATEGORY_LINKS, paper.id, [c.id for c in resolved])
    session.expire(paper, ["categories"])
    return resolved


def set_tags(session: Session, paper: Paper, tag_names: Iterable[str]) -> list[Tag]:
    """Tag the paper with exactly these names, creating missing tags (by slug) on the fly."""
    names_by_slug: dict[str, str] = {}
    for name in tag_names:
        clean = clean_tag_name(name)
        slug = tag_slug(clean)
        if slug and slug not in names_by_slug:
            names_by_slug[slug] = clean
    tags = ensure_tags(session, names_by_slug)
    replace_links(session, TAG_LINKS, paper.id, [tag.id for tag in tags])
    session.expire(paper, ["tags"])
    return tags

"""PaperFilters as SQL conditions on papers, with EXISTS or IN for each link chosen by how common it is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.catalog.queries.foreign_tables import source_entries, sources
from app.catalog.queries.text_search import TextMatch, text_search
from app.catalog.schemas import PaperFilters
from app.catalog.service import author_name_key
from app.errors import InvalidInput
from app.taxonomy.models import Category, Tag

# EXISTS walks the sort index and stops after about `limit / share` rows; IN reads every linked row and sorts
# them. They cost the same near share = sqrt(limit / papers); at 1M papers that is about 0.5–1%.
EXISTS_SHARE_FACTOR = 50


@dataclass
class ResolvedFilters:
    """SQL conditions on `papers`, and the text match when the filters carry a query."""

    conditions: list[ColumnElement[bool]] = field(default_factory=list)
    text: TextMatch | None = None
    # A filter names something that does not exist (an unknown tag, say), so nothing can match.
    matches_nothing: bool = False


def prefer_exists(linked: int, papers: int) -> bool:
    """Whether a link that LINKED of about PAPERS papers hold is tested per row (EXISTS), not joined (IN)."""
    return linked * linked >= EXISTS_SHARE_FACTOR * max(papers, 1)


def _linked(
    link_paper_id: Any, where: Iterable[ColumnElement[bool]], *, frequent: bool
) -> ColumnElement[bool]:
    conditions = list(where)
    if frequent:
        return exists(select(1).where(link_paper_id == Paper.id, *conditions))
    return Paper.id.in_(select(link_paper_id).where(*conditions))


def category_subtree(session: Session, slug: str) -> tuple[list[int], int] | None:
    """The ids of the category SLUG and its descendants, and their papers' count; None when unknown."""
    rows = session.execute(select(Category.id, Category.parent_id, Category.slug, Category.paper_count)).all()
    root = next((row.id for row in rows if row.slug == slug), None)
    if root is None:
        return None
    children: dict[int | None, list[int]] = {}
    counts = {row.id: row.paper_count for row in rows}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row.id)
    found, stack = [], [root]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        found.append(current)
        stack.extend(children.get(current, []))
    return found, sum(counts[category_id] for category_id in found)


def paper_estimate(session: Session) -> int:
    """An upper bound on the number of papers from the primary key alone (deleted ids leave gaps)."""
    return int(session.scalar(select(func.max(Paper.id))) or 0)


def _link_conditions(session: Session, filters: PaperFilters) -> list[ColumnElement[bool]] | None:
    """Conditions for the filters that go through a link table; None when one names nothing that exists."""
    conditions: list[ColumnElement[bool]] = []
    needs_estimate = filters.category or filters.tag or filters.source
    papers = paper_estimate(session) if needs_estimate else 0
    if filters.category:
        subtree = category_subtree(session, filters.category)
        if subtree is None:
            return None
        ids, linked = subtree
        in_subtree = [PaperCategory.category_id.in_(ids)]
        conditions.append(_linked(PaperCategory.paper_id, in_subtree, frequent=prefer_exists(linked, papers)))
    if filters.tag:
        wanted = sorted(set(filters.tag))
        tags = session.execute(select(Tag.id, Tag.paper_count).where(Tag.slug.in_(wanted))).all()
        if len(tags) < len(wanted):
            return None
        # The rarest tag first: it narrows the most.
        for tag_id, paper_count in sorted(tags, key=lambda row: row.paper_count):
            frequent = prefer_exists(paper_count, papers)
            conditions.append(_linked(PaperTag.paper_id, [PaperTag.tag_id == tag_id], frequent=frequent))
    if filters.source:
        source = session.execute(
            select(sources.c.id, sources.c.entry_count).where(sources.c.name == filters.source)
        ).first()
        if source is None:
            return None
        in_source = [source_entries.c.source_id == source.id]
        frequent = prefer_exists(source.entry_count, papers)
        conditions.append(_linked(source_entries.c.paper_id, in_source, frequent=frequent))
    if filters.author:
        key = author_name_key(filters.author)
        author_id = session.scalar(select(Author.id).where(Author.name_key == key))
        if author_id is None:
            return None
        conditions.append(_linked(PaperAuthor.paper_id, [PaperAuthor.author_id == author_id], frequent=False))
    return conditions


def _column_conditions(filters: PaperFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.year_from is not None:
        conditions.append(Paper.year >= filters.year_from)
    if filters.year_to is not None:
        conditions.append(Paper.year <= filters.year_to)
    if filters.venue:
        conditions.append(Paper.venue == filters.venue)
    if filters.min_rating is not None:
        conditions.append(Paper.rating_avg >= filters.min_rating)
    if filters.has_code is True:
        conditions.append(Paper.code_url.is_not(None) & (Paper.code_url != ""))
    elif filters.has_code is False:
        conditions.append(or_(Paper.code_url.is_(None), Paper.code_url == ""))
    return conditions


def resolve_filters(session: Session, filters: PaperFilters) -> ResolvedFilters:
    text = None
    if filters.q:
        text = text_search().match(session, filters.q)
        if text is None:
            raise InvalidInput(
                "The query has no words to search for.",
                fields={"q": "Type at least one letter, digit or Chinese character."},
            )
    linked = _link_conditions(session, filters)
    if linked is None:
        return ResolvedFilters(matches_nothing=True)
    return ResolvedFilters(conditions=[*linked, *_column_conditions(filters)], text=text)


def text_match_ids(match: TextMatch) -> Select[Any]:
    return select(match.paper_id.label("id")).select_from(match.source).where(match.condition)


def matching_ids(resolved: ResolvedFilters) -> Select[Any]:
    """SELECT papers.id of every paper the filters admit, unordered."""
    if resolved.text is not None and not resolved.conditions:
        return text_match_ids(resolved.text)
    statement = select(Paper.id).where(*resolved.conditions)
    if resolved.text is not None:
        statement = statement.where(Paper.id.in_(text_match_ids(resolved.text)))
    return statement

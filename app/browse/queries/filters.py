"""PaperFilters as SQL on papers: each link filter in both forms (IN, EXISTS) with its size, and columns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from app.catalog.identifiers import author_name_key
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag, maintained_counts
from app.catalog.schemas import UNKNOWN_YEAR, PaperFilters
from app.errors import InvalidInput
from app.importing.models import Source, SourceEntry
from app.rating_dependencies import depend_on_every_rating
from app.search import service as search
from app.search.matching import TextMatch
from app.taxonomy.models import Category, Tag
from app.translatable import N_

# EXISTS walks the sort index and stops after about `limit / share` rows; IN reads every linked row and sorts
# them. They cost the same near share = sqrt(limit / papers); at 1M papers that is about 0.5–1%.
EXISTS_SHARE_FACTOR = 50
# Above this relative cost a row test is never worth it: the condition is read once instead.
MAX_ROW_TEST_COST = 100


def prefer_exists(linked: int, papers: int, row_test_cost: float = 1) -> bool:
    """Whether a link that LINKED of about PAPERS papers hold is tested per row (EXISTS), not joined (IN).

    Walking the sort index tests about limit * papers / linked rows, each at ROW_TEST_COST; IN reads LINKED.
    """
    if row_test_cost > MAX_ROW_TEST_COST:
        return False
    return linked * linked >= EXISTS_SHARE_FACTOR * max(papers, 1) * row_test_cost


@dataclass(frozen=True)
class LinkCondition:
    """A filter through another table (a tag, a list, the text index): its paper ids, and how many there are.

    A query can let the smallest link drive (read its ids from its index) and test the others row by row.
    """

    ids: Select[Any]  # SELECT <paper id> AS id
    exists: ColumnElement[bool]  # the same tested on the current papers row (an EXISTS, or a column test)
    size: int  # papers holding the link (a maintained count or a bounded count)
    row_test_cost: float = 1  # testing one paper, against one index lookup

    @property
    def within(self) -> ColumnElement[bool]:
        return Paper.id.in_(self.ids)

    def row_test(self) -> ColumnElement[bool]:
        """The condition for rows another index found: per row unless that is dear, else read once."""
        return self.exists if self.row_test_cost <= MAX_ROW_TEST_COST else self.within


@dataclass
class ResolvedFilters:
    """The filters as SQL: link conditions, conditions on papers' own columns, and the text match."""

    links: list[LinkCondition] = field(default_factory=list)
    columns: list[ColumnElement[bool]] = field(default_factory=list)
    text: TextMatch | None = None
    papers: int = 0  # an upper bound on the catalogue's size, when a decision needs it
    # A filter names something that does not exist (an unknown tag, say), so nothing can match.
    matches_nothing: bool = False

    def page_conditions(self, text_size: int | None = None) -> list[ColumnElement[bool]]:
        """Conditions for a page read along a sort index: common links per row, rare ones by their index."""
        links = list(self.links)
        if self.text is not None:
            links.append(text_link(self.text, size=self.papers if text_size is None else text_size))
        chosen = [
            link.exists if prefer_exists(link.size, self.papers, link.row_test_cost) else link.within
            for link in links
        ]
        return chosen + self.columns


def _link(
    link_paper_id: Any, where: Iterable[ColumnElement[bool]], size: int, *, may_repeat: bool = False
) -> LinkCondition:
    """MAY_REPEAT: a paper can hold the link twice (filed in a category and its child, listed twice)."""
    conditions = list(where)
    ids = select(link_paper_id.label("id")).where(*conditions)
    return LinkCondition(
        ids=ids.distinct() if may_repeat else ids,
        exists=exists(select(1).where(link_paper_id == Paper.id, *conditions)),
        size=size,
    )


def text_link(match: TextMatch, *, size: int) -> LinkCondition:
    """The text match as a link condition."""
    return LinkCondition(
        ids=select(match.paper_id.label("id")).select_from(match.source).where(match.condition),
        exists=exists(select(1).select_from(match.source).where(match.condition, match.paper_id == Paper.id)),
        size=size,
        row_test_cost=match.row_test_cost,
    )


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


def _link_conditions(session: Session, filters: PaperFilters) -> list[LinkCondition] | None:
    """Conditions for the filters that go through a link table; None when one names nothing that exists.

    The values of one filter are alternatives: a paper holding any of them matches. Values that name
    nothing are left out; when all of a filter's values do, nothing can match.
    """
    links: list[LinkCondition] = []
    if filters.category:
        subtrees = [category_subtree(session, slug) for slug in filters.category]
        found = [subtree for subtree in subtrees if subtree is not None]
        if not found:
            return None
        ids = sorted({category_id for category_ids, _count in found for category_id in category_ids})
        linked = sum(count for _ids, count in found)
        in_subtrees = [PaperCategory.category_id.in_(ids)]
        links.append(_link(PaperCategory.paper_id, in_subtrees, linked, may_repeat=len(ids) > 1))
    if filters.tag:
        tags = session.execute(select(Tag.id, Tag.paper_count).where(Tag.slug.in_(filters.tag))).all()
        if not tags:
            return None
        tag_ids = sorted(tag.id for tag in tags)
        linked = sum(tag.paper_count for tag in tags)
        links.append(
            _link(PaperTag.paper_id, [PaperTag.tag_id.in_(tag_ids)], linked, may_repeat=len(tags) > 1)
        )
    if filters.source:
        found_sources = session.execute(
            select(Source.id, Source.entry_count).where(Source.name.in_(filters.source))
        ).all()
        if not found_sources:
            return None
        in_sources = [SourceEntry.source_id.in_(sorted(source.id for source in found_sources))]
        linked = sum(source.entry_count for source in found_sources)
        links.append(_link(SourceEntry.paper_id, in_sources, linked, may_repeat=True))
    if filters.author:
        key = author_name_key(filters.author)
        author_id = session.scalar(select(Author.id).where(Author.name_key == key))
        if author_id is None:
            return None
        # An author has a handful of papers: always small enough to drive.
        links.append(_link(PaperAuthor.paper_id, [PaperAuthor.author_id == author_id], 0))
    if filters.venue:
        links.append(_venue_link(session, filters.venue))
    return sorted(links, key=lambda link: link.size)


def _venue_link(session: Session, venues: list[str]) -> LinkCondition:
    """Papers at any of VENUES, read through the venue index or tested per row like a link, by how common."""
    count = session.scalar(
        select(func.sum(maintained_counts.c.papers)).where(
            maintained_counts.c.facet == "venue", maintained_counts.c.value.in_(venues)
        )
    )
    return LinkCondition(
        ids=select(Paper.id.label("id")).where(Paper.venue.in_(venues)),
        # An expression on the column keeps the planner off the venue index, which would sort every match.
        exists=func.coalesce(Paper.venue, "").in_(venues),
        size=int(count or 0),
    )


def _column_conditions(filters: PaperFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.year:
        years = [int(year) for year in filters.year if year != UNKNOWN_YEAR]
        either: list[ColumnElement[bool]] = [Paper.year.in_(years)] if years else []
        if UNKNOWN_YEAR in filters.year:
            either.append(Paper.year.is_(None))
        conditions.append(or_(*either))
    if filters.year_from is not None:
        conditions.append(Paper.year >= filters.year_from)
    if filters.year_to is not None:
        conditions.append(Paper.year <= filters.year_to)
    if filters.min_rating is not None:
        depend_on_every_rating()
        conditions.append(Paper.rating_avg >= filters.min_rating)
    if filters.has_code is True:
        conditions.append(Paper.code_url.is_not(None) & (Paper.code_url != ""))
    elif filters.has_code is False:
        conditions.append(or_(Paper.code_url.is_(None), Paper.code_url == ""))
    return conditions


def resolve_filters(session: Session, filters: PaperFilters) -> ResolvedFilters:
    text = None
    if filters.q:
        text = search.match(session, filters.q)
        if text is None:
            raise InvalidInput(
                "The query has no words to search for.",
                fields={"q": N_("Type at least one letter, digit or Chinese character.")},
            )
    links = _link_conditions(session, filters)
    if links is None:
        return ResolvedFilters(matches_nothing=True)
    papers = paper_estimate(session) if links or text is not None else 0
    return ResolvedFilters(links=links, columns=_column_conditions(filters), text=text, papers=papers)

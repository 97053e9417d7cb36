"""facet_counts: how many matching papers fall in each category, tag, year, venue and list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.browse.queries.filters import resolve_filters
from app.browse.queries.matching import bounded_count, first_matching_ids
from app.catalog.models import Paper, PaperCategory, PaperTag, maintained_counts
from app.catalog.schemas import (
    MAX_VALUES_PER_FILTER,
    UNKNOWN_YEAR,
    CategoryFacet,
    Facets,
    FacetValue,
    PaperFilters,
)
from app.db import among
from app.importing.models import Source, SourceEntry
from app.taxonomy.models import Category, Tag

# Under a filter, counts cover at most this many matching papers (and say so); unfiltered counts are exact.
FACET_BOUND = 5_000
TOP_TAGS = 30
TOP_VENUES = 20
TOP_SOURCES = 30
# Papers without a year are counted up to here over the whole catalogue (an index range, never a scan).
UNKNOWN_YEAR_BOUND = 100_000
# Each facet with a choice made is counted without its own choice, so that its other values show what
# adding them (OR) would bring: the filter each facet relaxes.
RELAXED: dict[str, dict[str, Any]] = {
    "categories": {"category": []},
    "tags": {"tag": []},
    "years": {"year": [], "year_from": None, "year_to": None},
    "venues": {"venue": []},
    "sources": {"source": []},
}

Counts = dict[Any, int]


def _most_first(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _category_tree(
    filters: PaperFilters, rows: Sequence[Any], counts: Counts, *, keep_empty: bool
) -> list[CategoryFacet]:
    children: dict[int | None, list[Any]] = {}
    ids = {row.id for row in rows}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else None
        children.setdefault(parent, []).append(row)

    def build(parent: int | None, seen: frozenset[int]) -> list[CategoryFacet]:
        nodes = []
        for row in sorted(children.get(parent, []), key=lambda r: (r.position, r.name_en.casefold(), r.slug)):
            if row.id in seen:  # a cycle in the data must not hang the request
                continue
            below = build(row.id, seen | {row.id})
            count = counts.get(row.id, 0)
            total = count + sum(child.total for child in below)
            selected = row.slug in filters.category
            if total or selected or keep_empty:
                nodes.append(
                    CategoryFacet(
                        value=row.slug,
                        label=row.name_en,
                        name_zh=row.name_zh,
                        count=count,
                        total=total,
                        selected=selected,
                        toggle_query=filters.query_string(category=_toggled(filters.category, row.slug)),
                        children=below,
                    )
                )
        return nodes

    return build(None, frozenset())


def _toggled(values: list[str], value: str) -> list[str]:
    """VALUES with VALUE taken out when present, else added (keeping within the most a filter takes)."""
    if value in values:
        return [item for item in values if item != value]
    return [*values, value][-MAX_VALUES_PER_FILTER:]


def _tag_values(filters: PaperFilters, rows: Sequence[Any]) -> list[FacetValue]:
    return [
        FacetValue(
            value=slug,
            label=name,
            count=count,
            selected=slug in filters.tag,
            toggle_query=filters.query_string(tag=_toggled(filters.tag, slug)),
        )
        for slug, name, count in rows
    ]


def _year_values(filters: PaperFilters, rows: Sequence[Any]) -> list[FacetValue]:
    """Years newest first, then the papers without one; choosing a year replaces a from–to range."""
    values = []
    known = sorted((row for row in rows if row[0] is not None), key=lambda row: row[0], reverse=True)
    unknown = [row for row in rows if row[0] is None]
    for year, count in [*known, *unknown]:
        value = UNKNOWN_YEAR if year is None else str(year)
        values.append(
            FacetValue(
                value=value,
                label=value,
                count=count,
                selected=value in filters.year,
                toggle_query=filters.query_string(
                    year=_toggled(filters.year, value), year_from=None, year_to=None
                ),
            )
        )
    return values


def _simple_values(filters: PaperFilters, name: str, rows: Sequence[Any]) -> list[FacetValue]:
    chosen: list[str] = getattr(filters, name)
    return [
        FacetValue(
            value=value,
            label=label,
            count=count,
            selected=value in chosen,
            toggle_query=filters.query_string(**{name: _toggled(chosen, value)}),
        )
        for value, label, count in rows
    ]


def _unfiltered(
    session: Session, wanted: Collection[str]
) -> tuple[Counts, list[Any], list[Any], list[Any], list[Any]]:
    """Counts over the whole catalogue for the WANTED facets, all maintained on write (a list counts its
    entries) but for the papers without a year."""
    categories: Counts = {}
    tags: Sequence[Any] = []
    years: list[tuple[int | None, int]] = []
    venues: list[Any] = []
    lists: Sequence[Any] = []
    if "categories" in wanted:
        categories = dict(session.execute(select(Category.id, Category.paper_count)).all())
    if "tags" in wanted:
        tags = session.execute(
            select(Tag.slug, Tag.name, Tag.paper_count)
            .where(Tag.paper_count > 0)
            .order_by(Tag.paper_count.desc(), Tag.slug)
            .limit(TOP_TAGS)
        ).all()
    if "years" in wanted or "venues" in wanted:
        years, venues = _maintained_years_and_venues(session)
    if "sources" in wanted:
        lists = session.execute(
            select(Source.name, Source.title, Source.entry_count)
            .where(Source.entry_count > 0)
            .order_by(Source.entry_count.desc(), Source.name)
            .limit(TOP_SOURCES)
        ).all()
    return categories, list(tags), list(years), list(venues), list(lists)


def _maintained_years_and_venues(session: Session) -> tuple[list[tuple[int | None, int]], list[Any]]:
    counted = session.execute(
        select(maintained_counts.c.facet, maintained_counts.c.value, maintained_counts.c.papers).where(
            maintained_counts.c.papers > 0
        )
    ).all()
    years: list[tuple[int | None, int]] = [
        (int(value), papers) for facet, value, papers in counted if facet == "year"
    ]
    without_year = select(Paper.id).where(Paper.year.is_(None)).limit(UNKNOWN_YEAR_BOUND).subquery()
    unknown = int(session.scalar(select(func.count()).select_from(without_year)) or 0)
    if unknown:
        years.append((None, unknown))
    by_venue = sorted(
        ((value, papers) for facet, value, papers in counted if facet == "venue"), key=_most_first
    )
    venues = [(venue, venue, papers) for venue, papers in by_venue[:TOP_VENUES]]
    return years, venues


def _filtered(
    session: Session, ids: list[int], wanted: Collection[str]
) -> tuple[Counts, list[Any], list[Any], list[Any], list[Any]]:
    """Counts of the WANTED facets over the matched papers IDS."""
    categories: Counts = {}
    tags: Sequence[Any] = []
    years: list[Any] = []
    venues: list[Any] = []
    lists: Sequence[Any] = []
    if "categories" in wanted:
        categories = dict(
            session.execute(
                select(PaperCategory.category_id, func.count())
                .where(among(session, PaperCategory.paper_id, ids))
                .group_by(PaperCategory.category_id)
            ).all()
        )
    # Links are counted per id first and named after: a name looked up per link would be read thousands of
    # times for a few hundred tags and four lists.
    if "tags" in wanted:
        per_tag = (
            select(PaperTag.tag_id, func.count().label("n"))
            .where(among(session, PaperTag.paper_id, ids))
            .group_by(PaperTag.tag_id)
            .subquery()
        )
        tags = session.execute(
            select(Tag.slug, Tag.name, per_tag.c.n)
            .join(per_tag, per_tag.c.tag_id == Tag.id)
            .order_by(per_tag.c.n.desc(), Tag.slug)
            .limit(TOP_TAGS)
        ).all()
    if "years" in wanted or "venues" in wanted:
        # Years and venues in one pass over the papers: a few thousand (year, venue) pairs at most.
        by_year: Counter[int | None] = Counter()
        by_venue: Counter[str] = Counter()
        pairs = session.execute(
            select(Paper.year, Paper.venue, func.count())
            .where(among(session, Paper.id, ids))
            .group_by(Paper.year, Paper.venue)
        )
        for year, venue, count in pairs:
            by_year[year] += count
            if venue is not None:
                by_venue[venue] += count
        years = list(by_year.items())
        top_venues = sorted(by_venue.items(), key=_most_first)[:TOP_VENUES]
        venues = [(venue, venue, count) for venue, count in top_venues]
    if "sources" in wanted:
        per_list = (
            select(SourceEntry.source_id, func.count(SourceEntry.paper_id.distinct()).label("n"))
            .where(among(session, SourceEntry.paper_id, ids))
            .group_by(SourceEntry.source_id)
            .subquery()
        )
        lists = session.execute(
            select(Source.name, Source.title, per_list.c.n)
            .join(per_list, per_list.c.source_id == Source.id)
            .order_by(per_list.c.n.desc(), Source.name)
            .limit(TOP_SOURCES)
        ).all()
    return categories, list(tags), years, venues, list(lists)


@dataclass
class _FacetCounts:
    categories: Counts
    tags: list[Any]
    years: list[Any]
    venues: list[Any]
    sources: list[Any]
    matched: int
    matched_is_approximate: bool
    is_approximate: bool


def _counts(session: Session, filters: PaperFilters) -> _FacetCounts:
    if filters.is_unfiltered():
        count = bounded_count(session, resolve_filters(session, filters))
        return _FacetCounts(*_unfiltered(session, RELAXED), count.total, count.is_approximate, False)
    resolved = resolve_filters(session, filters)
    if resolved.matches_nothing:
        return _FacetCounts({}, [], [], [], [], 0, False, False)
    count = bounded_count(session, resolved)
    ids = first_matching_ids(session, resolved, FACET_BOUND)
    approximate = count.is_approximate or count.total > FACET_BOUND
    return _FacetCounts(*_filtered(session, ids, RELAXED), count.total, count.is_approximate, approximate)


def _relaxed_counts(session: Session, filters: PaperFilters, facet: str) -> tuple[Any, bool]:
    """FACET's counts over the papers FILTERS admit without FACET's own choice, and whether approximate."""
    relaxed = filters.model_copy(update=RELAXED[facet])
    if relaxed.is_unfiltered():
        return getattr(_FacetCounts(*_unfiltered(session, {facet}), 0, False, False), facet), False
    resolved = resolve_filters(session, relaxed)
    if resolved.matches_nothing:
        return ({} if facet == "categories" else []), False
    ids = first_matching_ids(session, resolved, FACET_BOUND)
    counted = _FacetCounts(*_filtered(session, ids, {facet}), 0, False, False)
    return getattr(counted, facet), len(ids) >= FACET_BOUND


def _is_chosen(filters: PaperFilters, facet: str) -> bool:
    return any(getattr(filters, name) not in (None, []) for name in RELAXED[facet])


def facet_counts(session: Session, filters: PaperFilters) -> Facets:
    """Counts per category (a tree), tag, year, venue and list over the papers FILTERS admit.

    A facet with values chosen is counted over the papers the other filters admit, so that its other
    values say how many papers choosing them as well would bring. Unfiltered, the maintained counts answer
    (a list counts its entries); under a filter, the counts cover the first FACET_BOUND matching papers and
    `is_approximate` says when there were more.
    """
    category_rows = session.execute(
        select(
            Category.id,
            Category.slug,
            Category.name_en,
            Category.name_zh,
            Category.parent_id,
            Category.position,
        )
    ).all()
    counted = _counts(session, filters)
    shown = {facet: getattr(counted, facet) for facet in RELAXED}
    is_approximate = counted.is_approximate
    for facet in RELAXED:
        if _is_chosen(filters, facet):
            shown[facet], approximate = _relaxed_counts(session, filters, facet)
            is_approximate = is_approximate or approximate
    return Facets(
        # Browsing never offers an empty category (editors see every one in the API's category tree).
        categories=_category_tree(filters, category_rows, shown["categories"], keep_empty=False),
        tags=_tag_values(filters, shown["tags"]),
        years=_year_values(filters, shown["years"]),
        venues=_simple_values(filters, "venue", shown["venues"]),
        sources=_simple_values(filters, "source", shown["sources"]),
        matched=counted.matched,
        matched_is_approximate=counted.matched_is_approximate,
        is_approximate=is_approximate,
    )

"""facet_counts: how many matching papers fall in each category, tag, year, venue and list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.catalog.models import Paper, PaperCategory, PaperTag
from app.catalog.queries.filters import resolve_filters
from app.catalog.queries.foreign_tables import maintained_counts, source_entries, sources
from app.catalog.queries.matching import among, bounded_count, first_matching_ids
from app.catalog.schemas import MAX_TAG_FILTERS, CategoryFacet, Facets, FacetValue, PaperFilters
from app.taxonomy.models import Category, Tag

# Under a filter, counts cover at most this many matching papers (and say so); unfiltered counts are exact.
FACET_BOUND = 5_000
TOP_TAGS = 30
TOP_VENUES = 20
TOP_SOURCES = 30

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
            selected = filters.category == row.slug
            if total or selected or keep_empty:
                nodes.append(
                    CategoryFacet(
                        value=row.slug,
                        label=row.name_en,
                        name_zh=row.name_zh,
                        count=count,
                        total=total,
                        selected=selected,
                        toggle_query=filters.query_string(category=None if selected else row.slug),
                        children=below,
                    )
                )
        return nodes

    return build(None, frozenset())


def _tag_values(filters: PaperFilters, rows: Sequence[Any]) -> list[FacetValue]:
    values = []
    for slug, name, count in rows:
        selected = slug in filters.tag
        if selected:
            toggled = [tag for tag in filters.tag if tag != slug]
        else:
            toggled = [*filters.tag, slug][-MAX_TAG_FILTERS:]
        values.append(
            FacetValue(
                value=slug,
                label=name,
                count=count,
                selected=selected,
                toggle_query=filters.query_string(tag=toggled),
            )
        )
    return values


def _year_values(filters: PaperFilters, rows: Sequence[Any]) -> list[FacetValue]:
    values = []
    for year, count in sorted(rows, key=lambda row: row[0], reverse=True):
        selected = filters.year_from == year and filters.year_to == year
        change = {"year_from": None, "year_to": None} if selected else {"year_from": year, "year_to": year}
        values.append(
            FacetValue(
                value=str(year),
                label=str(year),
                count=count,
                selected=selected,
                toggle_query=filters.query_string(**change),
            )
        )
    return values


def _simple_values(filters: PaperFilters, name: str, rows: Sequence[Any]) -> list[FacetValue]:
    values = []
    for value, label, count in rows:
        selected = getattr(filters, name) == value
        values.append(
            FacetValue(
                value=value,
                label=label,
                count=count,
                selected=selected,
                toggle_query=filters.query_string(**{name: None if selected else value}),
            )
        )
    return values


def _unfiltered(session: Session) -> tuple[Counts, list[Any], list[Any], list[Any], list[Any]]:
    """Counts over the whole catalogue, all of them maintained on write (a list counts its entries)."""
    categories = dict(session.execute(select(Category.id, Category.paper_count)).all())
    tags = session.execute(
        select(Tag.slug, Tag.name, Tag.paper_count)
        .where(Tag.paper_count > 0)
        .order_by(Tag.paper_count.desc(), Tag.slug)
        .limit(TOP_TAGS)
    ).all()
    counted = session.execute(
        select(maintained_counts.c.facet, maintained_counts.c.value, maintained_counts.c.papers).where(
            maintained_counts.c.papers > 0
        )
    ).all()
    years = [(int(value), papers) for facet, value, papers in counted if facet == "year"]
    by_venue = sorted(
        ((value, papers) for facet, value, papers in counted if facet == "venue"), key=_most_first
    )
    venues = [(venue, venue, papers) for venue, papers in by_venue[:TOP_VENUES]]
    lists = session.execute(
        select(sources.c.name, sources.c.title, sources.c.entry_count)
        .where(sources.c.entry_count > 0)
        .order_by(sources.c.entry_count.desc(), sources.c.name)
        .limit(TOP_SOURCES)
    ).all()
    return categories, list(tags), list(years), list(venues), list(lists)


def _filtered(session: Session, ids: list[int]) -> tuple[Counts, list[Any], list[Any], list[Any], list[Any]]:
    """Counts over the matched papers IDS."""
    categories = dict(
        session.execute(
            select(PaperCategory.category_id, func.count())
            .where(among(session, PaperCategory.paper_id, ids))
            .group_by(PaperCategory.category_id)
        ).all()
    )
    tag_count = func.count().label("n")
    tags = session.execute(
        select(Tag.slug, Tag.name, tag_count)
        .join(PaperTag, PaperTag.tag_id == Tag.id)
        .where(among(session, PaperTag.paper_id, ids))
        .group_by(Tag.id, Tag.slug, Tag.name)
        .order_by(tag_count.desc(), Tag.slug)
        .limit(TOP_TAGS)
    ).all()
    # Years and venues in one pass over the papers: a few thousand (year, venue) pairs at most.
    by_year: Counter[int] = Counter()
    by_venue: Counter[str] = Counter()
    pairs = session.execute(
        select(Paper.year, Paper.venue, func.count())
        .where(among(session, Paper.id, ids))
        .group_by(Paper.year, Paper.venue)
    )
    for year, venue, count in pairs:
        if year is not None:
            by_year[year] += count
        if venue is not None:
            by_venue[venue] += count
    years = list(by_year.items())
    top_venues = sorted(by_venue.items(), key=_most_first)[:TOP_VENUES]
    venues = [(venue, venue, count) for venue, count in top_venues]
    list_count = func.count(source_entries.c.paper_id.distinct()).label("n")
    lists = session.execute(
        select(sources.c.name, sources.c.title, list_count)
        .join(source_entries, source_entries.c.source_id == sources.c.id)
        .where(among(session, source_entries.c.paper_id, ids))
        .group_by(sources.c.id, sources.c.name, sources.c.title)
        .order_by(list_count.desc(), sources.c.name)
        .limit(TOP_SOURCES)
    ).all()
    return categories, list(tags), years, venues, list(lists)


def facet_counts(session: Session, filters: PaperFilters) -> Facets:
    """Counts per category (a tree), tag, year, venue and list over the papers FILTERS admit.

    Unfiltered, the maintained counts answer (a list counts its entries); under a filter, the counts cover
    the first FACET_BOUND matching papers and `is_approximate` says when there were more.
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
    if filters.is_unfiltered():
        categories, tags, years, venues, lists = _unfiltered(session)
        count = bounded_count(session, resolve_filters(session, filters))
        matched, approximate, counts_are_approximate = count.total, count.is_approximate, False
    else:
        resolved = resolve_filters(session, filters)
        if resolved.matches_nothing:
            categories, tags, years, venues, lists = {}, [], [], [], []
            matched, approximate, counts_are_approximate = 0, False, False
        else:
            count = bounded_count(session, resolved)
            matched, approximate = count.total, count.is_approximate
            ids = first_matching_ids(session, resolved, FACET_BOUND)
            categories, tags, years, venues, lists = _filtered(session, ids)
            counts_are_approximate = approximate or matched > FACET_BOUND
    return Facets(
        # Browsing never offers an empty category (editors see every one in the API's category tree).
        categories=_category_tree(filters, category_rows, categories, keep_empty=False),
        tags=_tag_values(filters, tags),
        years=_year_values(filters, years),
        venues=_simple_values(filters, "venue", venues),
        sources=_simple_values(filters, "source", lists),
        matched=matched,
        matched_is_approximate=approximate,
        is_approximate=counts_are_approximate,
    )

"""The papers an export or feed holds: the list's filters and order as one query for ids, then records."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.browse.queries.filters import ResolvedFilters, resolve_filters
from app.browse.queries.listing import SORT_KEYS, relevance_ranked
from app.browse.queries.lookup import paper_named_by
from app.catalog.models import Paper
from app.catalog.schemas import PaperFilters, PaperSort
from app.errors import InvalidInput
from app.exporting.records import ExportPaper
from app.exporting.service import load_records


@dataclass(frozen=True)
class Selection:
    papers: list[ExportPaper]
    truncated: bool


def select_papers(
    session: Session, filters: PaperFilters, *, sort: PaperSort | None, limit: int
) -> Selection:
    """Up to LIMIT papers the filters admit, in the order `GET /api/v1/papers` lists them.

    One ordered query instead of paging through the list: pages would re-rank the matches and highlight
    snippets on every page, which an export has no use for (5,000 papers took seconds that way).
    """
    ids = ordered_ids(session, filters, sort=sort, limit=limit + 1)
    papers = load_records(session, ids[:limit])
    return Selection(papers, truncated=len(ids) > limit)


def ordered_ids(session: Session, filters: PaperFilters, *, sort: PaperSort | None, limit: int) -> list[int]:
    named = paper_named_by(session, filters.q) if filters.q else None
    if named is not None:
        # As in the list: a query that names a paper by its arXiv id, DOI or link answers with that paper.
        return [named[0]][:limit]
    resolved = resolve_filters(session, filters)
    if resolved.matches_nothing:
        return []
    effective = sort or (PaperSort.RELEVANCE if filters.q else PaperSort.NEWEST)
    if effective is PaperSort.RELEVANCE:
        return _by_relevance(session, resolved, limit)
    key = SORT_KEYS[effective]
    base = select(Paper.id).where(*resolved.page_conditions())
    order = [key.column.desc(), Paper.id.desc()] if key.descending else [key.column.asc(), Paper.id.asc()]
    with_value = base.where(key.column.is_not(None)) if key.nullable else base
    ids = list(session.scalars(with_value.order_by(*order).limit(limit)))
    if key.nullable and len(ids) < limit:
        # As in the list: papers without the sort value come last, by id in the sort's direction.
        without = base.where(key.column.is_(None)).order_by(order[1]).limit(limit - len(ids))
        ids += session.scalars(without)
    return ids


def _by_relevance(session: Session, resolved: ResolvedFilters, limit: int) -> list[int]:
    match = resolved.text
    if match is None:
        raise InvalidInput("sort=relevance needs a query q", fields={"sort": "Needs q."})
    return [paper_id for paper_id, _value in relevance_ranked(session, resolved, None)[:limit]]

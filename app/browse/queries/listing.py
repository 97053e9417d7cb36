"""list_papers: filtered, sorted, keyset-paginated pages of papers with a bounded total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select, tuple_
from sqlalchemy.orm import Session

from app.browse.queries.cursor import Cursor, decode_cursor, encode_cursor, fingerprint
from app.browse.queries.filters import ResolvedFilters, resolve_filters
from app.browse.queries.lookup import paper_named_by
from app.browse.queries.matching import bounded_count
from app.browse.queries.summaries import attach_snippets, load_summaries
from app.catalog.models import Paper
from app.catalog.schemas import PaperListParams, PaperPage, PaperSort
from app.db import among
from app.rating_dependencies import depend_on_every_rating, show_ratings_of
from app.search import service as search

# Relevance is ranked over at most this many matches, those matching in titles first: scoring every match of
# a common word costs 50–80 ms at 1M papers. The other sorts page through every match.
RELEVANCE_CANDIDATES = 600
TITLE_CANDIDATES = 300
# A link this many times rarer than the text is read once as a list of ids rather than tested per match.
LINK_LED_RATIO = 20
# A query finding fewer papers than this is checked for misspelt words ("did you mean").
SUGGEST_BELOW = 3


@dataclass(frozen=True)
class SortKey:
    column: Any
    descending: bool
    nullable: bool


SORT_KEYS: dict[PaperSort, SortKey] = {
    PaperSort.NEWEST: SortKey(Paper.year, descending=True, nullable=True),
    PaperSort.OLDEST: SortKey(Paper.year, descending=False, nullable=True),
    PaperSort.RATING: SortKey(Paper.rating_score, descending=True, nullable=True),
    PaperSort.IMPORTANCE: SortKey(Paper.importance, descending=True, nullable=True),
    PaperSort.TITLE: SortKey(Paper.title_key, descending=False, nullable=False),
    PaperSort.ADDED: SortKey(Paper.created_at, descending=True, nullable=False),
}

Row = tuple[int, Any]
# Each sort has its own (key, id) index (SORT_KEYS); when the filters admit many papers, a page is read
# along it rather than sorting everything they admit.
WALK_BATCH_MAX = 4000


def _after(key: Any, id_column: Any, value: Any, paper_id: int, *, descending: bool) -> ColumnElement[bool]:
    """Rows strictly after (value, paper_id) in sort order: a row-value comparison an index can serve."""
    left = tuple_(key, id_column)
    right = tuple_(bindparam(None, value, type_=key.type), bindparam(None, paper_id, type_=id_column.type))
    return left < right if descending else left > right


def _ordered(statement: Select[Any], columns: list[Any], *, descending: bool) -> Select[Any]:
    return statement.order_by(*(column.desc() if descending else column.asc() for column in columns))


def _walked_along_the_sort(
    session: Session,
    conditions: list[ColumnElement[bool]],
    key: SortKey,
    cursor: Cursor | None,
    wanted: int,
    *,
    admitted_share: float,
) -> list[Row]:
    """Up to WANTED rows with a sort value after CURSOR, read along the sort's index in batches, each batch
    then checked against the filters.

    For filters that admit many papers: the database would otherwise lead by the filter's index and sort
    everything it admits (a year sorted by rating: a hundred thousand rows at a million papers), where the
    sort's own index reaches a page after a few hundred rows.
    """
    batch = min(WALK_BATCH_MAX, max(wanted * 4, int(wanted / max(admitted_share, 1e-4) * 2)))
    after = None if cursor is None else (cursor.value, cursor.paper_id)
    rows: list[Row] = []
    while len(rows) < wanted:
        walk = select(Paper.id, key.column).where(key.column.is_not(None))
        if after is not None:
            walk = walk.where(_after(key.column, Paper.id, after[0], after[1], descending=key.descending))
        chunk = [
            (row[0], row[1])
            for row in session.execute(
                _ordered(walk, [key.column, Paper.id], descending=key.descending).limit(batch)
            )
        ]
        if not chunk:
            break
        read = [paper_id for paper_id, _value in chunk]
        admitted = set(session.scalars(select(Paper.id).where(among(session, Paper.id, read), *conditions)))
        rows += [row for row in chunk if row[0] in admitted]
        if len(chunk) < batch:
            break
        after = (chunk[-1][1], chunk[-1][0])
    return rows[:wanted]


def _keyset_rows(
    session: Session,
    resolved: ResolvedFilters,
    key: SortKey,
    cursor: Cursor | None,
    wanted: int,
    *,
    text_size: int | None,
    admitted_share: float | None = None,
) -> list[Row]:
    """Up to WANTED (id, sort value) rows after CURSOR: papers with a sort value first, then those without.

    ADMITTED_SHARE (the share of the catalogue the filters admit, when large): read along the sort's index.
    """
    conditions = resolved.page_conditions(text_size)
    base = select(Paper.id, key.column).where(*conditions)
    rows: list[Row] = []
    if admitted_share is not None and (cursor is None or not cursor.in_nulls):
        rows = _walked_along_the_sort(session, conditions, key, cursor, wanted, admitted_share=admitted_share)
    elif cursor is None or not cursor.in_nulls:
        statement = base.where(key.column.is_not(None)) if key.nullable else base
        if cursor is not None:
            statement = statement.where(
                _after(key.column, Paper.id, cursor.value, cursor.paper_id, descending=key.descending)
            )
        statement = _ordered(statement, [key.column, Paper.id], descending=key.descending).limit(wanted)
        rows = [(row[0], row[1]) for row in session.execute(statement)]
    if key.nullable and len(rows) < wanted:
        statement = base.where(key.column.is_(None))
        if cursor is not None and cursor.in_nulls:
            statement = statement.where(
                Paper.id < cursor.paper_id if key.descending else Paper.id > cursor.paper_id
            )
        statement = _ordered(statement, [Paper.id], descending=key.descending).limit(wanted - len(rows))
        rows += [(row[0], row[1]) for row in session.execute(statement)]
    return rows


def _keyset_rows_before(
    session: Session,
    resolved: ResolvedFilters,
    key: SortKey,
    cursor: Cursor,
    wanted: int,
    *,
    text_size: int | None,
) -> list[Row]:
    """Up to WANTED (id, sort value) rows before CURSOR, the nearest first (the page order reversed)."""
    base = select(Paper.id, key.column).where(*resolved.page_conditions(text_size))
    reverse = not key.descending
    rows: list[Row] = []
    if cursor.in_nulls:
        statement = base.where(key.column.is_(None)).where(
            Paper.id > cursor.paper_id if key.descending else Paper.id < cursor.paper_id
        )
        statement = _ordered(statement, [Paper.id], descending=reverse).limit(wanted)
        rows = [(row[0], row[1]) for row in session.execute(statement)]
    if len(rows) < wanted:
        statement = base.where(key.column.is_not(None)) if key.nullable else base
        if not cursor.in_nulls:
            statement = statement.where(
                _after(key.column, Paper.id, cursor.value, cursor.paper_id, descending=reverse)
            )
        statement = _ordered(statement, [key.column, Paper.id], descending=reverse).limit(wanted - len(rows))
        rows += [(row[0], row[1]) for row in session.execute(statement)]
    return rows


def _candidates(
    resolved: ResolvedFilters, text_size: int | None, condition: ColumnElement[bool] | None = None
) -> Select[Any]:
    """The paper_id of the matches worth ranking, led by the text index.

    A link far rarer than the text (a query within a small tag) is read once into a list the matches are
    checked against; a common one is tested row by row, and the scan stops at RELEVANCE_CANDIDATES.
    """
    match = resolved.text
    assert match is not None
    # No score column: nothing orders by it, and bm25 costs more than finding the match.
    candidates: Select[Any] = select(match.paper_id.label("paper_id")).select_from(match.source)
    conditions = [match.condition if condition is None else condition]
    per_row: list[ColumnElement[bool]] = list(resolved.columns)
    for link in resolved.links:
        if text_size and link.size * LINK_LED_RATIO < text_size:
            conditions.append(match.among(link.ids))
        else:
            per_row.append(link.exists)
    if per_row:
        candidates = candidates.join(Paper, Paper.id == match.paper_id)
    return candidates.where(*conditions, *per_row)


def relevance_ranked(session: Session, resolved: ResolvedFilters, text_size: int | None) -> list[Row]:
    """(id, relevance) of the candidates, best first: the index picks them (title matches first), the search
    ranks them by the same rules on every database."""
    match = resolved.text
    assert match is not None
    ids: list[int] = []
    if match.in_title is not None:
        in_title = _candidates(resolved, text_size, match.in_title).limit(TITLE_CANDIDATES).subquery()
        ids += session.scalars(select(in_title.c.paper_id))
    anywhere = _candidates(resolved, text_size).limit(RELEVANCE_CANDIDATES - len(ids)).subquery()
    ids = list(dict.fromkeys([*ids, *session.scalars(select(anywhere.c.paper_id))]))
    show_ratings_of(ids)  # ratings break ties among the candidates, which the index picks without them
    return sorted(match.rank(session, ids).items(), key=lambda item: (item[1], item[0]))


def _relevance_rows(
    session: Session, resolved: ResolvedFilters, cursor: Cursor | None, wanted: int, *, text_size: int | None
) -> list[Row]:
    """Up to WANTED (id, relevance) rows after CURSOR, best first (before a backwards cursor: the nearest
    first)."""
    ranked = relevance_ranked(session, resolved, text_size)
    if cursor is None:
        return ranked[:wanted]
    at = (cursor.value, cursor.paper_id)
    if cursor.backwards:
        return [(paper_id, value) for paper_id, value in reversed(ranked) if (value, paper_id) < at][:wanted]
    return [(paper_id, value) for paper_id, value in ranked if (value, paper_id) > at][:wanted]


def _identified(session: Session, params: PaperListParams) -> PaperPage | None:
    """The page of the one paper q names by an identifier, if it names one."""
    if not params.q or params.cursor is not None:
        return None
    named = paper_named_by(session, params.q)
    if named is None:
        return None
    paper_id, kind = named
    return PaperPage(
        items=load_summaries(session, [paper_id]),
        next_cursor=None,
        total=1,
        total_is_approximate=False,
        sort=params.effective_sort,
        identifier=kind,
    )


def _rows(
    session: Session,
    resolved: ResolvedFilters,
    sort: PaperSort,
    cursor: Cursor | None,
    *,
    wanted: int,
    text_size: int | None,
    admitted_share: float | None = None,
) -> list[Row]:
    if sort is PaperSort.RATING:
        depend_on_every_rating()
    if sort is PaperSort.RELEVANCE:
        return _relevance_rows(session, resolved, cursor, wanted, text_size=text_size)
    key = SORT_KEYS[sort]
    if cursor is not None and cursor.backwards:
        return _keyset_rows_before(session, resolved, key, cursor, wanted, text_size=text_size)
    return _keyset_rows(
        session, resolved, key, cursor, wanted, text_size=text_size, admitted_share=admitted_share
    )


def _cursor_at(row: Row, *, backwards: bool, position: int) -> Cursor:
    paper_id, value = row
    return Cursor(
        value=value, paper_id=paper_id, in_nulls=value is None, backwards=backwards, position=position
    )


def list_papers(session: Session, params: PaperListParams) -> PaperPage:
    """One page of the papers the filters admit, in the requested order, with the cursors of the pages
    either side and where the page starts among all the matches.

    A query that names a paper by an identifier answers with that paper; one that finds little is checked
    for misspellings, and when it finds nothing at all the corrected query's papers are shown, and said so.
    """
    identified = _identified(session, params)
    if identified is not None:
        return identified
    page = _list_papers(session, params)
    if not params.q or page.total >= SUGGEST_BELOW or params.cursor is not None:
        return page
    suggestion = search.suggest(session, params.q)
    if suggestion is None:
        return page
    if page.total == 0:
        corrected = _list_papers(session, params.model_copy(update={"q": suggestion}))
        if corrected.total:
            return corrected.model_copy(
                update={"did_you_mean": suggestion, "showing_results_for": suggestion}
            )
    return page.model_copy(update={"did_you_mean": suggestion})


def _list_papers(session: Session, params: PaperListParams) -> PaperPage:
    filters = params.filters()
    sort = params.effective_sort
    query_fingerprint = fingerprint(filters, sort)
    cursor = decode_cursor(params.cursor, sort, query_fingerprint) if params.cursor else None
    resolved = resolve_filters(session, filters)
    also_searched = list(resolved.text.also_searched) if resolved.text is not None else []
    empty = PaperPage(
        items=[],
        next_cursor=None,
        total=0,
        total_is_approximate=False,
        sort=sort,
        also_searched=also_searched,
    )
    if resolved.matches_nothing:
        return empty
    count = bounded_count(session, resolved)
    if count.total == 0:
        return empty
    limit = params.limit
    # Past the count's bound the filters admit many papers: a page is quicker found along the sort's index.
    is_common = count.is_approximate and resolved.text is None and bool(resolved.links or resolved.columns)
    share = count.total / max(resolved.papers, 1) if is_common else None
    rows = _rows(
        session, resolved, sort, cursor, wanted=limit + 1, text_size=count.text_size, admitted_share=share
    )
    if cursor is not None and cursor.backwards:
        if len(rows) > limit:
            rows = rows[:limit][::-1]
            has_previous, has_next, start = True, True, cursor.position
        else:
            # The previous page reaches the beginning: answer the first page, whole.
            cursor = None
            rows = _rows(session, resolved, sort, None, wanted=limit + 1, text_size=count.text_size)
    if cursor is None or not cursor.backwards:
        has_previous = cursor is not None
        has_next = len(rows) > limit
        rows = rows[:limit]
        start = cursor.position if cursor is not None else 0
    if has_previous:
        start = max(start, 1)
    next_cursor = previous_cursor = None
    if has_next and rows:
        next_row = _cursor_at(rows[-1], backwards=False, position=start + len(rows))
        next_cursor = encode_cursor(next_row, sort, query_fingerprint)
    if has_previous and rows:
        previous_row = _cursor_at(rows[0], backwards=True, position=max(start - limit, 0))
        previous_cursor = encode_cursor(previous_row, sort, query_fingerprint)
    items = load_summaries(session, [paper_id for paper_id, _value in rows])
    if filters.q:
        attach_snippets(session, filters.q, items)
    return PaperPage(
        items=items,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        offset=start,
        total=count.total,
        total_is_approximate=count.is_approximate,
        sort=sort,
        also_searched=also_searched,
    )

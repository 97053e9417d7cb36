"""Bounded work over the papers the filters admit: counting them, and listing the first of them for facets.

The smallest link (a rare tag, a query's matches) drives from its own index; the other filters are tested
row by row; work stops at the bound. Text matches are counted first, so their size is known.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, literal_column, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.catalog.queries.filters import LinkCondition, ResolvedFilters, text_link

# Counting stops here; beyond it the total is reported as approximate (a lower bound).
COUNT_BOUND = 10_000


@dataclass(frozen=True)
class Count:
    total: int
    is_approximate: bool
    text_size: int | None  # how many papers the text alone matches (bounded), when there is text


def _count(session: Session, statement: Select[Any], bound: int) -> tuple[int, bool]:
    counted = int(
        session.scalar(select(func.count()).select_from(statement.limit(bound + 1).subquery())) or 0
    )
    return min(counted, bound), counted > bound


def _driven(resolved: ResolvedFilters, links: Sequence[LinkCondition]) -> Select[Any]:
    """SELECT id of the admitted papers, led by the smallest link, the others tested per row."""
    if not links:
        return select(Paper.id).where(*resolved.columns)
    driver, others = links[0], links[1:]
    if not others and not resolved.columns:
        return driver.ids
    led = driver.ids.subquery()
    return (
        select(led.c.id)
        .select_from(led.join(Paper, Paper.id == led.c.id))
        .where(*(link.row_test() for link in others), *resolved.columns)
    )


def _links_with_text(
    session: Session, resolved: ResolvedFilters, bound: int
) -> tuple[list[LinkCondition], int | None]:
    links = list(resolved.links)
    if resolved.text is None:
        return links, None
    text_alone = text_link(resolved.text, size=0)
    if not links and not resolved.columns:
        return [text_alone], None
    text_size, _ = _count(session, text_alone.ids, bound)
    links.append(text_link(resolved.text, size=text_size))
    return sorted(links, key=lambda link: link.size), text_size


def bounded_count(session: Session, resolved: ResolvedFilters, bound: int | None = None) -> Count:
    """How many papers match, counting at most BOUND (COUNT_BOUND), and how common the text is."""
    bound = COUNT_BOUND if bound is None else bound
    links, text_size = _links_with_text(session, resolved, bound)
    total, approximate = _count(session, _driven(resolved, links), bound)
    if resolved.text is not None and text_size is None:
        text_size = total  # the text was the only filter
    return Count(total=total, is_approximate=approximate, text_size=text_size)


def first_matching_ids(session: Session, resolved: ResolvedFilters, bound: int) -> list[int]:
    """The ids of up to BOUND admitted papers, in no particular order."""
    links, _text_size = _links_with_text(session, resolved, bound)
    return list(session.scalars(_driven(resolved, links).limit(bound)))


def among(session: Session, column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """COLUMN is one of IDS, sent as one parameter however many there are."""
    condition: ColumnElement[bool]
    if session.get_bind().dialect.name == "postgresql":
        # A semi-join over unnest() probes the index once per id; `= ANY(array)` makes the planner scan the
        # table and filter, which grows with the catalogue rather than with the ids.
        listed_pg: Select[Any] = select(
            func.unnest(bindparam(None, list(ids), type_=postgresql.ARRAY(Integer)))
        )
        condition = column.in_(listed_pg)
    else:
        listed: Select[Any] = select(literal_column("value")).select_from(
            func.json_each(bindparam(None, json.dumps(list(ids))))
        )
        condition = column.in_(listed)
    return condition

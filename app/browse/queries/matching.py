"""Bounded work over the papers the filters admit: counting them, and listing the first of them for facets.

The smallest link (a rare tag, a query's matches) drives from its own index; the other filters are tested
row by row; work stops at the bound. Text matches are counted first, so their size is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.browse.queries.filters import LinkCondition, ResolvedFilters, text_link
from app.catalog.models import Paper

# Counting stops here; beyond it the total is reported as approximate (a lower bound).
COUNT_BOUND = 10_000


@dataclass(frozen=True)
class Count:
    total: int
    is_approximate: bool
    text_size: int | None  # about how many papers the text alone matches, when there is text


@dataclass(frozen=True)
class _Counted:
    total: int
    beyond_bound: bool
    estimate: int  # the total, or past the bound a guess from how far through the ids counting got


def _count(session: Session, statement: Select[Any], bound: int, papers: int) -> _Counted:
    limited = statement.limit(bound + 1).subquery()
    counted, last_id = session.execute(select(func.count(), func.max(limited.c.id))).one()
    counted = int(counted or 0)
    if counted <= bound:
        return _Counted(counted, beyond_bound=False, estimate=counted)
    # Indexes hand out matches roughly in id order, so reaching id `last_id` after `bound` matches says
    # what share of the catalogue matches.
    estimate = max(bound + 1, min(papers, bound * papers // max(int(last_id or 1), 1)))
    return _Counted(bound, beyond_bound=True, estimate=estimate)


def _leading_first(links: Sequence[LinkCondition], papers: int, bound: int) -> list[LinkCondition]:
    """LINKS with the one that should lead first: the rows it reads, times the dearest test on each.

    Counting stops at BOUND matches, so a leader reads about bound / (share of the rarest other) rows.
    """

    def cost(driver: LinkCondition) -> float:
        others = [link for link in links if link is not driver]
        if not others:
            return driver.size
        rarest = max(min(link.size for link in others), 1)
        rows = min(driver.size, bound * max(papers, 1) / rarest)
        return rows * max(link.row_test_cost for link in others)

    leader = min(links, key=cost)
    return [leader, *(link for link in links if link is not leader)]


def _driven(resolved: ResolvedFilters, links: Sequence[LinkCondition], bound: int) -> Select[Any]:
    """SELECT id of the admitted papers, led by the cheapest link, the others tested per row."""
    if not links:
        return select(Paper.id).where(*resolved.columns)
    driver, *others = _leading_first(links, resolved.papers, bound)
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
    text_size = _count(session, text_alone.ids, bound, resolved.papers).estimate
    links.append(text_link(resolved.text, size=text_size))
    return links, text_size


def bounded_count(session: Session, resolved: ResolvedFilters, bound: int | None = None) -> Count:
    """How many papers match, counting at most BOUND (COUNT_BOUND), and how common the text is."""
    bound = COUNT_BOUND if bound is None else bound
    links, text_size = _links_with_text(session, resolved, bound)
    counted = _count(session, _driven(resolved, links, bound), bound, resolved.papers)
    if resolved.text is not None and text_size is None:
        text_size = counted.estimate  # the text was the only filter
    return Count(total=counted.total, is_approximate=counted.beyond_bound, text_size=text_size)


def first_matching_ids(session: Session, resolved: ResolvedFilters, bound: int) -> list[int]:
    """The ids of up to BOUND admitted papers, in no particular order."""
    links, _text_size = _links_with_text(session, resolved, bound)
    return list(session.scalars(_driven(resolved, links, bound).limit(bound)))

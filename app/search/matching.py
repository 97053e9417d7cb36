"""What a text query matches, in the form the list and facet queries combine with their filters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select
from sqlalchemy.orm import Session

SnippetSource = tuple[str, str]
"""A field name (as in `Snippet.field`) and its text."""


@dataclass(frozen=True)
class TextMatch:
    """How the database finds the papers matching a query.

    Select from `source`, keep the rows where `condition` holds; `paper_id` names the paper and `score`
    orders the best match first when sorted ascending. `row_test_cost` is what testing one given paper
    costs, against one index lookup: a few for a tsvector beside its key, tens for an FTS5 probe, thousands
    when FTS5 must merge a prefix's terms on every test; it decides what leads a query and what is tested.
    """

    source: FromClause
    paper_id: ColumnElement[int]
    condition: ColumnElement[bool]
    score: ColumnElement[float]
    row_test_cost: float
    # The condition "the matched paper is one of IDS" (a SELECT of ids), in the form the index ranks fastest.
    among: Callable[[Select[Any]], ColumnElement[bool]]
    # The relevance of matched papers (smaller first), the same on every database.
    rank: Callable[[Session, Sequence[int]], dict[int, float]] = field(
        default=lambda _session, ids: dict.fromkeys(ids, 0.0)
    )
    # The condition restricted to titles and short names: candidates found there are ranked first.
    in_title: ColumnElement[bool] | None = None
    # The names the query was widened to through the glossary ("chain-of-thought", "CoT" for 思维链).
    also_searched: tuple[str, ...] = ()

"""Writing and reading many rows: chunks that fit one statement, chunked inserts, and the dialect's upsert."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import TableClause, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.db import Base

# The fewest bound parameters one statement may carry on the databases we run on: SQLite's default
# since 3.32 (PostgreSQL allows 65,535).
MAX_BOUND_PARAMETERS = 32_766
# The widest row written in bulk (a list entry has 17 columns) with room to grow: a chunk of rows
# always fits one statement, and so does an IN list of a chunk of keys.
MAX_ROW_WIDTH = 64
CHUNK_SIZE = MAX_BOUND_PARAMETERS // MAX_ROW_WIDTH

T = TypeVar("T")
Target = type[Base] | TableClause


def chunks(items: Sequence[T], size: int = CHUNK_SIZE) -> Iterator[Sequence[T]]:
    """ITEMS in consecutive slices of at most SIZE."""
    if size < 1:
        raise ValueError("a chunk holds at least one item")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _table(target: Target) -> TableClause:
    return target if isinstance(target, TableClause) else cast(TableClause, target.__table__)


def chunked_insert(session: Session, target: Target, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows with executemany, a chunk at a time, bypassing the unit of work (and ORM bulk)."""
    table = _table(target)
    for chunk in chunks(rows):
        session.execute(insert(table), list(chunk))


def dialect_insert(session: Session, target: Target) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say ON CONFLICT, in the session's database's own dialect."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(_table(target))
    if dialect == "sqlite":
        return sqlite.insert(_table(target))
    raise NotImplementedError(f"no upsert on {dialect}")  # pragma: no cover - the two supported databases


def insert_ignoring_duplicates(
    session: Session, target: Target, rows: Sequence[Mapping[str, Any]], keys: Sequence[str]
) -> None:
    """Insert ROWS, skipping those whose unique KEYS exist already (perhaps by a concurrent request)."""
    statement = dialect_insert(session, target).on_conflict_do_nothing(index_elements=list(keys))
    for chunk in chunks(rows):
        session.execute(statement, list(chunk))


def _updating_on_conflict(
    statement: postgresql.Insert | sqlite.Insert, keys: Sequence[str], update: Sequence[str]
) -> postgresql.Insert | sqlite.Insert:
    """STATEMENT, updating the UPDATE columns with the new row's values where the unique KEYS exist."""
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={column: statement.excluded[column] for column in update}
    )


def upsert_statement(
    session: Session, target: Target, keys: Sequence[str], update: Sequence[str], values: Mapping[str, Any]
) -> postgresql.Insert | sqlite.Insert:
    """INSERT VALUES ... ON CONFLICT (KEYS) DO UPDATE the UPDATE columns with the new row's values.

    VALUES may hold bind parameters or SQL expressions; the caller adds RETURNING or executes it
    with its own rows.
    """
    return _updating_on_conflict(dialect_insert(session, target).values(dict(values)), keys, update)


def upsert(
    session: Session,
    target: Target,
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ROWS; a row whose unique KEYS exist already updates that row's UPDATE columns instead."""
    statement = _updating_on_conflict(dialect_insert(session, target), keys, update)
    for chunk in chunks(rows):
        session.execute(statement, list(chunk))

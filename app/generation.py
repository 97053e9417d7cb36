"""The catalogue version: numbers that move forward with every committed change readers could see.

Triggers keep them (migrations 0006 and 0015), so every write path counts. `generation` moves with every
change but readers' ratings; a rating moves `rating_seq` and logs the paper it touched, so that a cache can
drop only what showed that paper. Anything computed from the catalogue can be kept with the version it was
read at and reused while it is unchanged: never older than the last commit, and no time-to-live to tune.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Connection, Engine, column, select, table
from sqlalchemy.orm import Session

logger = logging.getLogger("paper_atlas.generation")

_RECONNECT_SECONDS = 1.0
_COUNTERS = table("catalogue_generation", column("generation"), column("rating_seq"))
# A Core SELECT rather than text(): the search index's session hooks take any text() for a possible write.
_VERSION = select(_COUNTERS.c.generation, _COUNTERS.c.rating_seq)
# The same statement for the cache's raw connection, which skips SQLAlchemy on the per-request read.
VERSION_SQL = str(_VERSION.compile())


class CatalogueVersion(NamedTuple):
    """`generation` moves with every change readers could see but ratings; `rating_seq` with every rating."""

    generation: int
    rating_seq: int


class GenerationReader(Protocol):
    """What the response cache asks once per request it could answer."""

    async def __call__(self) -> CatalogueVersion: ...

    async def rating_changes_since(self, since: int, until: int) -> set[int] | None:
        """The papers rated after SINCE up to UNTIL, or None when the log no longer reaches back to SINCE."""


def read_version(connection: Connection | Session) -> CatalogueVersion:
    generation, rating_seq = connection.execute(_VERSION).one()
    return CatalogueVersion(int(generation), int(rating_seq))


def read_generation(connection: Connection | Session) -> int:
    """One number that moves with every change readers could see, ratings included."""
    return sum(read_version(connection))


def rating_changes_sql(since: int, until: int) -> str:
    # Two integers, formatted as such: the reader's raw connection has no one paramstyle across drivers.
    return f"SELECT seq, paper_id FROM rating_changes WHERE seq > {int(since)} AND seq <= {int(until)}"  # noqa: S608


def papers_if_complete(rows: Iterable[tuple[int, int]], since: int, until: int) -> set[int] | None:
    """The papers of ROWS when they hold every sequence number after SINCE up to UNTIL, else None."""
    seen: set[int] = set()
    papers: set[int] = set()
    for seq, paper_id in rows:
        seen.add(int(seq))
        papers.add(int(paper_id))
    return papers if len(seen) == until - since else None


class EngineGenerationReader:
    """The committed generation, read afresh for every request that could be answered from the cache.

    One connection of its own in autocommit mode, read on the event loop: on SQLite a local read of one row
    takes microseconds, on PostgreSQL one short round trip. Asking the database each time is what makes a
    cached answer never older than the last commit: a write's response is sent after its commit, so any
    request that starts after it, in this process or another, reads the new number. (Announcements by
    NOTIFY, used before, arrive after the writer has answered, and a reader that trusted them served
    stale answers for a moment.) When the connection fails it is dropped and reopened on the next read.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None
        self._failed_at = 0.0

    async def __call__(self) -> CatalogueVersion:
        generation, rating_seq = self._fetch(VERSION_SQL)[0]
        return CatalogueVersion(int(generation), int(rating_seq))

    async def rating_changes_since(self, since: int, until: int) -> set[int] | None:
        return papers_if_complete(self._fetch(rating_changes_sql(since, until)), since, until)

    def start(self) -> None:
        """Nothing to start: each read asks the database."""

    def _fetch(self, sql: str) -> list[Any]:
        if self._connection is None:
            if time.monotonic() - self._failed_at < _RECONNECT_SECONDS:
                raise ConnectionError("the catalogue generation is unreadable; retrying shortly")
            self._connection = self._open()
        try:
            cursor = self._connection.cursor()
            try:
                cursor.execute(sql)
                return list(cursor.fetchall())
            finally:
                cursor.close()
        except Exception:
            self._drop_own_connection()
            raise

    def _open(self) -> Any:
        try:
            connection = self._engine.raw_connection()
        except Exception:
            self._failed_at = time.monotonic()  # an outage: do not try to connect on every request
            raise
        if self._engine.dialect.name != "sqlite":
            # Each read its own transaction: never an open one that would hide later commits.
            connection.driver_connection.autocommit = True  # type: ignore[union-attr]
        return connection

    def _drop_own_connection(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            self._failed_at = time.monotonic()
            try:
                connection.invalidate()  # never back to the pool: it is in autocommit, or broken
            except Exception:
                logger.debug("closing the generation connection failed", exc_info=True)

    def close(self) -> None:
        self._drop_own_connection()

"""The catalogue generation: a number that moves forward with every committed change readers could see.

Triggers keep it (migration 0006), so every write path counts. Anything computed from the catalogue can be
kept with the generation it was read at and reused while the number is unchanged: never older than the last
commit, and no time-to-live to tune.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Connection, Engine, column, select, table
from sqlalchemy.orm import Session

logger = logging.getLogger("paper_atlas.generation")

GENERATION_SQL = "SELECT generation FROM catalogue_generation"
_RECONNECT_SECONDS = 1.0
# A Core SELECT rather than text(): the search index's session hooks take any text() for a possible write.
_GENERATION = select(table("catalogue_generation", column("generation")).c.generation)

GenerationReader = Callable[[], Awaitable[int]]
"""Reads the current generation; the response cache calls it once per request it could answer."""


def read_generation(connection: Connection | Session) -> int:
    return int(connection.execute(_GENERATION).scalar_one())


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

    async def __call__(self) -> int:
        return self._read_own_connection()

    def start(self) -> None:
        """Nothing to start: each read asks the database."""

    def _read_own_connection(self) -> int:
        if self._connection is None:
            if time.monotonic() - self._failed_at < _RECONNECT_SECONDS:
                raise ConnectionError("the catalogue generation is unreadable; retrying shortly")
            self._connection = self._open()
        try:
            cursor = self._connection.cursor()
            try:
                cursor.execute(GENERATION_SQL)
                return int(cursor.fetchone()[0])
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

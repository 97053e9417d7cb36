"""The catalogue generation: a number that moves forward with every committed change readers could see.

Triggers keep it (migration 0006), so every write path counts. Anything computed from the catalogue can be
kept with the generation it was read at and reused while the number is unchanged: never older than the last
commit, and no time-to-live to tune.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
from sqlalchemy import Connection, Engine, column, select, table
from sqlalchemy.orm import Session

GENERATION_SQL = "SELECT generation FROM catalogue_generation"
# A Core SELECT rather than text(): the search index's session hooks take any text() for a possible write.
_GENERATION = select(table("catalogue_generation", column("generation")).c.generation)

GenerationReader = Callable[[], Awaitable[int]]
"""Reads the current generation; the response cache calls it once per request it could answer."""


def read_generation(connection: Connection | Session) -> int:
    return int(connection.execute(_GENERATION).scalar_one())


class EngineGenerationReader:
    """The committed generation, read without holding the event loop for long.

    On SQLite through one connection of its own in autocommit mode, on the event loop: a local read of one
    row takes microseconds, less than a hop to a worker thread. Elsewhere through the pool in a worker thread,
    because a network round trip must not stall every other request.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._inline = engine.dialect.name == "sqlite"
        self._connection: Any = None

    async def __call__(self) -> int:
        if self._inline:
            return self._read_own_connection()
        return await anyio.to_thread.run_sync(self._read_pooled)

    def _read_own_connection(self) -> int:
        if self._connection is None:
            self._connection = self._engine.raw_connection()
        try:
            cursor = self._connection.cursor()
            try:
                cursor.execute(GENERATION_SQL)
                return int(cursor.fetchone()[0])
            finally:
                cursor.close()
        except Exception:
            self.close()
            raise

    def _read_pooled(self) -> int:
        with self._engine.connect() as connection:
            return read_generation(connection)

    def close(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

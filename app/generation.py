"""The catalogue generation: a number that moves forward with every committed change readers could see.

Triggers keep it (migration 0006), so every write path counts. Anything computed from the catalogue can be
kept with the generation it was read at and reused while the number is unchanged: never older than the last
commit, and no time-to-live to tune.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import anyio.to_thread
from sqlalchemy import Connection, Engine, column, select, table
from sqlalchemy.orm import Session

logger = logging.getLogger("paper_atlas.generation")

GENERATION_SQL = "SELECT generation FROM catalogue_generation"
# PostgreSQL announces each new generation on this channel when the transaction that made it commits.
NOTIFY_CHANNEL = "catalogue_generation"
_RECONNECT_SECONDS = 1.0
# A Core SELECT rather than text(): the search index's session hooks take any text() for a possible write.
_GENERATION = select(table("catalogue_generation", column("generation")).c.generation)

GenerationReader = Callable[[], Awaitable[int]]
"""Reads the current generation; the response cache calls it once per request it could answer."""


def read_generation(connection: Connection | Session) -> int:
    return int(connection.execute(_GENERATION).scalar_one())


class EngineGenerationReader:
    """The committed generation, known without holding the event loop for long.

    SQLite: read through one connection of its own in autocommit mode, on the event loop; a local read of one
    row takes microseconds, less than a hop to a worker thread. PostgreSQL: a round trip per request would
    cost more than the answer it guards, so a thread LISTENs on NOTIFY_CHANNEL and keeps the newest value
    announced (a commit is known within a millisecond or so, and re-read each quiet second); while that
    connection is down, each request reads the table through the pool in a worker thread.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._inline = engine.dialect.name == "sqlite"
        self._connection: Any = None
        self._announced: int | None = None
        self._stopping = threading.Event()
        self._listener: threading.Thread | None = None

    async def __call__(self) -> int:
        if self._inline:
            return self._read_own_connection()
        announced = self._announced
        if announced is not None:
            return announced
        return await anyio.to_thread.run_sync(self._read_pooled)

    def start(self) -> None:
        """Begin following announcements (PostgreSQL); SQLite needs nothing."""
        if self._inline or self._listener is not None:
            return
        self._stopping.clear()
        self._listener = threading.Thread(target=self._listen, name="generation-listener", daemon=True)
        self._listener.start()

    def _listen(self) -> None:
        import psycopg  # only a PostgreSQL deployment loads the driver

        dsn = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stopping.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stopping.is_set():
                        # Read after LISTEN, and again each quiet second: a commit in between is announced
                        # too, and a connection that died without a word is found out within the second.
                        row = connection.execute(GENERATION_SQL).fetchone()
                        self._announced = int(row[0]) if row else None
                        # Announcements arrive in commit order, each one newer than the last.
                        for notice in connection.notifies(timeout=_RECONNECT_SECONDS):
                            self._announced = int(notice.payload)
            except Exception:
                if not self._stopping.is_set():
                    logger.warning(
                        "generation listener lost its connection; reading per request", exc_info=True
                    )
            finally:
                self._announced = None
            self._stopping.wait(_RECONNECT_SECONDS)

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
            self._drop_own_connection()
            raise

    def _drop_own_connection(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            connection.close()

    def _read_pooled(self) -> int:
        with self._engine.connect() as connection:
            return read_generation(connection)

    def close(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout=2 * _RECONNECT_SECONDS)
            self._listener = None
        self._drop_own_connection()

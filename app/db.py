"""The database kernel: declarative Base with stable constraint names, engines, sessions."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Select,
    bindparam,
    create_engine,
    event,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from app.config import Settings

WRITE_INTENT = "paper_atlas_write_intent"
BUSY_TIMEOUT_MS = "paper_atlas_busy_timeout_ms"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, also on SQLite which forgets the zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin, so BEGIN is explicit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock up front: a deferred transaction that reads and then writes can
        # fail at once with SQLITE_BUSY instead of waiting. Readers stay deferred and concurrent under WAL.
        options = connection.get_execution_options()
        mode = "IMMEDIATE" if options.get(WRITE_INTENT) else "DEFERRED"
        # Set on every transaction, so a connection that waited less once waits as configured next time.
        wait_ms = int(options.get(BUSY_TIMEOUT_MS, busy_timeout_ms))
        connection.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
        connection.exec_driver_sql(f"BEGIN {mode}")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        # A connection opened while the file could not be written stays read-only for good: drop it,
        # so the pool opens a fresh one once the file is writable again.
        if "readonly database" in str(context.original_exception):
            context.is_disconnect = True


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        path = settings.sqlite_path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            settings.database_url,
            connect_args={"check_same_thread": False, "timeout": settings.sqlite_busy_timeout_ms / 1000},
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_timeout=10,
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


@contextmanager
def transaction(
    factory: sessionmaker[Session], *, writes: bool = True, busy_timeout_ms: int | None = None
) -> Iterator[Session]:
    """One unit of work: commit when the block ends cleanly, roll back on any error.

    A writing transaction takes SQLite's write lock at its first statement, not when the block opens, so
    work done before touching the session (hashing a password, parsing a list) holds no lock. On an error
    the session is closed rather than rolled back: closing returns the connection (the pool rolls it back)
    but keeps what was loaded readable, so an error page can still name the signed-in visitor.
    """
    engine = factory.kw["bind"]
    options: dict[str, Any] = {}
    if writes:
        options[WRITE_INTENT] = True
    if busy_timeout_ms is not None:
        options[BUSY_TIMEOUT_MS] = busy_timeout_ms
    with factory(bind=engine.execution_options(**options) if options else engine) as session:
        yield session
        session.commit()


class SideTransactions:
    """Short transactions a request opens beside its own, each committed on its own.

    `read()` looks something up without joining the request's write transaction (which would take SQLite's
    write lock early); `write()` records what must outlive the request's outcome (activity stamps, rate-limit
    counters). With `wait=False` a write that would have to queue behind another writer fails at once.
    """

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def read(self) -> AbstractContextManager[Session]:
        return transaction(self._factory, writes=False)

    @contextmanager
    def write(self, *, wait: bool = True) -> Iterator[Session]:
        with transaction(self._factory, busy_timeout_ms=None if wait else 0) as session:
            if not wait and session.get_bind().dialect.name == "postgresql":
                session.connection().exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
            yield session


def side_transactions(request: Request) -> SideTransactions:
    found: SideTransactions = request.app.state.side_transactions
    return found


def get_session(request: Request) -> Iterator[Session]:
    """The request owns the transaction: committed before the response is sent."""
    writes = request.method not in SAFE_METHODS
    with transaction(request.app.state.session_factory, writes=writes) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]


# The largest id an INTEGER column holds on every database.
MAX_ID = 2**31 - 1


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

"""Throwaway databases for tests: a fresh PostgreSQL database per run, Alembic migrations to head."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import SideTransactions, get_session
from app.generation import (
    CatalogueVersion,
    papers_if_complete,
    rating_changes_sql,
    read_version,
)
from app.main import create_app
from app.schema import alembic_config


@contextmanager
def temporary_database(server_url: str) -> Iterator[str]:
    """Create an empty database beside SERVER_URL's and drop it afterwards; SQLite URLs pass through."""
    url = make_url(server_url)
    if url.get_backend_name() == "sqlite":
        yield server_url
        return
    name = f"paper_atlas_test_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_alembic(engine: Engine, action: str, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def migrate_to_head(engine: Engine) -> None:
    run_alembic(engine, "upgrade", "head")


# PostgreSQL bumps the catalogue generation once per transaction; see migration 0006.
GENERATION_BUMP_FLAG = "paper_atlas.generation_bumped"


def bump_generation_on_every_write(session: Session) -> None:
    """Make PostgreSQL bump the generation at each write of a test that never really commits.

    The bump is a deferred trigger that fires at commit, once per transaction, and a test's transaction never
    commits: so fire triggers at once, and let the reader below forget the bump after each read.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))


def read_version_as_a_request(session: Session) -> CatalogueVersion:
    """The version the test's transaction sees; on PostgreSQL the next write then bumps the generation again.

    Each read stands for the start of a new transaction here, which is what ends a real one's single bump.
    """
    version = read_version(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.set_config(GENERATION_BUMP_FLAG, "", True)))
    return version


def read_generation_as_a_request(session: Session) -> int:
    """The one number of that version (`read_generation`), read as a request would."""
    return sum(read_version_as_a_request(session))


class SessionGenerationReader:
    """The generation as the test's own transaction sees it, so cached answers follow the test's writes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def __call__(self) -> CatalogueVersion:
        return read_version_as_a_request(self.session)

    async def rating_changes_since(self, since: int, until: int) -> set[int] | None:
        rows = self.session.connection().exec_driver_sql(rating_changes_sql(since, until))
        return papers_if_complete([(seq, paper) for seq, paper in rows], since, until)


class SessionSideTransactions(SideTransactions):
    """Side transactions on the test's session: reads share it, writes are savepoints within it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @contextmanager
    def read(self) -> Iterator[Session]:
        yield self.session

    @contextmanager
    def write(self, *, wait: bool = True) -> Iterator[Session]:
        with self.session.begin_nested():
            yield self.session


def app_on_session(settings: Settings, db: Session) -> FastAPI:
    """The app with every request on the test's rolled-back session, its answer cache following it."""
    application = create_app(settings)
    application.state.catalogue_generation = SessionGenerationReader(db)
    application.state.side_transactions = SessionSideTransactions(db)

    def test_session() -> Iterator[Session]:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    application.dependency_overrides[get_session] = test_session
    return application

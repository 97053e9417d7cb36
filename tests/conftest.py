"""Test fixtures: a real database (SQLite, or PostgreSQL via TEST_DATABASE_URL), one rollback per test."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import make_engine
from tests.databases import (
    app_on_session,
    bump_generation_on_every_write,
    migrate_to_head,
    temporary_database,
)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        with temporary_database(server_url) as url:
            yield url
        return
    path: Path = tmp_path_factory.mktemp("db") / "paper-atlas-test.db"
    yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        secret_key=secrets.token_urlsafe(32),
        fast_password_hashing=True,
        log_level="WARNING",
    )


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    migrate_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    """A session whose commits become savepoints: everything a test writes is rolled back after it."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    bump_generation_on_every_write(session)
    yield session
    session.close()


@pytest.fixture
def app(settings: Settings, db: Session) -> FastAPI:
    return app_on_session(settings, db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def postgres_server_url() -> str | None:
    """A PostgreSQL server to test against, or None (which fails the run in CI)."""
    url = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    probe = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but {make_url(url).render_as_string()} is unreachable")
        return None
    finally:
        probe.dispose()
    return url


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = postgres_server_url()
    if url is None:
        pytest.skip(
            "PostgreSQL is not reachable on 127.0.0.1:5432; set TEST_POSTGRES_URL to test against one"
        )
    return url

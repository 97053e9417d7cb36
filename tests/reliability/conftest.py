"""A database the tests really commit to (per module), and apps on it without the rolled-back test session.

Faults that only show when requests have transactions of their own (a lock held by another writer, a
session closed after an error, a second process) need this; everything else uses the shared `db` fixture.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine, make_session_factory
from tests.databases import migrate_to_head, temporary_database


@dataclass(frozen=True)
class LiveDatabase:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"


def live_settings(url: str, **changes: object) -> Settings:
    base = Settings(
        environment="test",
        database_url=url,
        secret_key=secrets.token_urlsafe(32),
        fast_password_hashing=True,
        log_level="WARNING",
        sqlite_busy_timeout_ms=300,
    )
    return base.model_copy(update=changes)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveDatabase]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        with temporary_database(server_url) as url:
            yield from _migrated(url)
        return
    path: Path = tmp_path_factory.mktemp("live") / "paper-atlas-live.db"
    yield from _migrated(f"sqlite:///{path}")


def _migrated(url: str) -> Iterator[LiveDatabase]:
    settings = live_settings(url)
    engine = make_engine(settings)
    migrate_to_head(engine)
    yield LiveDatabase(settings, engine, make_session_factory(engine))
    engine.dispose()

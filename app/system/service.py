"""Database health and the catalogue's headline counts."""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import Engine, ScalarSelect, func, select, text
from sqlalchemy.orm import Session

from app.catalog.models import Author, Paper
from app.db import Base
from app.importing.models import Source
from app.ratings.models import Rating
from app.system.schemas import Counts, DatabaseHealth
from app.taxonomy.models import Category, Tag


def database_health(engine: Engine) -> DatabaseHealth:
    started = time.perf_counter()
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        writable = _accepts_writes(engine)
    except Exception as exc:
        return DatabaseHealth(ok=False, dialect=engine.dialect.name, error=type(exc).__name__)
    return DatabaseHealth(
        ok=writable,
        dialect=engine.dialect.name,
        revision=revision,
        writable=writable,
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
        error=None if writable else "read-only",
    )


def _accepts_writes(engine: Engine) -> bool:
    """Whether a write could begin now, without writing or waiting for other writers."""
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            return connection.execute(text("SHOW transaction_read_only")).scalar() == "off"
    raw = engine.raw_connection()
    writable = True
    try:
        cursor = raw.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout=0")
            version = cursor.execute("PRAGMA user_version").fetchone()[0]
            cursor.execute("BEGIN IMMEDIATE")
            try:
                # Rewriting the header's own value is the smallest write; it is rolled back at once.
                cursor.execute(f"PRAGMA user_version={int(version)}")
            finally:
                cursor.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc):
                writable = False
            elif "locked" not in str(exc) and "busy" not in str(exc):
                raise  # locked or busy would mean another writer holds the lock: writes work, they queue
        finally:
            cursor.close()
        if not writable:
            raw.invalidate()  # a read-only connection never becomes writable: open a new one next time
        return writable
    finally:
        raw.close()


def catalogue_counts(session: Session) -> Counts:
    def count(model: type[Base]) -> ScalarSelect[int]:
        return select(func.count()).select_from(model).scalar_subquery()

    row = session.execute(
        select(
            count(Paper).label("papers"),
            count(Author).label("authors"),
            count(Category).label("categories"),
            count(Tag).label("tags"),
            count(Source).label("sources"),
            count(Rating).label("ratings"),
        )
    ).one()
    return Counts.model_validate(row._asdict())

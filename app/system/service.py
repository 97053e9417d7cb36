"""Database health and the catalogue's headline counts."""

from __future__ import annotations

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
    except Exception as exc:
        return DatabaseHealth(ok=False, dialect=engine.dialect.name, error=type(exc).__name__)
    return DatabaseHealth(
        ok=True,
        dialect=engine.dialect.name,
        revision=revision,
        latency_ms=round((time.perf_counter() - started) * 1000, 2),
    )


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

"""The bulk kernel on the test database (SQLite, or PostgreSQL via TEST_DATABASE_URL): chunks and upserts."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bulk import (
    CHUNK_SIZE,
    MAX_BOUND_PARAMETERS,
    MAX_ROW_WIDTH,
    chunked_insert,
    chunks,
    insert_ignoring_duplicates,
    upsert,
    upsert_statement,
)
from app.taxonomy.models import Tag


def test_chunks_cover_every_item_in_order_and_none_is_too_big() -> None:
    items = list(range(1_234))
    parts = list(chunks(items, size=500))
    assert [len(part) for part in parts] == [500, 500, 234]
    assert [item for part in parts for item in part] == items
    assert list(chunks([], size=3)) == []
    assert [len(part) for part in chunks(list(range(CHUNK_SIZE + 1)))] == [CHUNK_SIZE, 1]
    with pytest.raises(ValueError, match="at least one"):
        list(chunks(items, size=0))


def test_a_chunk_of_the_widest_rows_fits_one_statement() -> None:
    assert CHUNK_SIZE * MAX_ROW_WIDTH <= MAX_BOUND_PARAMETERS
    assert CHUNK_SIZE >= 400  # the imports' lookups were tuned at 400 keys a query


def _tags(db: Session, slugs: list[str]) -> dict[str, tuple[str, int]]:
    rows = db.execute(select(Tag.slug, Tag.name, Tag.paper_count).where(Tag.slug.in_(slugs)))
    return {slug: (name, count) for slug, name, count in rows}


def test_chunked_insert_writes_more_rows_than_one_chunk(db: Session) -> None:
    rows = [{"slug": f"bulk-{n}", "name": f"Bulk {n}", "paper_count": 0} for n in range(CHUNK_SIZE + 7)]
    chunked_insert(db, Tag, rows)
    assert len(_tags(db, [f"bulk-{n}" for n in range(CHUNK_SIZE + 7)])) == CHUNK_SIZE + 7


def test_insert_ignoring_duplicates_keeps_the_existing_rows(db: Session) -> None:
    chunked_insert(db, Tag, [{"slug": "kept", "name": "Kept", "paper_count": 3}])
    rows = [
        {"slug": "kept", "name": "Changed", "paper_count": 0},
        {"slug": "added", "name": "Added", "paper_count": 0},
    ]
    insert_ignoring_duplicates(db, Tag, rows, ["slug"])
    insert_ignoring_duplicates(db, Tag, rows, ["slug"])
    assert _tags(db, ["kept", "added"]) == {"kept": ("Kept", 3), "added": ("Added", 0)}


def test_upsert_updates_only_the_named_columns(db: Session) -> None:
    chunked_insert(db, Tag, [{"slug": "known", "name": "Known", "paper_count": 3}])
    rows = [
        {"slug": "known", "name": "Renamed", "paper_count": 0},
        {"slug": "fresh", "name": "Fresh", "paper_count": 0},
    ]
    upsert(db, Tag, rows, keys=["slug"], update=["name"])
    assert _tags(db, ["known", "fresh"]) == {"known": ("Renamed", 3), "fresh": ("Fresh", 0)}


def test_an_upsert_statement_can_return_the_row(db: Session) -> None:
    values = {"slug": "returned", "name": "First", "paper_count": 0}
    first = db.execute(
        upsert_statement(db, Tag, keys=["slug"], update=["name"], values=values).returning(Tag.id)
    ).scalar_one()
    again = db.execute(
        upsert_statement(
            db, Tag, keys=["slug"], update=["name"], values=values | {"name": "Second"}
        ).returning(Tag.id)
    ).scalar_one()
    assert first == again
    assert _tags(db, ["returned"]) == {"returned": ("Second", 0)}

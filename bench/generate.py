"""Load a deterministic synthetic catalogue of N papers into a database migrated to the app's schema.

Run: `.venv/bin/python -m bench.generate --papers 100000 --database-url sqlite:///bench/data/papers-100k.db`.
Rows go in with executemany (SQLite) or COPY (PostgreSQL); the search index is written through the app's
own backend with the app's tokenizer, and the maintained counts are recounted by the app's service.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from hashlib import sha256
from typing import Any, cast

from alembic import command
from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.browse.queries import refresh_lists
from app.catalog.links import recount
from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.config import Settings
from app.db import Base, make_engine
from app.importing.models import Source, SourceEntry
from app.importing.rules import load_taxonomy
from app.ratings.models import Rating
from app.schema import alembic_config
from app.search.backends import backend_for
from app.search.documents import build_documents
from app.search.sync import search_pending
from app.taxonomy.models import Category, Tag
from bench.synthetic import (
    CREATED_BASE,
    SOURCES,
    Chunk,
    ChunkBuilder,
    Plan,
    author_rows,
    tag_assignments,
    tag_names,
)

# Tables whose ids the generator chooses; PostgreSQL's sequences are moved past them afterwards.
SEQUENCED = ("papers", "authors", "users", "categories", "tags", "sources", "source_entries", "ratings")
UNUSABLE_PASSWORD = "!bench-no-login"


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def migrate(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# Per-row triggers the generator does the work of itself: queueing papers for re-indexing (it writes every
# search document), moving the catalogue generation and logging rated papers (it moves both counters once at
# the end; nothing cached can predate the load). The maintained counts' triggers keep firing.
SUSPENDED_TRIGGER_PATTERNS = ("search_queue_%", "catalogue_generation_%", "rating_change_%")


@contextmanager
def row_triggers_suspended(engine: Engine, *, is_sqlite: bool) -> Iterator[None]:
    """Switch off the per-row triggers whose work the generator does in bulk, and restore them afterwards.

    A queueing trigger per inserted row doubles the cost of a bulk load; the generator writes every paper's
    search document in the same transaction as its rows, so nothing is left unindexed. SQLite cannot disable a
    trigger, so they are dropped and re-created afterwards from the exact SQL the database held.
    """
    name_column = "name" if is_sqlite else "tgname"
    matches = " OR ".join(f"{name_column} LIKE :p{index}" for index in range(len(SUSPENDED_TRIGGER_PATTERNS)))
    patterns = {f"p{index}": pattern for index, pattern in enumerate(SUSPENDED_TRIGGER_PATTERNS)}
    with engine.begin() as connection:
        if is_sqlite:
            triggers = connection.execute(
                text(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND ({matches})"), patterns
            ).all()
            for name, _sql in triggers:
                connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
        else:
            triggers = connection.execute(
                text(
                    "SELECT tgname, tgrelid::regclass::text FROM pg_trigger "
                    f"WHERE NOT tgisinternal AND ({matches})"
                ),
                patterns,
            ).all()
            for name, table in triggers:
                connection.exec_driver_sql(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
    try:
        yield
    finally:
        with engine.begin() as connection:
            for name, detail in triggers:
                if is_sqlite:
                    connection.exec_driver_sql(detail)
                else:
                    connection.exec_driver_sql(f'ALTER TABLE {detail} ENABLE TRIGGER "{name}"')
            connection.exec_driver_sql(
                "UPDATE catalogue_generation SET generation = generation + 1, rating_seq = rating_seq + 1"
            )


def refuse_non_empty(connection: Connection) -> None:
    if connection.scalar(select(func.count()).select_from(Paper)):
        raise SystemExit("the database already holds papers; generate into an empty one")


def reference_rows(plan: Plan) -> dict[Table, list[dict[str, Any]]]:
    """Categories (the shipped tree), tags, lists, users and authors: everything papers point at."""
    specs = load_taxonomy().categories
    ids = {spec.slug: index for index, spec in enumerate(specs, start=1)}
    siblings: dict[str | None, int] = {}
    categories = []
    for spec in specs:
        siblings[spec.parent] = siblings.get(spec.parent, -1) + 1
        categories.append(
            {
                "id": ids[spec.slug],
                "slug": spec.slug,
                "name_en": spec.name_en,
                "name_zh": spec.name_zh,
                "description": spec.description,
                "parent_id": ids[spec.parent] if spec.parent else None,
                "position": siblings[spec.parent],
                "paper_count": 0,
            }
        )
    tags = [
        {"id": tag_id, "slug": slug, "name": name, "paper_count": 0}
        for tag_id, (slug, name) in enumerate(tag_names(), start=1)
    ]
    sources = [
        {
            "id": index,
            "name": name,
            "title": title,
            "origin": None,
            "language": language,
            "format": "markdown-table",
            "content_hash": sha256(name.encode()).hexdigest(),
            "entry_count": 0,
            "repaired_from": None,
            # COPY knows nothing of the models' Python-side defaults, so every column is given.
            "created_at": CREATED_BASE,
            "last_imported_at": CREATED_BASE,
        }
        for index, (name, title, language) in enumerate(SOURCES, start=1)
    ]
    users = [
        {
            "id": user_id,
            "username": f"reader{user_id:05d}",
            "username_key": f"reader{user_id:05d}",
            "password_hash": UNUSABLE_PASSWORD,
            "role": "member",
            "is_active": True,
            "created_at": CREATED_BASE,
        }
        for user_id in range(1, plan.users + 1)
    ]
    return {
        _table(Category): categories,
        _table(Tag): tags,
        _table(Source): sources,
        _table(User): users,
        _table(Author): author_rows(plan),
    }


_builder: ChunkBuilder | None = None


def _start_worker(plan: Plan, category_ids: list[int], tags: dict[int, tuple[str, str]]) -> None:
    global _builder  # noqa: PLW0603 - one builder per worker process, made once
    _builder = ChunkBuilder(plan, category_ids, tags)


def _build(job: tuple[int, list[list[int]]]) -> Chunk:
    assert _builder is not None
    return _builder.build(*job)


class Writer:
    """Writes chunks with SQLAlchemy Core executemany; PostgreSQL overrides the bulk part with COPY."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def rows(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.connection.execute(insert(table), list(rows))

    def chunk(self, chunk: Chunk) -> None:
        self.rows(_table(Paper), chunk.papers)
        self.rows(_table(PaperAuthor), chunk.paper_authors)
        self.rows(_table(PaperCategory), chunk.paper_categories)
        self.rows(_table(PaperTag), chunk.paper_tags)
        self.rows(_table(SourceEntry), chunk.source_entries)
        self.rows(_table(Rating), chunk.ratings)
        session = Session(bind=self.connection)
        # The app's own documents, built from the rows just written (category names, headings and all).
        documents, _missing = build_documents(self.connection, [paper["id"] for paper in chunk.papers])
        backend_for(session).write(session, documents)


class PostgresWriter(Writer):
    def rows(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        json_columns = {name for name in columns if table.c[name].type.__class__.__name__ == "JSON"}
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[name], ensure_ascii=False)
                        if name in json_columns and row[name] is not None
                        else row[name]
                        for name in columns
                    ]
                )


@contextmanager
def _chunks(
    plan: Plan, workers: int, category_ids: list[int], tags: dict[int, tuple[str, str]]
) -> Iterator[Callable[[Iterable[tuple[int, list[list[int]]]]], Iterator[Chunk]]]:
    """Build chunks in WORKERS processes while this one writes; in this process when WORKERS is 1."""
    if workers <= 1:
        _start_worker(plan, category_ids, tags)
        yield lambda jobs: map(_build, jobs)
        return
    with multiprocessing.get_context("fork").Pool(
        workers, initializer=_start_worker, initargs=(plan, category_ids, tags)
    ) as pool:
        yield lambda jobs: pool.imap(_build, jobs)


def _jobs(plan: Plan, tags: list[list[int]]) -> Iterator[tuple[int, list[list[int]]]]:
    for index in range(plan.chunks):
        first, last = plan.chunk_bounds(index)
        yield index, tags[first - 1 : last]


def finish(connection: Connection, *, is_sqlite: bool, analyze: bool) -> None:
    """Exact maintained counts, sequences past the chosen ids, planner statistics."""
    session = Session(bind=connection)
    recount(session, Category)
    recount(session, Tag)
    per_source = (
        select(func.count())
        .select_from(SourceEntry)
        .where(SourceEntry.source_id == Source.id)
        .scalar_subquery()
    )
    connection.execute(update(Source).values(entry_count=per_source))
    if is_sqlite:
        # One b-tree per column instead of one per flushed batch: what a long-lived index converges to.
        connection.execute(text("INSERT INTO paper_fts (paper_fts) VALUES ('optimize')"))
    else:
        for table in SEQUENCED:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            )
    if analyze and is_sqlite:
        connection.execute(text("ANALYZE"))


def store_related(engine: Engine) -> int:
    """Store the related papers of every paper without a list, as `papers related refresh` does."""
    started = time.perf_counter()
    with Session(engine) as session:
        stored = refresh_lists(session)
        session.commit()
    if stored:
        print(
            f"  related papers of {stored:,} papers stored in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    return stored


def _load(engine: Engine, plan: Plan, *, is_sqlite: bool, workers: int, analyze: bool) -> dict[str, float]:
    started = time.perf_counter()
    written: dict[str, float] = {}
    with engine.begin() as connection:
        refuse_non_empty(connection)
        writer = Writer(connection) if is_sqlite else PostgresWriter(connection)
        for table, rows in reference_rows(plan).items():
            writer.rows(table, rows)
            written[table.name] = len(rows)
    tags = {row["id"]: (row["slug"], row["name"]) for row in reference_rows(plan)[_table(Tag)]}
    category_ids = list(range(1, len(load_taxonomy().categories) + 1))
    per_paper_tags = tag_assignments(plan, len(tags))
    with (
        _chunks(plan, workers, category_ids, tags) as chunks,
        row_triggers_suspended(engine, is_sqlite=is_sqlite),
    ):
        for done, chunk in enumerate(chunks(_jobs(plan, per_paper_tags)), start=1):
            with engine.begin() as connection:
                if is_sqlite:
                    connection.exec_driver_sql("PRAGMA cache_size=-262144")
                (Writer(connection) if is_sqlite else PostgresWriter(connection)).chunk(chunk)
            for name in ("papers", "paper_authors", "paper_tags", "source_entries", "ratings"):
                written[name] = written.get(name, 0) + len(getattr(chunk, name))
            if done % 20 == 0 or done == plan.chunks:
                elapsed = time.perf_counter() - started
                papers = written["papers"]
                print(
                    f"  {papers:>9,} papers  {elapsed:7.1f} s  {papers / elapsed:8,.0f} papers/s", flush=True
                )
    with engine.begin() as connection:
        # Nothing is queued: every document was written with its paper.
        connection.execute(delete(search_pending))
        finish(connection, is_sqlite=is_sqlite, analyze=analyze)
    if not is_sqlite:
        # Statistics first: without them PostgreSQL scans whole link tables for each key's holders.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    written["related_lists"] = store_related(engine)
    if analyze and not is_sqlite:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    elapsed = time.perf_counter() - started
    total_rows = sum(written.values())
    written.update(seconds=round(elapsed, 1), rows_per_second=round(total_rows / elapsed))
    return written


def generate(database_url: str, plan: Plan, *, workers: int, analyze: bool = True) -> dict[str, float]:
    """Load the catalogue PLAN describes; returns how many rows of each table were written, and how fast."""
    settings = Settings(database_url=database_url, environment="development")
    engine = make_engine(settings)
    try:
        migrate(engine)
        return _load(engine, plan, is_sqlite=settings.is_sqlite, workers=workers, analyze=analyze)
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=max(1, multiprocessing.cpu_count()))
    parser.add_argument("--no-analyze", action="store_true", help="Skip ANALYZE at the end.")
    args = parser.parse_args(argv)
    summary = generate(
        args.database_url, Plan(args.papers, args.seed), workers=args.workers, analyze=not args.no_analyze
    )
    print(json.dumps(summary, indent=2))
    print(
        f"{sum(v for k, v in summary.items() if k not in ('seconds', 'rows_per_second')):,.0f} rows in "
        f"{summary['seconds']} s: {summary['rows_per_second']:,} rows/s"
    )


if __name__ == "__main__":
    main()

"""Add the full-text search index (FTS5 on SQLite, a GIN-indexed tsvector table on PostgreSQL), its triggers, and fill it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.search.tokenizer import document_text

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL_CHUNK = 500

# Each (name, table, timing, body) queues the papers whose indexed text a write may have changed.
SQLITE_TRIGGERS = [
    (
        "search_queue_paper_insert",
        "AFTER INSERT ON papers",
        "INSERT INTO search_pending (paper_id) VALUES (new.id);",
    ),
    (
        "search_queue_paper_update",
        "AFTER UPDATE OF title, short_name, summary ON papers",
        "INSERT INTO search_pending (paper_id) VALUES (new.id);",
    ),
    ("search_drop_paper", "AFTER DELETE ON papers", "DELETE FROM paper_fts WHERE rowid = old.id;"),
    (
        "search_queue_author_link_insert",
        "AFTER INSERT ON paper_authors",
        "INSERT INTO search_pending (paper_id) VALUES (new.paper_id);",
    ),
    (
        "search_queue_author_link_update",
        "AFTER UPDATE ON paper_authors",
        "INSERT INTO search_pending (paper_id) VALUES (old.paper_id), (new.paper_id);",
    ),
    (
        "search_queue_author_link_delete",
        "AFTER DELETE ON paper_authors",
        "INSERT INTO search_pending (paper_id) VALUES (old.paper_id);",
    ),
    (
        "search_queue_tag_link_insert",
        "AFTER INSERT ON paper_tags",
        "INSERT INTO search_pending (paper_id) VALUES (new.paper_id);",
    ),
    (
        "search_queue_tag_link_update",
        "AFTER UPDATE ON paper_tags",
        "INSERT INTO search_pending (paper_id) VALUES (old.paper_id), (new.paper_id);",
    ),
    (
        "search_queue_tag_link_delete",
        "AFTER DELETE ON paper_tags",
        "INSERT INTO search_pending (paper_id) VALUES (old.paper_id);",
    ),
    (
        "search_queue_author_rename",
        "AFTER UPDATE OF name ON authors",
        "INSERT INTO search_pending (paper_id) SELECT paper_id FROM paper_authors WHERE author_id = new.id;",
    ),
    (
        "search_queue_tag_rename",
        "AFTER UPDATE OF name ON tags",
        "INSERT INTO search_pending (paper_id) SELECT paper_id FROM paper_tags WHERE tag_id = new.id;",
    ),
    (
        "search_queue_entry_insert",
        "AFTER INSERT ON source_entries WHEN new.paper_id IS NOT NULL",
        "INSERT INTO search_pending (paper_id) VALUES (new.paper_id);",
    ),
    (
        "search_queue_entry_update",
        "AFTER UPDATE OF note, paper_id ON source_entries",
        "INSERT INTO search_pending (paper_id) SELECT old.paper_id WHERE old.paper_id IS NOT NULL "
        "UNION ALL SELECT new.paper_id WHERE new.paper_id IS NOT NULL;",
    ),
    (
        "search_queue_entry_delete",
        "AFTER DELETE ON source_entries WHEN old.paper_id IS NOT NULL",
        "INSERT INTO search_pending (paper_id) VALUES (old.paper_id);",
    ),
]

POSTGRES_FUNCTIONS = {
    "search_queue_paper": "INSERT INTO search_pending (paper_id) VALUES (NEW.id);",
    # Link rows and list entries: the paper they left and the paper they joined.
    "search_queue_linked": (
        "IF TG_OP <> 'INSERT' AND OLD.paper_id IS NOT NULL THEN "
        "INSERT INTO search_pending (paper_id) VALUES (OLD.paper_id); END IF; "
        "IF TG_OP <> 'DELETE' AND NEW.paper_id IS NOT NULL THEN "
        "INSERT INTO search_pending (paper_id) VALUES (NEW.paper_id); END IF;"
    ),
    "search_queue_author": (
        "INSERT INTO search_pending (paper_id) SELECT paper_id FROM paper_authors WHERE author_id = NEW.id;"
    ),
    "search_queue_tag": "INSERT INTO search_pending (paper_id) SELECT paper_id FROM paper_tags WHERE tag_id = NEW.id;",
}

POSTGRES_TRIGGERS = [
    ("search_queue_paper_insert", "AFTER INSERT ON papers", "search_queue_paper"),
    (
        "search_queue_paper_update",
        "AFTER UPDATE OF title, short_name, summary ON papers",
        "search_queue_paper",
    ),
    ("search_queue_author_links", "AFTER INSERT OR UPDATE OR DELETE ON paper_authors", "search_queue_linked"),
    ("search_queue_tag_links", "AFTER INSERT OR UPDATE OR DELETE ON paper_tags", "search_queue_linked"),
    (
        "search_queue_entries",
        "AFTER INSERT OR DELETE OR UPDATE OF note, paper_id ON source_entries",
        "search_queue_linked",
    ),
    ("search_queue_author_rename", "AFTER UPDATE OF name ON authors", "search_queue_author"),
    ("search_queue_tag_rename", "AFTER UPDATE OF name ON tags", "search_queue_tag"),
]


def _backfill(connection: sa.Connection, is_sqlite: bool) -> None:
    """Index the papers that exist already, with the same tokenizer the app uses."""
    last_id = 0
    while True:
        papers = connection.execute(
            sa.text(
                "SELECT id, title, short_name, summary FROM papers WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last_id, "n": BACKFILL_CHUNK},
        ).all()
        if not papers:
            return
        ids = [row.id for row in papers]
        low, high = ids[0], ids[-1]
        names: dict[int, list[str]] = defaultdict(list)
        notes: dict[int, list[str]] = defaultdict(list)
        for paper_id, name in connection.execute(
            sa.text(
                "SELECT pa.paper_id, a.name FROM paper_authors pa JOIN authors a ON a.id = pa.author_id "
                "WHERE pa.paper_id BETWEEN :low AND :high ORDER BY pa.paper_id, pa.position"
            ),
            {"low": low, "high": high},
        ):
            names[paper_id].append(name)
        for paper_id, name in connection.execute(
            sa.text(
                "SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
                "WHERE pt.paper_id BETWEEN :low AND :high ORDER BY pt.paper_id, t.slug"
            ),
            {"low": low, "high": high},
        ):
            names[paper_id].append(name)
        for paper_id, note in connection.execute(
            sa.text(
                "SELECT paper_id, note FROM source_entries WHERE paper_id BETWEEN :low AND :high "
                "AND note IS NOT NULL ORDER BY paper_id, id"
            ),
            {"low": low, "high": high},
        ):
            notes[paper_id].append(note)
        rows = [
            {
                "paper_id": row.id,
                "title": document_text(row.title, row.short_name),
                "names": document_text(*names[row.id]),
                "body": document_text(row.summary, *notes[row.id]),
            }
            for row in papers
        ]
        if is_sqlite:
            statement = (
                "INSERT INTO paper_fts (rowid, title, names, body) VALUES (:paper_id, :title, :names, :body)"
            )
        else:
            statement = (
                "INSERT INTO search_documents (paper_id, document) VALUES (:paper_id, "
                "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :names), 'B') "
                "|| setweight(to_tsvector('simple', :body), 'C'))"
            )
        connection.execute(sa.text(statement), rows)
        last_id = high


def upgrade() -> None:
    connection = op.get_bind()
    is_sqlite = connection.dialect.name == "sqlite"
    op.execute("CREATE TABLE search_pending (paper_id INTEGER NOT NULL)")
    if is_sqlite:
        # The text arrives pre-tokenised, space-separated; 'ascii' splits on ASCII punctuation and spaces and
        # keeps every other character, so CJK bigrams stay whole whatever Unicode version SQLite knows.
        op.execute("CREATE VIRTUAL TABLE paper_fts USING fts5(title, names, body, tokenize = 'ascii')")
        for name, timing, body in SQLITE_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} {timing} BEGIN {body} END")
        op.execute("CREATE INDEX ix_hand_papers_url ON papers (url)")
    else:
        op.execute(
            "CREATE TABLE search_documents ("
            "paper_id INTEGER PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE, "
            "document TSVECTOR NOT NULL)"
        )
        op.execute("CREATE INDEX ix_hand_search_documents_document ON search_documents USING gin (document)")
        for function, body in POSTGRES_FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body} RETURN NULL; END $$"
            )
        for name, timing, function in POSTGRES_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} {timing} FOR EACH ROW EXECUTE FUNCTION {function}()")
        # Hash, not btree: a URL may be longer than a btree entry allows, and lookups are by equality.
        op.execute("CREATE INDEX ix_hand_papers_url ON papers USING hash (url)")
    _backfill(connection, is_sqlite)


def downgrade() -> None:
    connection = op.get_bind()
    op.execute("DROP INDEX ix_hand_papers_url")
    if connection.dialect.name == "sqlite":
        for name, _timing, _body in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE paper_fts")
    else:
        for name, timing, _function in POSTGRES_TRIGGERS:
            table = timing.rsplit(" ON ", 1)[1]
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for function in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION {function}()")
        op.execute("DROP TABLE search_documents")
    op.execute("DROP TABLE search_pending")

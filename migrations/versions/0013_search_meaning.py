"""Give tags Chinese names and search documents four fields (title, category and tag names, authors, body), kept in step by triggers.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 08:00:00
"""

import tomllib
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TAG_RULES = Path(__file__).resolve().parents[2] / "seeds" / "tag_rules.toml"

FTS_COLUMNS = {"new": "title, labels, authors, body", "old": "title, names, body"}
FTS_TABLE = (
    "CREATE VIRTUAL TABLE paper_fts USING fts5({columns}, tokenize = 'ascii', "
    "detail = column, prefix = '3 4 5 6')"
)
DROP_TRIGGER = (
    "CREATE TRIGGER search_drop_paper AFTER DELETE ON papers "
    "BEGIN DELETE FROM paper_fts WHERE rowid = old.id; END"
)

# What else feeds a document now: identifiers, categories and their names, tags' Chinese names, headings.
SQLITE_TRIGGERS = [
    (
        "search_queue_paper_identifiers",
        "AFTER UPDATE OF arxiv_id, doi ON papers",
        "INSERT INTO search_pending (paper_id) VALUES (new.id);",
    ),
    (
        "search_queue_category_link_insert",
        "AFTER INSERT ON paper_categories",
        "INSERT INTO search_pending (paper_id) VALUES (new.paper_id);",
    ),
    (
        "search_queue_category_link_delete",
        "AFTER DELETE ON paper_categories",
        "INSERT INTO search_pending (paper_id) VALUES (old.paper_id);",
    ),
    (
        "search_queue_category_rename",
        "AFTER UPDATE OF name_en, name_zh, parent_id ON categories",
        "INSERT INTO search_pending (paper_id) SELECT paper_id FROM paper_categories "
        "WHERE category_id = new.id;",
    ),
    (
        "search_queue_tag_chinese_rename",
        "AFTER UPDATE OF name_zh ON tags",
        "INSERT INTO search_pending (paper_id) SELECT paper_id FROM paper_tags WHERE tag_id = new.id;",
    ),
    (
        "search_queue_entry_section",
        "AFTER UPDATE OF section_path ON source_entries WHEN new.paper_id IS NOT NULL",
        "INSERT INTO search_pending (paper_id) VALUES (new.paper_id);",
    ),
]

POSTGRES_FUNCTIONS = {
    "search_queue_category": (
        "INSERT INTO search_pending (paper_id) SELECT paper_id FROM paper_categories "
        "WHERE category_id = NEW.id;"
    ),
}
POSTGRES_TRIGGERS = [
    ("search_queue_paper_identifiers", "AFTER UPDATE OF arxiv_id, doi ON papers", "search_queue_paper"),
    (
        "search_queue_category_links",
        "AFTER INSERT OR UPDATE OR DELETE ON paper_categories",
        "search_queue_linked",
    ),
    (
        "search_queue_category_rename",
        "AFTER UPDATE OF name_en, name_zh, parent_id ON categories",
        "search_queue_category",
    ),
    ("search_queue_tag_chinese_rename", "AFTER UPDATE OF name_zh ON tags", "search_queue_tag"),
    ("search_queue_entry_section", "AFTER UPDATE OF section_path ON source_entries", "search_queue_linked"),
]


def _chinese_tag_names(connection: sa.Connection) -> None:
    """Fill the Chinese names the seed rules give to the tags that exist without one."""
    if not TAG_RULES.exists():
        return
    rules = tomllib.loads(TAG_RULES.read_text(encoding="utf-8"))
    for rule in rules.get("tag", []):
        if rule.get("name_zh"):
            connection.execute(
                sa.text("UPDATE tags SET name_zh = :name WHERE slug = :slug AND name_zh IS NULL"),
                {"name": rule["name_zh"], "slug": rule["slug"]},
            )


def _rebuild_fts(columns: str) -> None:
    op.execute("DROP TABLE IF EXISTS paper_fts_vocab")
    op.execute("DROP TRIGGER IF EXISTS search_drop_paper")
    op.execute("DROP TABLE paper_fts")
    op.execute(FTS_TABLE.format(columns=columns))
    op.execute("CREATE VIRTUAL TABLE paper_fts_vocab USING fts5vocab(paper_fts, 'row')")
    op.execute(DROP_TRIGGER)


def _reindex(connection: sa.Connection) -> None:
    # The documents are the search domain's to build; the index is derived data, rebuilt with its code.
    from app.search.sync import reindex_all

    reindex_all(Session(bind=connection))


def upgrade() -> None:
    connection = op.get_bind()
    is_sqlite = connection.dialect.name == "sqlite"
    # A plain ALTER on both databases: SQLite's batch mode would rebuild the table and lose its triggers.
    op.add_column("tags", sa.Column("name_zh", sa.String(length=80), nullable=True))
    _chinese_tag_names(connection)
    if is_sqlite:
        _rebuild_fts(FTS_COLUMNS["new"])
        for name, timing, body in SQLITE_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} {timing} BEGIN {body} END")
    else:
        for function, body in POSTGRES_FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body} RETURN NULL; END $$"
            )
        for name, timing, function in POSTGRES_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} {timing} FOR EACH ROW EXECUTE FUNCTION {function}()")
    _reindex(connection)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for name, _timing, _body in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        _rebuild_fts(FTS_COLUMNS["old"])
    else:
        for name, timing, _function in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON {timing.rsplit(' ON ', 1)[1]}")
        for function in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION {function}()")
    op.drop_column("tags", "name_zh")
    # The old documents had three fields; the index is left to `papers search reindex` of that version.
    op.execute("DELETE FROM search_pending")

"""Rebuild the SQLite full-text table with column-level detail and prefix indexes for 3–6 characters.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Queries match every word as a prefix; without prefix indexes FTS5 merges the doclists of every term that
# starts with it, on every row it tests. Positions are never used (no phrase queries), so detail=column.
NEW_TABLE = (
    "CREATE VIRTUAL TABLE paper_fts USING fts5(title, names, body, tokenize = 'ascii', "
    "detail = column, prefix = '3 4 5 6')"
)
OLD_TABLE = "CREATE VIRTUAL TABLE paper_fts USING fts5(title, names, body, tokenize = 'ascii')"
DROP_TRIGGER = (
    "CREATE TRIGGER search_drop_paper AFTER DELETE ON papers "
    "BEGIN DELETE FROM paper_fts WHERE rowid = old.id; END"
)


def _rebuild(definition: str) -> None:
    op.execute("ALTER TABLE paper_fts RENAME TO paper_fts_previous")
    op.execute(definition)
    op.execute(
        "INSERT INTO paper_fts (rowid, title, names, body) "
        "SELECT rowid, title, names, body FROM paper_fts_previous"
    )
    op.execute("DROP TABLE paper_fts_previous")
    # The trigger names the table; renaming it rewrote the trigger to the old name, so it is made again.
    op.execute("DROP TRIGGER IF EXISTS search_drop_paper")
    op.execute(DROP_TRIGGER)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(NEW_TABLE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(OLD_TABLE)

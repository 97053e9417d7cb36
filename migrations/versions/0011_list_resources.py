"""Lists keep their non-paper entries as resources, editors' paper-or-resource choices and their own text; summaries copied from a curator's note are cleared.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESOURCE_KINDS = "'software', 'model', 'dataset', 'course', 'leaderboard', 'article', 'book', 'list', 'other'"
OPERATIONS = ("insert", "update", "delete")


def _watch(table: str) -> None:
    """Readers see resources on a list's page: each change moves the catalogue generation (as in 0006)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    for operation in OPERATIONS:
        name = f"catalogue_generation_{table}_{operation}"
        if sqlite:
            op.execute(
                f"CREATE TRIGGER {name} AFTER {operation.upper()} ON {table} "
                "BEGIN UPDATE catalogue_generation SET generation = generation + 1; END"
            )
        else:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER {name} AFTER {operation.upper()} ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalogue_generation_bump()"
            )


def _unwatch(table: str) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for operation in OPERATIONS:
        name = f"catalogue_generation_{table}_{operation}"
        op.execute(f"DROP TRIGGER {name}" if sqlite else f"DROP TRIGGER {name} ON {table}")


def upgrade() -> None:
    # Plain ALTER TABLE: a batch copy of the table would lose its generation triggers on SQLite.
    op.add_column("sources", sa.Column("content", sa.Text(), nullable=True))
    op.create_table(
        "list_resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("section_path", sa.JSON(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("list_number", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("stars", sa.Integer(), nullable=True),
        sa.Column("raw_markdown", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("is_uncertain", sa.Boolean(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"kind IN ({RESOURCE_KINDS})", name=op.f("ck_list_resources_kind_known")),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_list_resources_source_id_sources"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_resources")),
        sa.UniqueConstraint("source_id", "entry_key", name=op.f("uq_list_resources_source_id_entry_key")),
    )
    op.create_index("ix_list_resources_source_id_line", "list_resources", ["source_id", "line"])
    op.create_table(
        "entry_kind_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            f"kind IN ('paper', {RESOURCE_KINDS})", name=op.f("ck_entry_kind_choices_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_entry_kind_choices_source_id_sources"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["chosen_by_id"], ["users.id"], name=op.f("fk_entry_kind_choices_chosen_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_kind_choices")),
        sa.UniqueConstraint("source_id", "entry_key", name=op.f("uq_entry_kind_choices_source_id_entry_key")),
    )
    _watch("list_resources")
    # A summary is the paper's own abstract; imports used to copy the first curator's note into it.
    op.execute(
        "UPDATE papers SET summary = NULL WHERE is_curated = false AND summary IS NOT NULL AND EXISTS "
        "(SELECT 1 FROM source_entries WHERE source_entries.paper_id = papers.id "
        "AND source_entries.note = papers.summary)"
    )


def downgrade() -> None:
    _unwatch("list_resources")
    op.drop_table("entry_kind_choices")
    op.drop_index("ix_list_resources_source_id_line", table_name="list_resources")
    op.drop_table("list_resources")
    op.drop_column("sources", "content")

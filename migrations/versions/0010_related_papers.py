"""Store each paper's related papers, dropped by triggers whenever the paper's tags, categories or authors change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The link tables a paper's related papers are computed from.
LINK_TABLES = ("paper_tags", "paper_categories", "paper_authors")


def upgrade() -> None:
    op.create_table(
        "related_lists",
        sa.Column(
            "paper_id",
            sa.Integer(),
            sa.ForeignKey("papers.id", name="fk_related_lists_paper_id_papers", ondelete="CASCADE"),
        ),
        sa.Column("items", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("paper_id", name="pk_related_lists"),
    )
    if op.get_bind().dialect.name == "sqlite":
        for table in LINK_TABLES:
            for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
                ids = ", ".join(f"{row}.paper_id" for row in rows)
                op.execute(
                    f"CREATE TRIGGER related_stale_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN DELETE FROM related_lists WHERE paper_id IN ({ids}); END"
                )
        return
    op.execute(
        """
CREATE OR REPLACE FUNCTION related_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM related_lists WHERE paper_id = OLD.paper_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        DELETE FROM related_lists WHERE paper_id = NEW.paper_id;
    END IF;
    RETURN NULL;
END $$
"""
    )
    for table in LINK_TABLES:
        op.execute(
            f"CREATE TRIGGER related_stale_{table} AFTER INSERT OR DELETE OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION related_stale()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in LINK_TABLES:
            for event in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS related_stale_{table}_{event}")
    else:
        for table in LINK_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS related_stale_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS related_stale()")
    op.drop_table("related_lists")

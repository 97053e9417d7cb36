"""Rate-limit events kept in the database, so that every app process counts against the same limits.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_events")),
    )
    op.create_index("ix_rate_limit_events_key_at", "rate_limit_events", ["key", "at"])
    op.create_index("ix_rate_limit_events_at", "rate_limit_events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_rate_limit_events_at", table_name="rate_limit_events")
    op.drop_index("ix_rate_limit_events_key_at", table_name="rate_limit_events")
    op.drop_table("rate_limit_events")

"""Papers keep their readers' Bayesian average in `rating_score`, indexed, so that sorting by rating reads an index.

The score was an expression over rating_avg and rating_count, which no index served: a year or a common tag
sorted by rating meant sorting a hundred thousand rows per page at a million papers.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 11:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Two imagined 3-star ratings, as app.catalog.bayesian says.
PRIOR_MEAN = 3.0
PRIOR_WEIGHT = 2


def _fire_pending_triggers() -> None:
    """PostgreSQL refuses to alter a table with deferred trigger events pending in the migration's transaction."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")


def upgrade() -> None:
    _fire_pending_triggers()
    op.add_column("papers", sa.Column("rating_score", sa.Float(), nullable=True))
    op.execute(
        f"UPDATE papers SET rating_score = (rating_avg * rating_count + {PRIOR_MEAN * PRIOR_WEIGHT}) "
        f"/ (rating_count + {float(PRIOR_WEIGHT)}) WHERE rating_count > 0 AND rating_avg IS NOT NULL"
    )
    op.create_index("ix_papers_rating_score_id", "papers", ["rating_score", "id"])


def downgrade() -> None:
    _fire_pending_triggers()
    op.drop_index("ix_papers_rating_score_id", table_name="papers")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of papers would drop its triggers.
    op.execute("ALTER TABLE papers DROP COLUMN rating_score")

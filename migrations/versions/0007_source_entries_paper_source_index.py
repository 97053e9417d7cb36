"""Index source_entries by (paper_id, source_id), replacing the index on paper_id alone.

The list facet under a search counts, for up to 10,000 matching papers, the lists each is in: with the
list id in the index, that count never reads the table (14 ms of a 96 ms request at a million papers).
Lookups by paper id use the new index's first column as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 00:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_source_entries_paper_id_source_id", "source_entries", ["paper_id", "source_id"])
    op.drop_index("ix_source_entries_paper_id", table_name="source_entries")


def downgrade() -> None:
    op.create_index("ix_source_entries_paper_id", "source_entries", ["paper_id"])
    op.drop_index("ix_source_entries_paper_id_source_id", table_name="source_entries")

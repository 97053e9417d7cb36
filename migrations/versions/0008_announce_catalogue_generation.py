"""PostgreSQL announces each new catalogue generation with NOTIFY when its transaction commits.

Each app process listens and keeps the newest value, instead of asking the database on every request
(a round trip that cost more than the cached answer it guards). SQLite has nothing to announce: its
readers read the number from the file in microseconds.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 01:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BUMP_FLAG = "paper_atlas.generation_bumped"
CHANNEL = "catalogue_generation"


def _function(announce: bool) -> str:
    notify = f"PERFORM pg_notify('{CHANNEL}', bumped::TEXT);" if announce else ""
    return f"""
CREATE OR REPLACE FUNCTION catalogue_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bumped BIGINT;
BEGIN
    IF current_setting('{BUMP_FLAG}', true) IS DISTINCT FROM 'on' THEN
        UPDATE catalogue_generation SET generation = generation + 1 RETURNING generation INTO bumped;
        {notify}
        PERFORM set_config('{BUMP_FLAG}', 'on', true);
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(announce=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(announce=False))

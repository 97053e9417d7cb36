"""PostgreSQL stops announcing each catalogue generation: every request reads the number, and nothing listens.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 09:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
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
        op.execute(_function(announce=False))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_function(announce=True))

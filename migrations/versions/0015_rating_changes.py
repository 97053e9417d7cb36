"""Readers' ratings move their own counter and log the papers they touch, instead of the catalogue generation.

A rating changes what is shown of one paper (its average, count and distribution) and the order of answers
sorted or tie-broken by rating, nothing else; a site that people use rates papers all the time. So a rating
no longer moves `generation`: it moves `rating_seq` and logs the paper it touched in `rating_changes`, and the
answer cache drops only the answers that showed that paper or depend on every rating. The maintained
`papers.rating_avg` and `rating_count` are left out of the papers' update trigger for the same reason, and so
is `updated_at`, which only ever moves along with another column.

On PostgreSQL the log is written by a deferred trigger, at commit, after locking the counter row, so
sequence numbers are given in commit order and a reader never sees number N before N-1 is visible. The log
keeps the last 1,000 changes; a reader further behind than that drops every answer.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# `updated_at` moves with every edit of another column, and a rating keeps it (it is not an edit of the paper).
UNWATCHED_COLUMNS = ("rating_avg", "rating_count", "updated_at")
LOG_KEPT = 1000
OPERATIONS = {"insert": ("new",), "update": ("old", "new"), "delete": ("old",)}

POSTGRES_LOG_FUNCTION = f"""
CREATE FUNCTION rating_change_log() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    seq BIGINT;
BEGIN
    UPDATE catalogue_generation SET rating_seq = rating_seq + 1 RETURNING rating_seq INTO seq;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO rating_changes (seq, paper_id) VALUES (seq, OLD.paper_id);
    ELSE
        INSERT INTO rating_changes (seq, paper_id) VALUES (seq, NEW.paper_id);
        IF TG_OP = 'UPDATE' AND OLD.paper_id <> NEW.paper_id THEN
            INSERT INTO rating_changes (seq, paper_id) VALUES (seq, OLD.paper_id);
        END IF;
    END IF;
    IF seq % 100 = 0 THEN
        DELETE FROM rating_changes WHERE rating_changes.seq <= seq - {LOG_KEPT};
    END IF;
    RETURN NULL;
END $$
"""


def _papers_columns_but_ratings() -> list[str]:
    columns = [column["name"] for column in sa.inspect(op.get_bind()).get_columns("papers")]
    return [name for name in columns if name not in UNWATCHED_COLUMNS]


def _sqlite_log_trigger(operation: str) -> str:
    rows = " ".join(
        f"INSERT INTO rating_changes (seq, paper_id) "
        f"SELECT rating_seq, {row}.paper_id FROM catalogue_generation;"
        for row in OPERATIONS[operation]
    )
    return (
        f"CREATE TRIGGER rating_change_{operation} AFTER {operation.upper()} ON ratings BEGIN "
        "UPDATE catalogue_generation SET rating_seq = rating_seq + 1; "
        f"{rows} "
        f"DELETE FROM rating_changes WHERE seq <= (SELECT rating_seq FROM catalogue_generation) - {LOG_KEPT}; "
        "END"
    )


def _drop_generation_trigger(table: str, operation: str, sqlite: bool) -> None:
    name = f"catalogue_generation_{table}_{operation}"
    op.execute(f"DROP TRIGGER {name}" if sqlite else f"DROP TRIGGER {name} ON {table}")


def _create_generation_trigger(table: str, operation: str, event: str, sqlite: bool) -> None:
    name = f"catalogue_generation_{table}_{operation}"
    if sqlite:
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} "
            "BEGIN UPDATE catalogue_generation SET generation = generation + 1; END"
        )
    else:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER {name} AFTER {event} ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalogue_generation_bump()"
        )


def _fire_pending_triggers() -> None:
    """PostgreSQL refuses to alter a table with deferred trigger events pending in the migration's transaction."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SET CONSTRAINTS ALL IMMEDIATE")


def upgrade() -> None:
    _fire_pending_triggers()
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "catalogue_generation", sa.Column("rating_seq", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.create_table(
        "rating_changes",
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
    )
    op.create_index("ix_hand_rating_changes_seq", "rating_changes", ["seq"])
    for operation in OPERATIONS:
        _drop_generation_trigger("ratings", operation, sqlite)
    if not sqlite:
        op.execute(POSTGRES_LOG_FUNCTION)
    for operation in OPERATIONS:
        if sqlite:
            op.execute(_sqlite_log_trigger(operation))
        else:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER rating_change_{operation} AFTER {operation.upper()} ON ratings "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION rating_change_log()"
            )
    _drop_generation_trigger("papers", "update", sqlite)
    event = "UPDATE OF " + ", ".join(_papers_columns_but_ratings())
    _create_generation_trigger("papers", "update", event, sqlite)


def downgrade() -> None:
    _fire_pending_triggers()
    sqlite = op.get_bind().dialect.name == "sqlite"
    _drop_generation_trigger("papers", "update", sqlite)
    _create_generation_trigger("papers", "update", "UPDATE", sqlite)
    for operation in OPERATIONS:
        op.execute(
            f"DROP TRIGGER rating_change_{operation}"
            if sqlite
            else f"DROP TRIGGER rating_change_{operation} ON ratings"
        )
        _create_generation_trigger("ratings", operation, operation.upper(), sqlite)
    if not sqlite:
        op.execute("DROP FUNCTION rating_change_log()")
    op.drop_index("ix_hand_rating_changes_seq", table_name="rating_changes")
    op.drop_table("rating_changes")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would trip the triggers that name it.
    op.execute("ALTER TABLE catalogue_generation DROP COLUMN rating_seq")

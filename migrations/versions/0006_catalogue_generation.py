"""A catalogue generation number that every committed change to what readers see moves forward.

Cached answers are stored with the generation they were computed at and served only while it is unchanged,
so a cache hit can never be older than the last commit. Triggers keep it, so every write path counts:
the ORM, the importer's bulk statements, plain SQL.

SQLite runs one writer at a time, so a row trigger simply adds one. PostgreSQL runs writers side by side:
the bump is a deferred constraint trigger, made at commit time (the row lock on the counter is the last lock a
transaction takes, so it cannot deadlock with the locks the transaction took before) and at most once per
transaction (a transaction-local setting remembers it), so a large import pays for it once.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 00:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table whose rows a public page or API answer shows. Sessions, tokens, import runs and the search
# structures (derived from papers) are left out: they change without changing what readers see.
WATCHED_TABLES: dict[str, str] = {
    "papers": "",
    "authors": "",
    "paper_authors": "",
    "categories": "",
    "paper_categories": "",
    "tags": "",
    "paper_tags": "",
    "sources": "",
    "source_entries": "",
    "ratings": "",
    # Logins write last_login_at; only a new, renamed, disabled or removed user changes a page.
    "users": "username, is_active",
}
OPERATIONS = ("insert", "update", "delete")

BUMP_FLAG = "paper_atlas.generation_bumped"

POSTGRES_FUNCTION = f"""
CREATE FUNCTION catalogue_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{BUMP_FLAG}', true) IS DISTINCT FROM 'on' THEN
        UPDATE catalogue_generation SET generation = generation + 1;
        PERFORM set_config('{BUMP_FLAG}', 'on', true);
    END IF;
    RETURN NULL;
END $$
"""


def _event(operation: str, table: str) -> str:
    columns = WATCHED_TABLES[table]
    return f"UPDATE OF {columns}" if operation == "update" and columns else operation.upper()


def upgrade() -> None:
    op.execute("CREATE TABLE catalogue_generation (generation BIGINT NOT NULL)")
    op.execute("INSERT INTO catalogue_generation (generation) VALUES (1)")
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:
        op.execute(POSTGRES_FUNCTION)
    for table in WATCHED_TABLES:
        for operation in OPERATIONS:
            name = f"catalogue_generation_{table}_{operation}"
            if sqlite:
                op.execute(
                    f"CREATE TRIGGER {name} AFTER {_event(operation, table)} ON {table} "
                    "BEGIN UPDATE catalogue_generation SET generation = generation + 1; END"
                )
            else:
                op.execute(
                    f"CREATE CONSTRAINT TRIGGER {name} AFTER {_event(operation, table)} ON {table} "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION catalogue_generation_bump()"
                )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in WATCHED_TABLES:
        for operation in OPERATIONS:
            name = f"catalogue_generation_{table}_{operation}"
            op.execute(f"DROP TRIGGER {name}" if sqlite else f"DROP TRIGGER {name} ON {table}")
    if not sqlite:
        op.execute("DROP FUNCTION catalogue_generation_bump()")
    op.execute("DROP TABLE catalogue_generation")

"""Count papers per year and per venue in a table kept by triggers, so unfiltered facets need no scan.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FACETS = ("year", "venue")

CREATE_TABLE = (
    "CREATE TABLE search_facet_counts (facet VARCHAR(16) NOT NULL, value VARCHAR(200) NOT NULL, "
    "papers INTEGER NOT NULL, PRIMARY KEY (facet, value))"
)
BACKFILL = (
    "INSERT INTO search_facet_counts (facet, value, papers) "
    "SELECT 'year', CAST(year AS VARCHAR(200)), count(*) FROM papers WHERE year IS NOT NULL GROUP BY year "
    "UNION ALL "
    "SELECT 'venue', venue, count(*) FROM papers WHERE venue IS NOT NULL GROUP BY venue"
)


def _sqlite_add(facet: str, row: str) -> str:
    return (
        f"INSERT INTO search_facet_counts (facet, value, papers) "
        f"SELECT '{facet}', CAST({row}.{facet} AS VARCHAR(200)), 1 WHERE {row}.{facet} IS NOT NULL "
        f"ON CONFLICT (facet, value) DO UPDATE SET papers = papers + 1;"
    )


def _sqlite_remove(facet: str, row: str) -> str:
    return (
        f"UPDATE search_facet_counts SET papers = papers - 1 "
        f"WHERE facet = '{facet}' AND value = CAST({row}.{facet} AS VARCHAR(200));"
    )


SQLITE_TRIGGERS = {
    "search_count_paper_insert": ("AFTER INSERT ON papers", [_sqlite_add(f, "new") for f in FACETS]),
    "search_count_paper_delete": ("AFTER DELETE ON papers", [_sqlite_remove(f, "old") for f in FACETS]),
    **{
        f"search_count_paper_{facet}_update": (
            f"AFTER UPDATE OF {facet} ON papers WHEN old.{facet} IS NOT new.{facet}",
            [_sqlite_remove(facet, "old"), _sqlite_add(facet, "new")],
        )
        for facet in FACETS
    },
}

POSTGRES_FUNCTION = """
CREATE FUNCTION search_count_papers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind TEXT;
    old_value TEXT;
    new_value TEXT;
BEGIN
    FOREACH kind IN ARRAY ARRAY['year', 'venue'] LOOP
        old_value := NULL;
        new_value := NULL;
        IF TG_OP <> 'INSERT' THEN
            old_value := CASE kind WHEN 'year' THEN OLD.year::TEXT ELSE OLD.venue END;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            new_value := CASE kind WHEN 'year' THEN NEW.year::TEXT ELSE NEW.venue END;
        END IF;
        IF old_value IS NOT DISTINCT FROM new_value THEN
            CONTINUE;
        END IF;
        IF old_value IS NOT NULL THEN
            UPDATE search_facet_counts SET papers = papers - 1 WHERE facet = kind AND value = old_value;
        END IF;
        IF new_value IS NOT NULL THEN
            INSERT INTO search_facet_counts AS counted (facet, value, papers) VALUES (kind, new_value, 1)
                ON CONFLICT ON CONSTRAINT search_facet_counts_pkey
                DO UPDATE SET papers = counted.papers + 1;
        END IF;
    END LOOP;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.execute(CREATE_TABLE)
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "sqlite":
        for name, (timing, statements) in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {timing} BEGIN {' '.join(statements)} END")
    else:
        op.execute(POSTGRES_FUNCTION)
        op.execute(
            "CREATE TRIGGER search_count_papers AFTER INSERT OR DELETE OR UPDATE OF year, venue ON papers "
            "FOR EACH ROW EXECUTE FUNCTION search_count_papers()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER search_count_papers ON papers")
        op.execute("DROP FUNCTION search_count_papers()")
    op.execute("DROP TABLE search_facet_counts")

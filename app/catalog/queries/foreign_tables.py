"""Read-only views of tables the catalogue's read side reads but does not map: lists, ratings, facet counts.

The catalogue sits below the importing and ratings domains, so it names the few columns it reads instead of
importing their models; the migrations remain the one definition of these tables.
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Integer, String, Text, column, table

sources = table(
    "sources",
    column("id", Integer),
    column("name", String),
    column("title", String),
    column("entry_count", Integer),
)

source_entries = table(
    "source_entries",
    column("id", Integer),
    column("source_id", Integer),
    column("paper_id", Integer),
    column("section_path", JSON),
    column("position", Integer),
    column("line", Integer),
    column("list_number", String),
    column("title", String),
    column("note", Text),
    column("stars", Integer),
    column("is_present", Boolean),
)

ratings = table("ratings", column("paper_id", Integer), column("score", Integer))

# Papers per year and per venue, kept by triggers on papers (migration 0004).
maintained_counts = table(
    "search_facet_counts", column("facet", String), column("value", String), column("papers", Integer)
)

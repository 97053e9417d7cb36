"""The read side's queries: lists, facets, details, lookups, related papers; for the API and the pages."""

from app.browse.queries.detail import get_paper_detail
from app.browse.queries.facets import facet_counts
from app.browse.queries.listing import list_papers
from app.browse.queries.lookup import lookup_paper
from app.browse.queries.related import refresh_lists, related_papers, stored_or_computed
from app.browse.queries.summaries import load_summaries, note_lines
from app.catalog.reading import paper_id_for_slug

__all__ = [
    "facet_counts",
    "get_paper_detail",
    "list_papers",
    "load_summaries",
    "lookup_paper",
    "note_lines",
    "paper_id_for_slug",
    "refresh_lists",
    "related_papers",
    "stored_or_computed",
]

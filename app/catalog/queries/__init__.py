"""The catalogue's read side: lists, facets, details, lookups, related papers; for the API and the pages."""

from app.catalog.queries.detail import get_paper_detail, paper_id_for_slug
from app.catalog.queries.facets import facet_counts
from app.catalog.queries.listing import list_papers
from app.catalog.queries.lookup import lookup_paper
from app.catalog.queries.related import refresh_lists, related_papers, stored_or_computed
from app.catalog.queries.summaries import load_summaries, note_lines
from app.catalog.queries.text_search import TextMatch, TextSearch, use_text_search

__all__ = [
    "TextMatch",
    "TextSearch",
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
    "use_text_search",
]

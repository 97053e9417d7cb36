"""What the rest of the app calls: install the search at start-up, rebuild the index, answer text queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.catalog.queries.text_search import SnippetSource, TextMatch, use_text_search
from app.catalog.schemas import Snippet
from app.search import highlight, ranking, spelling
from app.search.backends import backend_for
from app.search.glossary import expand_query
from app.search.sync import catch_up, index_papers, index_pending, install_index_sync, reindex_all

__all__ = ["IndexedTextSearch", "index_papers", "index_pending", "install", "reindex_all"]


class IndexedTextSearch:
    """The catalogue's text search, answered from this domain's index."""

    def match(self, session: Session, query: str) -> TextMatch | None:
        parsed = expand_query(query)
        if not parsed:
            return None
        catch_up(session)
        match = backend_for(session).match(session, parsed)
        return replace(
            match,
            rank=lambda ranked_session, ids: ranking.rank(ranked_session, parsed, query, ids),
            also_searched=parsed.also_searched,
        )

    def snippets(self, query: str, fields: Sequence[SnippetSource]) -> list[Snippet]:
        parsed = expand_query(query)
        return highlight.snippets(parsed, fields) if parsed else []

    def suggest(self, session: Session, query: str) -> str | None:
        return spelling.suggest(session, query)


def install() -> None:
    """Keep the index in sync with every session and answer the catalogue's text queries (idempotent)."""
    install_index_sync()
    use_text_search(IndexedTextSearch())

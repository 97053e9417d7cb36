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
from app.search.sync import (
    catch_up,
    has_written,
    index_papers,
    index_pending,
    install_index_sync,
    reindex_all,
)

# A page asks for the same match for its list and its facets: the index is read for it (a long prefix
# spelt out as its terms) once per transaction, unless the session writes to the index.
_MATCHES = "search_matches"


def _remembered(session: Session) -> dict[str, TextMatch]:
    memo: tuple[object, dict[str, TextMatch]] | None = session.info.get(_MATCHES)
    transaction = session.get_transaction()
    if memo is None or transaction is None or memo[0] is not transaction or has_written(session):
        return {}
    return memo[1]


def _remember(session: Session, query: str, match: TextMatch) -> None:
    transaction = session.get_transaction()
    if transaction is None or has_written(session):
        return
    memo: tuple[object, dict[str, TextMatch]] | None = session.info.get(_MATCHES)
    if memo is None or memo[0] is not transaction:
        memo = (transaction, {})
        session.info[_MATCHES] = memo
    memo[1][query] = match


__all__ = ["IndexedTextSearch", "index_papers", "index_pending", "install", "reindex_all"]


class IndexedTextSearch:
    """The catalogue's text search, answered from this domain's index."""

    def match(self, session: Session, query: str) -> TextMatch | None:
        parsed = expand_query(query)
        if not parsed:
            return None
        catch_up(session)
        remembered = _remembered(session).get(query)
        if remembered is not None:
            return remembered
        match = replace(
            backend_for(session).match(session, parsed),
            rank=lambda ranked_session, ids: ranking.rank(ranked_session, parsed, query, ids),
            also_searched=parsed.also_searched,
        )
        _remember(session, query, match)
        return match

    def snippets(self, query: str, fields: Sequence[SnippetSource]) -> list[Snippet]:
        parsed = expand_query(query)
        return highlight.snippets(parsed, fields) if parsed else []

    def suggest(self, session: Session, query: str) -> str | None:
        return spelling.suggest(session, query)


def install() -> None:
    """Keep the index in sync with every session and answer the catalogue's text queries (idempotent)."""
    install_index_sync()
    use_text_search(IndexedTextSearch())

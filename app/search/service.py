"""What the rest of the app calls: keep the index in step, rebuild it, answer text queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from app.catalog.schemas import Snippet
from app.search import highlight, ranking, spelling
from app.search.backends import backend_for
from app.search.glossary import expand_query
from app.search.matching import SnippetSource, TextMatch
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


__all__ = [
    "SnippetSource",
    "TextMatch",
    "index_papers",
    "index_pending",
    "install",
    "match",
    "reindex_all",
    "snippets",
    "suggest",
]


def match(session: Session, query: str) -> TextMatch | None:
    """The match for QUERY, or None when it holds nothing searchable (only punctuation, say)."""
    parsed = expand_query(query)
    if not parsed:
        return None
    catch_up(session)
    remembered = _remembered(session).get(query)
    if remembered is not None:
        return remembered
    found = replace(
        backend_for(session).match(session, parsed),
        rank=lambda ranked_session, ids: ranking.rank(ranked_session, parsed, query, ids),
        also_searched=parsed.also_searched,
    )
    _remember(session, query, found)
    return found


def snippets(query: str, fields: Sequence[SnippetSource]) -> list[Snippet]:
    """Highlighted pieces of the fields that match QUERY, best field first."""
    parsed = expand_query(query)
    return highlight.snippets(parsed, fields) if parsed else []


def suggest(session: Session, query: str) -> str | None:
    """QUERY with its misspelt words corrected against the catalogue's vocabulary, or None."""
    return spelling.suggest(session, query)


def install() -> None:
    """Keep the index in step with every session's writes (idempotent)."""
    install_index_sync()

"""Records for identifiers: from the cache when it has them, else from the source (then remembered)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from sqlalchemy.orm import Session

from app.config import Settings
from app.metadata.arxiv import ArxivSource, title_words
from app.metadata.cache import read_answers, store_answers
from app.metadata.errors import FetchingOff
from app.metadata.schemas import Identifier, IdentifierKind, PaperMetadata
from app.metadata.sources import Source, default_sources

TITLE_SEARCH = "arxiv-title"
MAX_TITLE_KEY = 500


def _negative_for(settings: Settings) -> timedelta:
    return timedelta(days=settings.metadata_negative_cache_days)


def look_up(
    session: Session,
    settings: Settings,
    identifiers: Sequence[Identifier],
    *,
    sources: Mapping[IdentifierKind, Source] | None = None,
) -> dict[Identifier, PaperMetadata | None]:
    """A record, or None when the source has no such paper, for each identifier.

    Cached answers need no fetching; anything else raises FetchingOff when fetching is off and
    SourceUnavailable when a source fails (the batches answered before that are kept in the cache).
    """
    sources = sources or default_sources(settings)
    results: dict[Identifier, PaperMetadata | None] = {}
    for kind, source in sources.items():
        keys = list(dict.fromkeys(ident.value for ident in identifiers if ident.kind == kind))
        cached = read_answers(session, source.name, keys)
        missing = [key for key in keys if key not in cached]
        if missing and not settings.fetches_metadata:
            raise FetchingOff()
        for start in range(0, len(missing), source.batch_size):
            fetched = source.fetch(missing[start : start + source.batch_size])
            answers = {key: [record] if record else [] for key, record in fetched.items()}
            store_answers(session, source.name, answers, negative_for=_negative_for(settings))
            cached.update(answers)
        for key in keys:
            records = cached.get(key) or []
            results[Identifier(kind=kind, value=key)] = records[0] if records else None
    return results


def look_up_one(
    session: Session,
    settings: Settings,
    identifier: Identifier,
    *,
    sources: Mapping[IdentifierKind, Source] | None = None,
) -> PaperMetadata | None:
    return look_up(session, settings, [identifier], sources=sources)[identifier]


def search_arxiv_titles(session: Session, settings: Settings, title: str) -> list[PaperMetadata]:
    """arXiv's candidates for a title (the caller decides which, if any, is the paper)."""
    key = title_words(title)[:MAX_TITLE_KEY]
    if not key:
        return []
    cached = read_answers(session, TITLE_SEARCH, [key])
    if key in cached:
        return cached[key]
    if not settings.fetches_metadata:
        raise FetchingOff()
    source = ArxivSource(settings)
    records = source.search_title(key)
    store_answers(session, TITLE_SEARCH, {key: records}, negative_for=_negative_for(settings))
    # The records found are whole: later look-ups by their ids need not ask again.
    by_id = {record.arxiv_id: [record] for record in records if record.arxiv_id}
    store_answers(session, source.name, by_id, negative_for=_negative_for(settings))
    return records

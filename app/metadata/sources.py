"""The one small interface a source implements, and the sources this service asks.

Another source (Semantic Scholar, OpenAlex) is a class with these attributes and one ``fetch`` method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from app.config import Settings
from app.metadata.arxiv import ArxivSource
from app.metadata.crossref import CrossrefSource
from app.metadata.schemas import IdentifierKind, PaperMetadata


class Source(Protocol):
    name: str  # the cache's name for the source's answers
    kind: IdentifierKind  # the identifiers it answers for
    batch_size: int  # how many identifiers one fetch may carry

    def fetch(self, keys: Sequence[str]) -> dict[str, PaperMetadata | None]:
        """A record (or None: the source has no such paper) for every key; SourceUnavailable if it fails."""
        ...


def default_sources(settings: Settings) -> dict[IdentifierKind, Source]:
    return {"arxiv": ArxivSource(settings), "doi": CrossrefSource(settings)}

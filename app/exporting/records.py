"""The plain records every export format is written from, so formatters stay pure functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

_PREPRINT_VENUES = frozenset({"arxiv", "arxiv preprint", "preprint", "corr"})
_JOURNAL_HINTS = ("journal", "transactions", "letters", "nature", "science", "jmlr", "tmlr", "tacl")


@dataclass(frozen=True)
class ExportCategory:
    slug: str
    name_en: str
    name_zh: str | None = None
    parent_slug: str | None = None
    position: int = 0


@dataclass(frozen=True)
class ExportPaper:
    id: int
    slug: str
    title: str
    created_at: datetime
    updated_at: datetime
    authors: list[str] = field(default_factory=list)
    short_name: str | None = None
    year: int | None = None
    published: str | None = None
    venue: str | None = None
    arxiv_id: str | None = None
    doi: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    code_url: str | None = None
    summary: str | None = None
    importance: int | None = None
    rating_avg: float | None = None
    rating_count: int = 0
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def best_url(self) -> str | None:
        if self.url:
            return self.url
        if self.arxiv_id:
            return f"https://arxiv.org/abs/{self.arxiv_id}"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.pdf_url


def venue_kind(venue: str | None) -> Literal["none", "preprint", "journal", "conference"]:
    """What kind of publication a venue name suggests; reference formats type their entries by it."""
    if not venue:
        return "none"
    folded = venue.casefold()
    if folded in _PREPRINT_VENUES:
        return "preprint"
    return "journal" if any(hint in folded for hint in _JOURNAL_HINTS) else "conference"

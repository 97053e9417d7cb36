"""What an export or a feed request may ask for: the list's filters, a format, an order and a bound."""

from __future__ import annotations

import enum

from pydantic import Field

from app.catalog.schemas import PaperFilters, PaperSort

MAX_EXPORT = 5_000
MAX_FEED_ENTRIES = 100


class ExportFormat(enum.StrEnum):
    BIBTEX = "bibtex"
    RIS = "ris"
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "markdown"


class ExportParams(PaperFilters):
    """The filters of `GET /api/v1/papers`, plus the format, the order and how many papers at most."""

    format: ExportFormat = Field(description="bibtex, ris, csv (UTF-8 with BOM), json or markdown")
    sort: PaperSort | None = Field(
        default=None, description="As for listing papers: relevance with q, else newest first"
    )
    limit: int = Field(default=MAX_EXPORT, ge=1, le=MAX_EXPORT, description="At most this many papers")

    def filters(self) -> PaperFilters:
        return PaperFilters.model_validate(self.model_dump(include=set(PaperFilters.model_fields)))


class FeedParams(PaperFilters):
    """The filters of `GET /api/v1/papers`; the feed lists the newest additions first."""

    limit: int = Field(default=50, ge=1, le=MAX_FEED_ENTRIES, description="Entries in the feed")

    def filters(self) -> PaperFilters:
        return PaperFilters.model_validate(self.model_dump(include=set(PaperFilters.model_fields)))

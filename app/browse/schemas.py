"""A paper's detail: the catalogue's fields with what ratings, the lists and the related papers say of it."""

from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict

from app.catalog.schemas import PaperLink, PaperSummary, RelatedPaper
from app.catalog.schemas.examples import DETAIL_EXAMPLE
from app.importing.schemas import ProvenanceEntry
from app.ratings.schemas import RatingSummary


class PaperDetail(PaperSummary):
    """Everything about one paper."""

    model_config = ConfigDict(json_schema_extra={"examples": [DETAIL_EXAMPLE]})

    summary: str | None
    is_curated: bool
    updated_at: datetime
    links: list[PaperLink]
    provenance: list[ProvenanceEntry]
    rating: RatingSummary
    related: list[RelatedPaper]

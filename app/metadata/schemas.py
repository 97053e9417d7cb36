"""A paper as an outside source describes it: the one record every source returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

IdentifierKind = Literal["arxiv", "doi"]


class Identifier(BaseModel):
    """A canonical arXiv id ("2005.14165", "hep-th/9901001") or a lower-cased DOI."""

    model_config = ConfigDict(frozen=True)

    kind: IdentifierKind
    value: str = Field(min_length=1, max_length=255)

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class PaperMetadata(BaseModel):
    """Title, authors in order, abstract, dates, venue, arXiv categories, PDF link and both identifiers."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source": "arxiv",
                    "arxiv_id": "1706.03762",
                    "doi": None,
                    "title": "Attention Is All You Need",
                    "authors": ["Ashish Vaswani", "Noam Shazeer"],
                    "abstract": "The dominant sequence transduction models are based on ...",
                    "year": 2017,
                    "published_date": "2017-06-12",
                    "venue": None,
                    "categories": ["cs.CL", "cs.LG"],
                    "url": "https://arxiv.org/abs/1706.03762",
                    "pdf_url": "https://arxiv.org/pdf/1706.03762",
                }
            ]
        },
    )

    source: Literal["arxiv", "crossref"]
    arxiv_id: str | None = None
    doi: str | None = None
    title: str
    authors: list[str] = Field(default_factory=list)
    abstract: str | None = None
    year: int | None = None
    published_date: str | None = Field(default=None, description="YYYY-MM-DD, YYYY-MM or YYYY")
    venue: str | None = Field(default=None, description="The journal or proceedings, when published")
    categories: list[str] = Field(default_factory=list, description="arXiv subject classes")
    url: str | None = None
    pdf_url: str | None = None

    @property
    def published_month(self) -> str | None:
        """YYYY-MM when the month is known."""
        date = self.published_date or ""
        return date[:7] if len(date) >= 7 else None

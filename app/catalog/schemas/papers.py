"""What the read side answers about papers: summaries with snippets, pages, related papers, lookups."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.catalog.schemas.examples import PAGE_EXAMPLE, SUMMARY_EXAMPLE
from app.catalog.schemas.filters import PaperSort


class CategoryRef(BaseModel):
    slug: str
    name_en: str
    name_zh: str | None = None


class TagRef(BaseModel):
    slug: str
    name: str
    name_zh: str | None = None


class Snippet(BaseModel):
    """A piece of a matching field; `snippet_html` is escaped text with <mark> around the matches."""

    field: Literal["title", "short_name", "summary", "note", "authors", "tags"]
    snippet: str
    snippet_html: str
    marks: list[tuple[int, int]] = Field(description="[start, end) offsets of the matches in `snippet`")


class PaperSummary(BaseModel):
    """A paper as lists show it."""

    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    id: int
    slug: str
    title: str
    short_name: str | None
    authors: list[str]
    year: int | None
    published: str | None
    venue: str | None
    arxiv_id: str | None
    doi: str | None
    url: str | None
    pdf_url: str | None
    code_url: str | None
    importance: int | None
    rating_avg: float | None
    rating_count: int
    categories: list[CategoryRef]
    tags: list[TagRef]
    created_at: datetime
    snippets: list[Snippet] | None = Field(
        default=None, description="With q: the matching parts of the paper, highlighted"
    )


class PaperPage(BaseModel):
    """One page of papers and the cursors of the pages either side."""

    model_config = ConfigDict(json_schema_extra={"examples": [PAGE_EXAMPLE]})

    items: list[PaperSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")
    previous_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the previous page; null on the first page"
    )
    offset: int = Field(
        default=0,
        description="How many matching papers come before this page (an estimate on later pages when "
        "papers were added or removed since the first)",
    )
    total: int = Field(description="How many papers match (a lower bound when total_is_approximate)")
    total_is_approximate: bool = Field(description="True when counting stopped at a bound")
    sort: PaperSort
    also_searched: list[str] = Field(
        default_factory=list,
        description="With q: the names the glossary added to the query, in both languages "
        "(q=思维链 also searches chain-of-thought and CoT)",
        examples=[["chain-of-thought", "CoT"]],
    )
    identifier: Literal["arxiv_id", "doi", "url"] | None = Field(
        default=None,
        description="Set when q is an arXiv id, a DOI or a link of a catalogued paper: that paper is the "
        "only item",
        examples=["arxiv_id"],
    )
    did_you_mean: str | None = Field(
        default=None,
        description="With q finding little: the query with its misspelt words corrected against the "
        "catalogue's own words",
        examples=["attention is all you need"],
    )
    showing_results_for: str | None = Field(
        default=None,
        description="Set when q found nothing and the items are those of `did_you_mean` instead",
        examples=["attention is all you need"],
    )


class PaperLink(BaseModel):
    kind: Literal["paper", "pdf", "code", "arxiv", "doi"]
    url: str


class RelatedPaper(BaseModel):
    id: int
    slug: str
    title: str
    year: int | None
    score: float = Field(description="Sum of the weights of what the papers share; rarer things weigh more")
    reasons: list[str] = Field(description="What the papers share, e.g. 'tag: rlhf'")


class PaperLookup(BaseModel):
    """The catalogued paper the identifiers name, if any."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"paper": None, "matched_by": None}]},
    )

    paper: PaperSummary | None
    matched_by: Literal["arxiv_id", "doi", "url", "title"] | None

"""What the catalogue's read side accepts and answers: filters, paper summaries, details, facets, lookups."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SOURCE_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
MAX_QUERY_LENGTH = 200
MAX_TAG_FILTERS = 10
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# PostgreSQL refuses NUL in text, and no query or identifier needs control characters.
PRINTABLE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

Text = Annotated[str, StringConstraints(pattern=PRINTABLE_PATTERN)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN)]
SourceName = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SOURCE_NAME_PATTERN)]
Year = Annotated[int, Field(ge=1900, le=2100)]


class ApiError(BaseModel):
    """The body of every error under /api: a message, a stable code, and sometimes more."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"examples": [{"detail": "No paper with id 42.", "code": "not_found"}]},
    )

    detail: str | list[dict[str, Any]] = Field(
        description="What went wrong; for invalid input, a list of {loc, msg, type} per field"
    )
    code: str = Field(description="A stable machine-readable code such as not_found or invalid_input")


class PaperSort(enum.StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"
    RATING = "rating"
    IMPORTANCE = "importance"
    TITLE = "title"
    ADDED = "added"


class PaperFilters(BaseModel):
    """Which papers: every given filter must hold."""

    model_config = ConfigDict(extra="forbid")

    q: Text | None = Field(
        default=None,
        max_length=MAX_QUERY_LENGTH,
        description="Full-text query over title, short name, authors, summary, notes and tags; "
        "English words match their inflections and prefixes, Chinese matches by character pairs",
        examples=["instruction tuning", "微调", "LoRA 微调"],
    )
    category: Slug | None = Field(
        default=None, description="A category slug; its subcategories are included", examples=["agents"]
    )
    tag: list[Slug] = Field(
        default_factory=list,
        max_length=MAX_TAG_FILTERS,
        description="Tag slugs (repeat the parameter); a paper must carry all of them",
        examples=[["rlhf"]],
    )
    year_from: Year | None = Field(default=None, description="Earliest publication year", examples=[2020])
    year_to: Year | None = Field(default=None, description="Latest publication year", examples=[2024])
    venue: Text | None = Field(
        default=None, min_length=1, max_length=200, description="Exact venue", examples=["NeurIPS"]
    )
    source: SourceName | None = Field(
        default=None, description="Name of a list the paper appears in", examples=["awesome-llm"]
    )
    author: Text | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="An author's full name (case and accents ignored)",
        examples=["Ashish Vaswani"],
    )
    min_rating: float | None = Field(
        default=None, ge=1, le=5, description="Lowest average rating", examples=[4]
    )
    has_code: bool | None = Field(
        default=None, description="true: only papers with code; false: only papers without"
    )

    @field_validator("q", "venue", "author", mode="after")
    @classmethod
    def _blank_is_absent(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value or None

    @model_validator(mode="after")
    def _year_range(self) -> PaperFilters:
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError("year_from must not be after year_to")
        return self

    def is_unfiltered(self) -> bool:
        return self == PaperFilters()

    def query_params(self) -> list[tuple[str, str]]:
        """These filters as URL query parameters, in a stable order."""
        params: list[tuple[str, str]] = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None or value == []:
                continue
            if isinstance(value, list):
                params.extend((name, str(item)) for item in value)
            elif isinstance(value, bool):
                params.append((name, "true" if value else "false"))
            elif isinstance(value, enum.Enum):
                params.append((name, str(value.value)))
            else:
                params.append((name, str(value)))
        return params

    def query_string(self, **changes: Any) -> str:
        """The URL query of these filters with CHANGES applied (None removes a filter)."""
        updated = self.model_copy(update=changes)
        return urlencode(updated.query_params())


class PaperListParams(PaperFilters):
    """Filters plus the order and the page to answer."""

    sort: PaperSort | None = Field(
        default=None, description="Order of the papers; relevance (the default with q) needs q, else newest"
    )
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Papers per page")
    cursor: str | None = Field(
        default=None,
        min_length=1,
        max_length=512,
        description="The next_cursor of the previous page, with the same filters and sort",
    )

    @model_validator(mode="after")
    def _relevance_needs_a_query(self) -> PaperListParams:
        if self.sort is PaperSort.RELEVANCE and self.q is None:
            raise ValueError("sort=relevance needs a query q")
        return self

    @property
    def effective_sort(self) -> PaperSort:
        if self.sort is not None:
            return self.sort
        return PaperSort.RELEVANCE if self.q else PaperSort.NEWEST

    def filters(self) -> PaperFilters:
        return PaperFilters.model_validate(self.model_dump(include=set(PaperFilters.model_fields)))


class CategoryRef(BaseModel):
    slug: str
    name_en: str
    name_zh: str | None = None


class TagRef(BaseModel):
    slug: str
    name: str


class Snippet(BaseModel):
    """A piece of a matching field; `snippet_html` is escaped text with <mark> around the matches."""

    field: Literal["title", "short_name", "summary", "note", "authors", "tags"]
    snippet: str
    snippet_html: str
    marks: list[tuple[int, int]] = Field(description="[start, end) offsets of the matches in `snippet`")


SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "slug": "attention-is-all-you-need",
    "title": "Attention Is All You Need",
    "short_name": "Transformer",
    "authors": ["Ashish Vaswani", "Noam Shazeer"],
    "year": 2017,
    "published": "2017-06",
    "venue": "NeurIPS",
    "arxiv_id": "1706.03762",
    "doi": None,
    "url": "https://arxiv.org/abs/1706.03762",
    "pdf_url": None,
    "code_url": "https://github.com/tensorflow/tensor2tensor",
    "importance": 5,
    "rating_avg": 4.5,
    "rating_count": 2,
    "categories": [{"slug": "architectures", "name_en": "Architectures", "name_zh": "架构"}],
    "tags": [{"slug": "transformer", "name": "transformer"}],
    "created_at": "2026-01-01T00:00:00Z",
    "snippets": None,
}
SNIPPET_EXAMPLE: dict[str, Any] = {
    "field": "note",
    "snippet": "低秩适配，参数高效微调的代表方法",
    "snippet_html": "低秩适配，参数高效<mark>微调</mark>的代表方法",
    "marks": [[9, 11]],
}


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
    """One page of papers and the cursor of the next."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [{**SUMMARY_EXAMPLE, "snippets": [SNIPPET_EXAMPLE]}],
                    "next_cursor": "eyJzIjoicmVsZXZhbmNlIiwiZiI6IjEyMyIsInYiOi0zLjIsImkiOjEsIm4iOmZhbHNlfQ",
                    "total": 42,
                    "total_is_approximate": False,
                    "sort": "relevance",
                }
            ]
        }
    )

    items: list[PaperSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")
    total: int = Field(description="How many papers match (a lower bound when total_is_approximate)")
    total_is_approximate: bool = Field(description="True when counting stopped at a bound")
    sort: PaperSort


class FacetValue(BaseModel):
    """One value of a facet: how many matching papers have it, and the filters that toggle it."""

    value: str = Field(description="The filter value (a slug, a year, a venue, a list name)")
    label: str
    count: int
    selected: bool
    toggle_query: str = Field(description="The URL query of the current filters with this value toggled")


class CategoryFacet(FacetValue):
    """A category with the papers filed in it (`count`) and in it or below it (`total`)."""

    name_zh: str | None
    total: int
    children: list[CategoryFacet]


class Facets(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "categories": [
                        {
                            "value": "agents",
                            "label": "Agents",
                            "name_zh": "智能体",
                            "count": 3,
                            "total": 5,
                            "selected": False,
                            "toggle_query": "q=planning&category=agents",
                            "children": [],
                        }
                    ],
                    "tags": [
                        {
                            "value": "rlhf",
                            "label": "RLHF",
                            "count": 4,
                            "selected": True,
                            "toggle_query": "q=planning",
                        }
                    ],
                    "years": [
                        {
                            "value": "2023",
                            "label": "2023",
                            "count": 2,
                            "selected": False,
                            "toggle_query": "q=planning&tag=rlhf&year_from=2023&year_to=2023",
                        }
                    ],
                    "venues": [],
                    "sources": [],
                    "matched": 5,
                    "matched_is_approximate": False,
                    "is_approximate": False,
                }
            ]
        }
    )

    categories: list[CategoryFacet]
    tags: list[FacetValue]
    years: list[FacetValue]
    venues: list[FacetValue]
    sources: list[FacetValue]
    matched: int = Field(description="How many papers match (a lower bound when matched_is_approximate)")
    matched_is_approximate: bool
    is_approximate: bool = Field(
        description="True when the counts cover only the first matched papers, not all of them"
    )


class PaperLink(BaseModel):
    kind: Literal["paper", "pdf", "code", "arxiv", "doi"]
    url: str


class ProvenanceEntry(BaseModel):
    """Where a list mentions the paper, as its curator wrote it."""

    source: str = Field(description="The list's name")
    source_title: str
    section_path: list[str]
    position: int
    line: int
    list_number: str | None
    title: str
    note: str | None
    stars: int | None
    is_present: bool = Field(description="False when the newest version of the list dropped the entry")


class RatingBucket(BaseModel):
    score: int
    count: int


class RatingSummary(BaseModel):
    average: float | None
    count: int
    distribution: list[RatingBucket] = Field(description="How many ratings gave each score, 1 to 5")


class RelatedPaper(BaseModel):
    id: int
    slug: str
    title: str
    year: int | None
    score: float = Field(description="Sum of the weights of what the papers share; rarer things weigh more")
    reasons: list[str] = Field(description="What the papers share, e.g. 'tag: rlhf'")


class PaperDetail(PaperSummary):
    """Everything about one paper."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **SUMMARY_EXAMPLE,
                    "summary": "提出 Transformer 架构，完全基于注意力机制。",
                    "is_curated": False,
                    "updated_at": "2026-01-02T00:00:00Z",
                    "links": [{"kind": "arxiv", "url": "https://arxiv.org/abs/1706.03762"}],
                    "provenance": [
                        {
                            "source": "awesome-llm",
                            "source_title": "Awesome LLM",
                            "section_path": ["Milestone Papers"],
                            "position": 0,
                            "line": 12,
                            "list_number": None,
                            "title": "Attention Is All You Need",
                            "note": "经典",
                            "stars": 5,
                            "is_present": True,
                        }
                    ],
                    "rating": {
                        "average": 4.5,
                        "count": 2,
                        "distribution": [{"score": n, "count": int(n >= 4)} for n in range(1, 6)],
                    },
                    "related": [
                        {
                            "id": 7,
                            "slug": "bert",
                            "title": "BERT: Pre-training of Deep Bidirectional Transformers",
                            "year": 2018,
                            "score": 3.2,
                            "reasons": ["tag: transformer"],
                        }
                    ],
                }
            ]
        }
    )

    summary: str | None
    is_curated: bool
    updated_at: datetime
    links: list[PaperLink]
    provenance: list[ProvenanceEntry]
    rating: RatingSummary
    related: list[RelatedPaper]


class LookupParams(BaseModel):
    """Identifiers of a paper that may already be catalogued; give at least one."""

    model_config = ConfigDict(extra="forbid")

    arxiv_id: Text | None = Field(
        default=None, min_length=1, max_length=200, examples=["2005.14165", "arXiv:2005.14165v2"]
    )
    doi: Text | None = Field(
        default=None, min_length=1, max_length=300, examples=["10.48550/arXiv.2005.14165"]
    )
    url: Text | None = Field(
        default=None, min_length=1, max_length=2000, examples=["https://arxiv.org/pdf/2005.14165v4.pdf"]
    )
    title: Text | None = Field(
        default=None, min_length=1, max_length=500, examples=["Language Models are Few-Shot Learners"]
    )

    @model_validator(mode="after")
    def _at_least_one(self) -> LookupParams:
        if not any((self.arxiv_id, self.doi, self.url, self.title)):
            raise ValueError("give arxiv_id, doi, url or title")
        return self


class PaperLookup(BaseModel):
    """The catalogued paper the identifiers name, if any."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"paper": None, "matched_by": None}]},
    )

    paper: PaperSummary | None
    matched_by: Literal["arxiv_id", "doi", "url", "title"] | None

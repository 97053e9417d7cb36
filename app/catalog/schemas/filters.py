"""What the read side accepts: filters, list parameters, lookups; and the error body every route answers."""

from __future__ import annotations

import enum
from typing import Annotated, Any
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from app.translatable import N_

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SOURCE_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FILTER = 10
UNKNOWN_YEAR = "unknown"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

# PostgreSQL refuses NUL in text, and no query or identifier needs control characters.
PRINTABLE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"

Text = Annotated[str, StringConstraints(pattern=PRINTABLE_PATTERN)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN)]
SourceName = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SOURCE_NAME_PATTERN)]
Year = Annotated[int, Field(ge=1900, le=2100)]
# A year of the year facet: four digits, or `unknown` for the papers without one.
YearValue = Annotated[str, StringConstraints(pattern=r"^(19[0-9]{2}|20[0-9]{2}|2100|unknown)$")]
Venue = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=PRINTABLE_PATTERN)]


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
    """Which papers: every given filter must hold; the values of one filter are alternatives."""

    model_config = ConfigDict(extra="forbid")

    q: Text | None = Field(
        default=None,
        max_length=MAX_QUERY_LENGTH,
        description="Full-text query over title, short name, category and tag names (English and Chinese), "
        "section headings, authors, summary, notes and identifiers; glossary terms also search their other "
        "names; an arXiv id, DOI or link answers with that paper",
        examples=["instruction tuning", "思维链", "LoRA 微调", "arXiv:2312.00752", "Flan-T5"],
    )
    category: list[Slug] = Field(
        default_factory=list,
        max_length=MAX_VALUES_PER_FILTER,
        description="Category slugs (repeat the parameter); a paper in any of them, or below them, matches",
        examples=[["agents"]],
    )
    tag: list[Slug] = Field(
        default_factory=list,
        max_length=MAX_VALUES_PER_FILTER,
        description="Tag slugs (repeat the parameter); a paper carrying any of them matches",
        examples=[["rlhf"]],
    )
    year: list[YearValue] = Field(
        default_factory=list,
        max_length=MAX_VALUES_PER_FILTER,
        description="Publication years (repeat the parameter); `unknown` stands for papers without a year",
        examples=[["2023", "unknown"]],
    )
    year_from: Year | None = Field(default=None, description="Earliest publication year", examples=[2020])
    year_to: Year | None = Field(default=None, description="Latest publication year", examples=[2024])
    venue: list[Venue] = Field(
        default_factory=list,
        max_length=MAX_VALUES_PER_FILTER,
        description="Exact venues (repeat the parameter); a paper at any of them matches",
        examples=[["NeurIPS"]],
    )
    source: list[SourceName] = Field(
        default_factory=list,
        max_length=MAX_VALUES_PER_FILTER,
        description="Names of lists (repeat the parameter); a paper in any of them matches",
        examples=[["awesome-llm"]],
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

    @field_validator("q", "author", mode="after")
    @classmethod
    def _blank_is_absent(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value or None

    @field_validator("category", "tag", "year", "venue", "source", mode="before")
    @classmethod
    def _one_value_is_a_list_of_one(cls, value: Any) -> Any:
        if isinstance(value, str | int):
            return [str(value)]
        if isinstance(value, list):
            return [str(item) if isinstance(item, int) else item for item in value]
        return value

    @field_validator("venue", mode="after")
    @classmethod
    def _no_blank_venues(cls, values: list[str]) -> list[str]:
        cleaned = (" ".join(value.split()) for value in values)
        return list(dict.fromkeys(value for value in cleaned if value))

    @field_validator("category", "tag", "year", "source", mode="after")
    @classmethod
    def _each_once(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))

    @model_validator(mode="after")
    def _year_range(self) -> PaperFilters:
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise ValueError(N_("year_from must not be after year_to"))
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
        default=None,
        description="Order of the papers; relevance (the default with q) needs q, else newest. rating ranks "
        "by a Bayesian average (a paper's ratings plus two imagined 3-star ones), so one 5-star vote does "
        "not come first",
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
            raise ValueError(N_("sort=relevance needs a query q"))
        return self

    @property
    def effective_sort(self) -> PaperSort:
        if self.sort is not None:
            return self.sort
        return PaperSort.RELEVANCE if self.q else PaperSort.NEWEST

    def filters(self) -> PaperFilters:
        return PaperFilters.model_validate(self.model_dump(include=set(PaperFilters.model_fields)))


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

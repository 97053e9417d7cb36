"""What a client may send to add, change or merge papers: bounded, validated, unknown fields refused."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from app.catalog.identifiers import doi_from_text, normalise_arxiv_id
from app.catalog.schemas import PRINTABLE_PATTERN
from app.slugs import slugify
from app.translatable import N_

MAX_AUTHORS = 200
MAX_TAGS = 30
MAX_CATEGORIES = 20
MAX_SUMMARY_CHARS = 20_000
_PUBLISHED_RE = re.compile(r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$")
_CATEGORY_SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _http_url(value: str) -> str:
    lowered = value.lower()
    if not lowered.startswith(("http://", "https://")) or len(value) <= len("https://"):
        raise ValueError(N_("must be an http(s) URL"))
    if any(ch.isspace() for ch in value):
        raise ValueError(N_("must not contain spaces"))
    return value


def _tag_name(value: str) -> str:
    if not slugify(value):
        raise ValueError(N_("a tag needs at least one letter or digit"))
    return value


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _visible(value: str) -> str:
    # Zero-width and other format characters (U+200B, U+FEFF, ...) are not whitespace to str.strip().
    if not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in value):
        raise ValueError("needs at least one visible character")
    return value


def _text(max_length: int, *, min_length: int = 1) -> StringConstraints:
    # PRINTABLE_PATTERN: PostgreSQL refuses NUL, and no field needs other control characters.
    return StringConstraints(
        strip_whitespace=True, min_length=min_length, max_length=max_length, pattern=PRINTABLE_PATTERN
    )


OneLine = AfterValidator(_one_line)
Text500 = Annotated[str, _text(500), OneLine, AfterValidator(_visible)]
HttpUrl = Annotated[str, _text(2000), AfterValidator(_http_url)]
AuthorName = Annotated[str, _text(200), OneLine]
TagName = Annotated[str, _text(80), OneLine, AfterValidator(_tag_name)]
CategorySlug = Annotated[
    str,
    BeforeValidator(_lower),
    StringConstraints(min_length=1, max_length=80, pattern=_CATEGORY_SLUG_RE),
]
Year = Annotated[int, Field(ge=1900, le=2100)]
Importance = Annotated[int, Field(ge=0, le=5)]
ShortName = Annotated[str, _text(80), OneLine]
Venue = Annotated[str, _text(200), OneLine]
Summary = Annotated[str, _text(MAX_SUMMARY_CHARS, min_length=0)]
Published = Annotated[str, _text(7, min_length=7)]
Identifier = Annotated[str, _text(255)]


def _checked_arxiv_id(value: str | None) -> str | None:
    if value is None:
        return None
    canonical = normalise_arxiv_id(value)
    if canonical is None:
        raise ValueError(N_("not an arXiv identifier (expected e.g. 2005.14165 or hep-th/9901001)"))
    return canonical


def _checked_doi(value: str | None) -> str | None:
    if value is None:
        return None
    doi = doi_from_text(value)
    if doi is None:
        raise ValueError(N_("not a DOI (expected e.g. 10.1145/3442188.3445922)"))
    return doi


def _checked_published(value: str | None) -> str | None:
    if value is not None and not _PUBLISHED_RE.fullmatch(value):
        raise ValueError(N_("expected YYYY-MM"))
    return value


def _unique_in_order(values: list[str], key: Any = str.casefold) -> list[str]:
    seen: set[str] = set()
    unique = []
    for value in values:
        marker = key(value)
        if marker not in seen:
            seen.add(marker)
            unique.append(value)
    return unique


class _PaperFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("arxiv_id", check_fields=False)
    @classmethod
    def _arxiv(cls, value: str | None) -> str | None:
        return _checked_arxiv_id(value)

    @field_validator("doi", check_fields=False)
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        return _checked_doi(value)

    @field_validator("published", check_fields=False)
    @classmethod
    def _published(cls, value: str | None) -> str | None:
        return _checked_published(value)

    @field_validator("authors", "tags", check_fields=False)
    @classmethod
    def _dedupe(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _unique_in_order(values)

    @field_validator("categories", check_fields=False)
    @classmethod
    def _dedupe_slugs(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _unique_in_order(values, key=str)


PAPER_EXAMPLE: dict[str, Any] = {
    "title": "Attention Is All You Need",
    "short_name": "Transformer",
    "url": "https://arxiv.org/abs/1706.03762",
    "arxiv_id": "1706.03762",
    "venue": "NeurIPS",
    "authors": ["Ashish Vaswani", "Noam Shazeer"],
    "categories": ["architecture"],
    "tags": ["attention", "transformer"],
    "summary": "Introduces the Transformer, built on attention alone.",
}


class _NewPaperFields(_PaperFields):
    short_name: ShortName | None = None
    url: HttpUrl | None = None
    pdf_url: HttpUrl | None = None
    code_url: HttpUrl | None = None
    arxiv_id: Identifier | None = Field(
        default=None, description="An arXiv id or abs/pdf URL; stored without version."
    )
    doi: Identifier | None = Field(default=None, description="A DOI or doi.org URL; stored lower-cased.")
    year: Year | None = None
    published: Published | None = Field(default=None, description="YYYY-MM when the month is known.")
    venue: Venue | None = None
    summary: Summary | None = None
    importance: Importance | None = Field(default=None, description="0–5 stars, as curators mark them.")
    authors: list[AuthorName] = Field(default_factory=list, max_length=MAX_AUTHORS)
    categories: list[CategorySlug] = Field(default_factory=list, max_length=MAX_CATEGORIES)
    tags: list[TagName] = Field(default_factory=list, max_length=MAX_TAGS)


class PaperCreate(_NewPaperFields):
    """A paper to add. Identifiers are normalised; the year follows from the arXiv id when omitted."""

    model_config = ConfigDict(json_schema_extra={"examples": [PAPER_EXAMPLE]})

    title: Text500


class PaperAdd(_NewPaperFields):
    """A paper to add through the API: the title may be left out when an arXiv id or DOI is given, and
    the fields not sent are then filled from arXiv or Crossref."""

    model_config = ConfigDict(json_schema_extra={"examples": [PAPER_EXAMPLE, {"arxiv_id": "1706.03762"}]})

    title: Text500 | None = Field(
        default=None, description="Required unless `arxiv_id` or `doi` is given and looking papers up is on."
    )


class PaperUpdate(_PaperFields):
    """A partial change: only the fields sent are changed; null clears an optional field."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"venue": "NeurIPS 2017", "tags": ["attention", "seq2seq"]}]}
    )

    title: Text500 | None = None
    short_name: ShortName | None = None
    url: HttpUrl | None = None
    pdf_url: HttpUrl | None = None
    code_url: HttpUrl | None = None
    arxiv_id: Identifier | None = None
    doi: Identifier | None = None
    year: Year | None = None
    published: Published | None = None
    venue: Venue | None = None
    summary: Summary | None = None
    importance: Importance | None = None
    authors: list[AuthorName] | None = Field(default=None, max_length=MAX_AUTHORS)
    categories: list[CategorySlug] | None = Field(default=None, max_length=MAX_CATEGORIES)
    tags: list[TagName] | None = Field(default=None, max_length=MAX_TAGS)

    @field_validator("title", "authors", "categories", "tags", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may be changed but not cleared with null")
        return value


class PaperMerge(BaseModel):
    """Which paper to fold into this one; the duplicate is deleted afterwards."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"duplicate_id": 42}]})

    duplicate_id: int = Field(ge=1, le=2**31 - 1)

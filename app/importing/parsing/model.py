"""The records the markdown parser produces: entries, warnings and the parsed list."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class ParsedEntry:
    """One paper as a list wrote it, before any matching against the catalogue."""

    line: int
    end_line: int
    section_path: tuple[str, ...]
    position: int
    raw: str
    title: str
    short_name: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    code_url: str | None = None
    extra_links: list[tuple[str, str]] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    published: str | None = None
    note: str | None = None
    stars: int | None = None
    list_number: str | None = None
    # How the entry was written, evidence for telling papers from other resources: "table",
    # "bibliographic" or "link-list"; the title as "link", "bold", "quoted" or "plain"; a table's title
    # column header.
    shape: str = "link-list"
    title_kind: str = "plain"
    title_header: str | None = None


@dataclass(slots=True)
class ParseWarning:
    """Something in the list the parser skipped or could not fully understand, with its line."""

    line: int
    code: str
    message: str


@dataclass(slots=True)
class ParsedList:
    """Everything read from one markdown list."""

    title: str | None
    formats: tuple[str, ...]
    entries: list[ParsedEntry]
    warnings: list[ParseWarning]

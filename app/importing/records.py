"""From a parsed entry to a normalised record: identifiers found, fields cleaned, an identity to match by."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from app.catalog.identifiers import (
    arxiv_id_from_url,
    doi_from_text,
    normalise_title,
    year_from_arxiv_id,
)
from app.importing.parsing import ParsedEntry

ARXIV_ABS = "https://arxiv.org/abs/{}"
ARXIV_PDF = "https://arxiv.org/pdf/{}"
MAX_TITLE = 500
MAX_URL = 2000
MAX_SHORT_NAME = 80
MAX_VENUE = 200
MAX_AUTHOR = 200


@dataclass(frozen=True)
class EntryRecord:
    """One entry, normalised; `fields` is what the entry says about its paper."""

    entry: ParsedEntry
    title: str
    title_key: str
    arxiv_id: str | None
    doi: str | None
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        """How this entry is recognised as a paper: arXiv id first, then DOI, then its title."""
        if self.arxiv_id:
            return f"arxiv:{self.arxiv_id}"
        if self.doi:
            return f"doi:{self.doi}"
        return f"title:{self.title_key}"


def _bounded(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text[:limit] if text else None


def _http_url(url: str | None) -> str | None:
    url = _bounded(url, MAX_URL)
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def _entry_links(entry: ParsedEntry) -> list[str]:
    links = [entry.url, entry.pdf_url, *(url for _label, url in entry.extra_links)]
    return [link for link in links if link]


def _first(values: list[str | None]) -> str | None:
    return next((value for value in values if value), None)


def normalise_entry(entry: ParsedEntry) -> EntryRecord:
    title = unicodedata.normalize("NFC", " ".join(entry.title.split()))[:MAX_TITLE]
    links = _entry_links(entry)
    arxiv_id = _first([arxiv_id_from_url(link) for link in links])
    doi = _first([doi_from_text(link) for link in links if "doi" in link.lower()])
    url = _http_url(entry.url)
    pdf_url = _http_url(entry.pdf_url)
    if arxiv_id:
        url = ARXIV_ABS.format(arxiv_id) if url is None or arxiv_id_from_url(url) else url
        pdf_url = pdf_url if pdf_url and not arxiv_id_from_url(pdf_url) else ARXIV_PDF.format(arxiv_id)
    elif url is None and pdf_url is not None:
        url = pdf_url
    year = entry.year or (year_from_arxiv_id(arxiv_id) if arxiv_id else None)
    published = entry.published
    if year is None and published:
        year = int(published[:4])
    fields: dict[str, Any] = {
        "url": url,
        "pdf_url": pdf_url,
        "code_url": _http_url(entry.code_url),
        "short_name": _bounded(entry.short_name, MAX_SHORT_NAME),
        "venue": _bounded(entry.venue, MAX_VENUE),
        "year": year,
        "published": published,
        "authors": [name[:MAX_AUTHOR] for name in entry.authors if name.strip()],
        "arxiv_id": arxiv_id,
        "doi": doi,
    }
    return EntryRecord(
        entry=entry,
        title=title,
        title_key=normalise_title(title),
        arxiv_id=arxiv_id,
        doi=doi,
        fields={key: value for key, value in fields.items() if value not in (None, [])},
    )

"""A new paper's fields from its arXiv id or DOI: for the add form's "Fill in" and the API's short form.

The metadata domain fetches the record; this module reads the identifier a person pasted and turns the
record into the catalogue's fields, within the bounds the write schemas allow.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from app.catalog.identifiers import arxiv_id_from_url, doi_from_text
from app.catalog.write_schemas import MAX_AUTHORS, MAX_SUMMARY_CHARS, PaperAdd, PaperCreate
from app.config import Settings
from app.errors import InvalidInput
from app.metadata import service as metadata
from app.metadata.schemas import Identifier, PaperMetadata

SOURCE_LABELS = {"arxiv": "arXiv", "crossref": "Crossref"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def identifier_from_text(text: str) -> Identifier | None:
    """The arXiv id (any id, URL or arXiv DOI) or else the DOI in what a person pasted."""
    text = text.strip()[:2000]
    if not text:
        return None
    arxiv_id = arxiv_id_from_url(text)
    if arxiv_id:
        return Identifier(kind="arxiv", value=arxiv_id)
    doi = doi_from_text(text)
    return Identifier(kind="doi", value=doi[:255]) if doi else None


def identifier_of(arxiv_id: str | None, doi: str | None) -> Identifier | None:
    if arxiv_id:
        return Identifier(kind="arxiv", value=arxiv_id)
    if doi:
        return identifier_from_text(doi)  # an arXiv DOI is answered by arXiv
    return None


def describe(identifier: Identifier) -> str:
    return f"arXiv {identifier.value}" if identifier.kind == "arxiv" else f"DOI {identifier.value}"


def fetch_record(session: Session, settings: Settings, identifier: Identifier) -> PaperMetadata:
    """The source's record; InvalidInput when it has no such paper (FetchingOff, SourceUnavailable pass)."""
    record = metadata.look_up_one(session, settings, identifier)
    if record is None:
        field = "arxiv_id" if identifier.kind == "arxiv" else "doi"
        source = "arXiv" if identifier.kind == "arxiv" else "Crossref"
        raise InvalidInput(
            f"{source} has no paper with {describe(identifier)}.",
            fields={field: f"{source} has no paper with this identifier."},
        )
    return record


def _line(value: str | None, limit: int) -> str | None:
    if not value:
        return None
    return " ".join(_CONTROL_RE.sub(" ", value).split())[:limit].strip() or None


def paper_fields(record: PaperMetadata) -> dict[str, Any]:
    """The record as catalogue fields (only those it knows), cut to the lengths the catalogue stores."""
    fields: dict[str, Any] = {
        "title": _line(record.title, 500),
        "authors": [name for author in record.authors[:MAX_AUTHORS] if (name := _line(author, 200))],
        "summary": _line(record.abstract, MAX_SUMMARY_CHARS),
        "year": record.year if record.year and 1900 <= record.year <= 2100 else None,
        "published": record.published_month,
        "venue": _line(record.venue, 200),
        "url": record.url,
        "pdf_url": record.pdf_url,
        "arxiv_id": record.arxiv_id,
        "doi": record.doi,
    }
    return {name: value for name, value in fields.items() if value}


def form_values(record: PaperMetadata) -> dict[str, str]:
    """The fields as the add form shows them (authors one per line)."""
    fields = paper_fields(record)
    values = {name: str(value) for name, value in fields.items() if name not in {"authors", "published"}}
    values["authors"] = "\n".join(fields.get("authors", []))
    return values


def complete_paper(
    session: Session, settings: Settings, data: PaperAdd
) -> tuple[PaperCreate, dict[str, str]]:
    """A paper to create from what was sent; without a title, the rest comes from the identifier's source.

    Returns the paper and {field: source} for the fields the source filled (what was sent always wins).
    """
    sent = data.model_dump(exclude_unset=True, exclude_none=True)
    if data.title is not None:
        return PaperCreate.model_validate(sent), {}
    identifier = identifier_of(data.arxiv_id, data.doi)
    if identifier is None:
        raise InvalidInput(
            "Give the paper's title, or an arXiv id or DOI to fill it from.",
            fields={"title": "Field required unless an arXiv id or DOI is given."},
        )
    record = fetch_record(session, settings, identifier)
    filled = {name: value for name, value in paper_fields(record).items() if name not in sent}
    return PaperCreate.model_validate({**filled, **sent}), dict.fromkeys(filled, record.source)

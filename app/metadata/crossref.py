"""Crossref's REST API: the record of a DOI (``/works/{doi}``), documented at https://api.crossref.org."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from app.config import Settings
from app.metadata.errors import SourceUnavailable
from app.metadata.http import polite_client
from app.metadata.schemas import IdentifierKind, PaperMetadata

NAME = "Crossref"
_TAG_RE = re.compile(r"<[^>]+>")
_ARXIV_DOI_PREFIX = "10.48550/arxiv."
_DATE_FIELDS = ("published-print", "published-online", "published", "issued", "created")


def _first(values: Any) -> str | None:
    if isinstance(values, list) and values and isinstance(values[0], str):
        return " ".join(values[0].split()) or None
    return None


def _author(author: dict[str, Any]) -> str | None:
    name = " ".join(part for part in (author.get("given"), author.get("family")) if isinstance(part, str))
    name = name or author.get("name") or ""
    return " ".join(str(name).split()) or None


def _date(work: dict[str, Any]) -> str | None:
    for field in _DATE_FIELDS:
        parts = (work.get(field) or {}).get("date-parts") or [[]]
        numbers = [number for number in parts[0] if isinstance(number, int)]
        if numbers:
            return "-".join(f"{number:02d}" if i else str(number) for i, number in enumerate(numbers[:3]))
    return None


def _abstract(work: dict[str, Any]) -> str | None:
    raw = work.get("abstract")
    if not isinstance(raw, str):
        return None
    # Crossref abstracts are JATS XML: drop the markup and the leading "Abstract" heading.
    text = " ".join(html.unescape(_TAG_RE.sub(" ", raw)).split())
    return text.removeprefix("Abstract ").strip() or None


def _arxiv_id(work: dict[str, Any]) -> str | None:
    for relation in (work.get("relation") or {}).get("has-preprint", []):
        ident = str(relation.get("id", "")).lower()
        if relation.get("id-type") == "arxiv":
            return ident.removeprefix("arxiv:") or None
        if ident.startswith(_ARXIV_DOI_PREFIX):
            return ident[len(_ARXIV_DOI_PREFIX) :] or None
    return None


def parse_work(payload: Any) -> PaperMetadata | None:
    """The record in a ``/works/{doi}`` answer, or None when it names no titled work."""
    if not isinstance(payload, dict) or not isinstance(payload.get("message"), dict):
        raise SourceUnavailable(NAME, "its answer was not a work record")
    work: dict[str, Any] = payload["message"]
    title = _first(work.get("title"))
    doi = work.get("DOI")
    if title is None or not isinstance(doi, str):
        return None
    date = _date(work)
    pdf = next(
        (
            link.get("URL")
            for link in work.get("link") or []
            if isinstance(link, dict) and link.get("content-type") == "application/pdf"
        ),
        None,
    )
    return PaperMetadata(
        source="crossref",
        arxiv_id=_arxiv_id(work),
        doi=doi.lower(),
        title=title,
        authors=[name for author in work.get("author") or [] if (name := _author(author))],
        abstract=_abstract(work),
        year=int(date[:4]) if date else None,
        published_date=date,
        venue=_first(work.get("container-title")),
        url=f"https://doi.org/{doi.lower()}",
        pdf_url=pdf if isinstance(pdf, str) and pdf.startswith("https://") else None,
    )


class CrossrefSource:
    """DOIs (lower-cased) to records, one request each: Crossref has no batch lookup by DOI."""

    name = "crossref"
    kind: IdentifierKind = "doi"
    batch_size = 1

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fetch(self, keys: Sequence[str]) -> dict[str, PaperMetadata | None]:
        answers: dict[str, PaperMetadata | None] = {}
        with polite_client(
            self.settings, source=NAME, base_url=self.settings.metadata_crossref_url, interval=0.0
        ) as client:
            for doi in keys:
                response = client.get(f"/works/{quote(doi, safe='/')}")
                if response.status_code == 404:
                    answers[doi] = None
                    continue
                try:
                    payload = response.json()
                except ValueError as exc:
                    raise SourceUnavailable(NAME, "its answer was not JSON") from exc
                answers[doi] = parse_work(payload)
        return answers

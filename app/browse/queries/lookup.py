"""lookup_paper: find the catalogued paper an arXiv id, DOI, URL or title names, before creating it again."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.browse.queries.summaries import load_summaries
from app.catalog.identifiers import (
    arxiv_id_from_url,
    canonical_url,
    doi_from_text,
    normalise_arxiv_id,
    normalise_title,
)
from app.catalog.models import Paper
from app.catalog.schemas import LookupParams, PaperLookup
from app.errors import InvalidInput
from app.translatable import N_

MatchedBy = Literal["arxiv_id", "doi", "url", "title"]
IdentifierKind = Literal["arxiv_id", "doi", "url"]
_LINK_PREFIXES = ("http://", "https://", "www.", "arxiv.org/", "doi.org/", "dx.doi.org/")


def _parsed(parse: Callable[[str], str | None], text: str) -> str | None:
    """PARSE(TEXT), or None when the text is not even a well-formed URL (urlsplit raises on some)."""
    try:
        return parse(text)
    except ValueError:
        return None


def _conditions(params: LookupParams) -> list[tuple[MatchedBy, ColumnElement[bool]]]:
    """The identifiers in the order they are trusted, each as a condition on papers; bad ones are refused."""
    found: list[tuple[MatchedBy, ColumnElement[bool]]] = []
    if params.arxiv_id:
        arxiv = _parsed(normalise_arxiv_id, params.arxiv_id)
        if arxiv is None:
            message = N_("Not an arXiv identifier (expected e.g. 2005.14165 or an arxiv.org URL).")
            raise InvalidInput(message, fields={"arxiv_id": message})
        found.append(("arxiv_id", Paper.arxiv_id == arxiv))
    if params.doi:
        doi = _parsed(doi_from_text, params.doi)
        if doi is None:
            message = N_("Not a DOI (expected e.g. 10.1145/3442188.3445922 or a doi.org URL).")
            raise InvalidInput(message, fields={"doi": message})
        found.append(("doi", Paper.doi == doi))
        arxiv_from_doi = _parsed(arxiv_id_from_url, doi)
        if arxiv_from_doi:
            found.append(("doi", Paper.arxiv_id == arxiv_from_doi))
    if params.url:
        url = params.url.strip()
        arxiv = _parsed(arxiv_id_from_url, url)
        if arxiv:
            found.append(("url", Paper.arxiv_id == arxiv))
        doi = _parsed(doi_from_text, url)
        if doi:
            found.append(("url", Paper.doi == doi))
        spellings = sorted({url, _parsed(canonical_url, url) or url})
        found.append(("url", Paper.url.in_(spellings)))
    if params.title:
        key = normalise_title(params.title)[:500]
        if not key:
            message = N_("The title has no letters or digits.")
            raise InvalidInput(message, fields={"title": message})
        found.append(("title", Paper.title_key == key))
    return found


def lookup_paper(session: Session, params: LookupParams) -> PaperLookup:
    """The paper the strongest identifier finds (arXiv id, DOI, URL, then title), or none."""
    for matched_by, condition in _conditions(params):
        paper_id = session.scalar(select(Paper.id).where(condition).order_by(Paper.id).limit(1))
        if paper_id is not None:
            return PaperLookup(paper=load_summaries(session, [paper_id])[0], matched_by=matched_by)
    return PaperLookup(paper=None, matched_by=None)


def _identifier_conditions(text: str) -> list[tuple[IdentifierKind, ColumnElement[bool]]]:
    found: list[tuple[IdentifierKind, ColumnElement[bool]]] = []
    lowered = text.lower()
    if lowered.startswith(_LINK_PREFIXES):
        url = text if "://" in text else f"https://{text}"
        arxiv = _parsed(arxiv_id_from_url, url)
        if arxiv:
            found.append(("arxiv_id", Paper.arxiv_id == arxiv))
        doi = _parsed(doi_from_text, url)
        if doi:
            found.append(("doi", Paper.doi == doi))
        spellings = sorted({text, url, _parsed(canonical_url, url) or url})
        found.append(
            ("url", Paper.url.in_(spellings) | Paper.pdf_url.in_(spellings) | Paper.code_url.in_(spellings))
        )
        return found
    arxiv = _parsed(normalise_arxiv_id, text)
    if arxiv:
        found.append(("arxiv_id", Paper.arxiv_id == arxiv))
    if lowered.startswith(("10.", "doi:", "doi ")):
        doi = _parsed(doi_from_text, text)
        if doi:
            found.append(("doi", Paper.doi == doi))
            arxiv_from_doi = _parsed(arxiv_id_from_url, doi)
            if arxiv_from_doi:
                found.append(("doi", Paper.arxiv_id == arxiv_from_doi))
    return found


def paper_named_by(session: Session, query: str) -> tuple[int, IdentifierKind] | None:
    """The paper a search box query names by an arXiv id (any form), a DOI (or doi.org URL) or a link."""
    text = query.strip()
    # An identifier has no spaces, except after its scheme: "arXiv: 1706.03762", "doi 10.1145/…".
    if text.lower().startswith(("arxiv", "doi")):
        text = re.sub(r"^(arxiv|doi)\s*([:：]?)\s*", r"\1\2", text, flags=re.IGNORECASE)
        if text.lower().startswith("doi") and not text.lower().startswith("doi:"):
            text = "doi:" + text[3:]
    if not text or any(char.isspace() for char in text):
        return None
    for kind, condition in _identifier_conditions(text):
        paper_id = session.scalar(select(Paper.id).where(condition).order_by(Paper.id).limit(1))
        if paper_id is not None:
            return paper_id, kind
    return None

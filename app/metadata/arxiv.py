"""The arXiv API (an Atom feed): records for batches of ids, and a title search.

Documented at https://info.arxiv.org/help/api/user-manual.html; arXiv asks for one request every three
seconds, so ids go many to a request through ``id_list``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # parses arXiv's feed; expat expands no external entities
from collections.abc import Sequence

from app.config import Settings
from app.metadata.errors import SourceUnavailable
from app.metadata.http import polite_client
from app.metadata.schemas import IdentifierKind, PaperMetadata

NAME = "arXiv"
BATCH_SIZE = 50
TITLE_MATCHES = 5
_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_ABS_ID_RE = re.compile(r"/abs/(?P<id>.+?)(?:v\d+)?$")
_QUERY_UNSAFE_RE = re.compile(r"[^\w\s-]+")


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return " ".join(element.text.split()) or None


def _entry_id(entry: ET.Element) -> str | None:
    match = _ABS_ID_RE.search(_text(entry.find("atom:id", _NS)) or "")
    return match["id"] if match else None


def _record(entry: ET.Element) -> PaperMetadata | None:
    arxiv_id = _entry_id(entry)
    title = _text(entry.find("atom:title", _NS))
    if arxiv_id is None or title is None:
        return None  # an error entry ("incorrect id format") or an empty one
    published = _text(entry.find("atom:published", _NS)) or ""
    date = published[:10] if re.match(r"^\d{4}-\d\d-\d\d", published) else None
    primary = entry.find("arxiv:primary_category", _NS)
    categories = [primary.get("term", "")] if primary is not None else []
    categories += [item.get("term", "") for item in entry.findall("atom:category", _NS)]
    pdf = next(
        (link.get("href") for link in entry.findall("atom:link", _NS) if link.get("title") == "pdf"), None
    )
    doi = _text(entry.find("arxiv:doi", _NS))
    return PaperMetadata(
        source="arxiv",
        arxiv_id=arxiv_id,
        doi=doi.lower() if doi else None,
        title=title,
        authors=[
            name
            for author in entry.findall("atom:author", _NS)
            if (name := _text(author.find("atom:name", _NS)))
        ],
        abstract=_text(entry.find("atom:summary", _NS)),
        year=int(date[:4]) if date else None,
        published_date=date,
        venue=_text(entry.find("arxiv:journal_ref", _NS)),
        categories=list(dict.fromkeys(term for term in categories if term)),
        url=f"https://arxiv.org/abs/{arxiv_id}",
        pdf_url=(pdf or f"https://arxiv.org/pdf/{arxiv_id}").replace("http://", "https://", 1),
    )


def parse_feed(text: str) -> list[PaperMetadata]:
    """The records in an arXiv API answer, in feed order; error entries are left out."""
    try:
        root = ET.fromstring(text)  # noqa: S314 - see the import
    except ET.ParseError as exc:
        raise SourceUnavailable(NAME, "its answer was not a readable feed") from exc
    return [record for entry in root.findall("atom:entry", _NS) if (record := _record(entry))]


class ArxivSource:
    """arXiv ids (canonical, without version) to records."""

    name = "arxiv"
    kind: IdentifierKind = "arxiv"
    batch_size = BATCH_SIZE

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _query(self, params: dict[str, str]) -> list[PaperMetadata]:
        with polite_client(
            self.settings,
            source=NAME,
            base_url=self.settings.metadata_arxiv_url,
            interval=self.settings.metadata_arxiv_interval_seconds,
        ) as client:
            response = client.get("", params)
        return [] if response.status_code == 404 else parse_feed(response.text)

    def fetch(self, keys: Sequence[str]) -> dict[str, PaperMetadata | None]:
        records = self._query({"id_list": ",".join(keys), "max_results": str(len(keys))})
        found = {record.arxiv_id: record for record in records}
        return {key: found.get(key) for key in keys}

    def search_title(self, words: str) -> list[PaperMetadata]:
        """Papers whose title has WORDS (from title_words) as a phrase: candidates, to be checked."""
        if not words:
            return []
        return self._query({"search_query": f'ti:"{words}"', "max_results": str(TITLE_MATCHES)})


def title_words(title: str) -> str:
    """A title as the words of a phrase query: lower case, punctuation dropped, hyphenated words kept."""
    return " ".join(_QUERY_UNSAFE_RE.sub(" ", title).lower().split())

"""RIS, the tagged format reference managers (Zotero, EndNote, Mendeley) import: one record per paper."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from app.exporting.records import ExportPaper, venue_kind
from app.exporting.text import one_line
from app.note_text import note_plain_text

# The specification caps a field at 255 characters except abstracts and notes.
_SHORT_FIELD = 255


_RECORD_TYPES = {"none": "GEN", "preprint": "UNPB", "journal": "JOUR", "conference": "CONF"}


def _line(tag: str, value: str, *, limit: int | None = _SHORT_FIELD) -> str:
    text = one_line(value)
    return f"{tag}  - {text[:limit] if limit else text}\r\n"


def format_record(paper: ExportPaper) -> str:
    lines = [_line("TY", _RECORD_TYPES[venue_kind(paper.venue)]), _line("TI", paper.title)]
    lines += [_line("AU", name) for name in paper.authors]
    if paper.year:
        lines.append(_line("PY", str(paper.year)))
    if paper.published:
        lines.append(_line("DA", paper.published.replace("-", "/") + "//"))
    if paper.venue:
        lines.append(_line("T2", paper.venue))
    if paper.doi:
        lines.append(_line("DO", paper.doi))
    if paper.best_url:
        lines.append(_line("UR", paper.best_url, limit=None))
    if paper.pdf_url:
        lines.append(_line("L1", paper.pdf_url, limit=None))
    if paper.arxiv_id:
        lines.append(_line("AN", f"arXiv:{paper.arxiv_id}"))
    lines += [_line("KW", tag) for tag in paper.tags]
    if paper.summary:
        lines.append(_line("AB", note_plain_text(paper.summary), limit=None))
    notes = [note_plain_text(note) for note in paper.notes]
    lines += [_line("N1", note, limit=None) for note in notes if one_line(note)]
    lines.append("ER  - \r\n")
    return "".join(lines)


def to_ris(papers: Iterable[ExportPaper]) -> Iterator[str]:
    for paper in papers:
        yield format_record(paper) + "\r\n"

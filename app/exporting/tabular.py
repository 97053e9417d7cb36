"""CSV (UTF-8 with BOM so spreadsheet apps read Chinese, formulas defused) and JSON, both streamed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from app.exporting.records import ExportPaper
from app.note_text import note_plain_text

BOM = "\ufeff"
CSV_COLUMNS = (
    "id",
    "slug",
    "title",
    "short_name",
    "authors",
    "year",
    "published",
    "venue",
    "arxiv_id",
    "doi",
    "url",
    "pdf_url",
    "code_url",
    "categories",
    "tags",
    "importance",
    "rating_avg",
    "rating_count",
    "summary",
    "notes",
)
# A cell starting with one of these is run as a formula by spreadsheet apps (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LIST_SEPARATOR = "; "


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = _LIST_SEPARATOR.join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_row(paper: ExportPaper) -> list[str]:
    values = {
        "rating_avg": round(paper.rating_avg, 2) if paper.rating_avg is not None else None,
        "summary": note_plain_text(paper.summary) or None,
        "notes": " | ".join(note_plain_text(note) for note in paper.notes) if paper.notes else None,
    }
    return [_cell(values[name] if name in values else getattr(paper, name)) for name in CSV_COLUMNS]


def to_csv(papers: Iterable[ExportPaper]) -> Iterator[str]:
    """A header and one row per paper; cells with commas, quotes or newlines are quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield BOM + buffer.getvalue()
    for paper in papers:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(csv_row(paper))
        yield buffer.getvalue()


def json_object(paper: ExportPaper) -> dict[str, Any]:
    return {
        "id": paper.id,
        "slug": paper.slug,
        "title": paper.title,
        "short_name": paper.short_name,
        "authors": paper.authors,
        "year": paper.year,
        "published": paper.published,
        "venue": paper.venue,
        "arxiv_id": paper.arxiv_id,
        "doi": paper.doi,
        "url": paper.url,
        "pdf_url": paper.pdf_url,
        "code_url": paper.code_url,
        "categories": paper.categories,
        "tags": paper.tags,
        "importance": paper.importance,
        "rating_avg": paper.rating_avg,
        "rating_count": paper.rating_count,
        "summary": paper.summary,
        "notes": paper.notes,
        "created_at": paper.created_at,
        "updated_at": paper.updated_at,
    }


def to_json(papers: Iterable[ExportPaper]) -> Iterator[str]:
    """A JSON array written one paper at a time."""
    yield "["
    for index, paper in enumerate(papers):
        prefix = "," if index else ""
        yield prefix + "\n" + orjson.dumps(json_object(paper), option=orjson.OPT_UTC_Z).decode()
    yield "\n]\n"

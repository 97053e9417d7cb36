"""Imports write in bulk: a list with duplicates, papers of other lists and Chinese gives the catalogue it
always gave (the expected snapshot was taken from the importer that wrote paper by paper)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.catalog.models import Author, Paper, PaperAuthor, PaperCategory, PaperTag
from app.config import PROJECT_ROOT
from app.importing.classification import ImportRules, load_import_rules
from app.importing.models import Source, SourceEntry
from app.importing.service import ListToImport, import_list
from app.search.sync import index_pending, reindex_all
from app.taxonomy.models import Category, Tag

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = FIXTURES / "mixed_bulk_expected.json"
LIMIT = 1024 * 1024
# Written by the importer, or the same on every run: what the snapshot compares.
PAPER_COLUMNS = (
    "slug", "title", "title_key", "short_name", "url", "pdf_url", "code_url", "arxiv_id", "doi", "year",
    "published", "venue", "summary", "importance", "rating_count", "is_curated",
)  # fmt: skip
ENTRY_COLUMNS = (
    "entry_key", "section_path", "position", "section_position", "line", "list_number", "title", "note",
    "stars", "fields", "raw_markdown", "raw_original", "uncertain_chars", "is_present",
)  # fmt: skip


@pytest.fixture(scope="module")
def rules() -> ImportRules:
    return load_import_rules(PROJECT_ROOT / "seeds")


def _import(db: Session, rules: ImportRules, path: Path, name: str) -> dict[str, Any]:
    upload = ListToImport(name=name, content=path.read_bytes())
    report = import_list(db, upload, rules=rules, max_bytes=LIMIT).model_dump(mode="json")
    report.pop("duration_ms")
    report.pop("run_id")
    for item in report["entries_disappeared"]:
        item.pop("paper_id")  # an id, not the same from one database to the next
    return report


def _import_everything(db: Session, rules: ImportRules) -> list[dict[str, Any]]:
    seeds = sorted((PROJECT_ROOT / "seeds").glob("*.md"))
    reports = [_import(db, rules, path, path.stem) for path in seeds]
    reports.append(_import(db, rules, FIXTURES / "mixed_bulk.md", "mixed"))
    reports.append(_import(db, rules, FIXTURES / "chinese_ranked_tables.md", "mixed-again"))
    reports.append(_import(db, rules, FIXTURES / "mixed_bulk_v2.md", "mixed"))
    return reports


def catalogue_snapshot(db: Session) -> dict[str, Any]:
    slugs = dict(db.execute(select(Paper.id, Paper.slug)).all())
    links: dict[str, dict[str, list[str]]] = {
        slug: {"authors": [], "categories": [], "tags": []} for slug in slugs.values()
    }
    for paper_id, name in db.execute(
        select(PaperAuthor.paper_id, Author.name)
        .join(Author)
        .order_by(PaperAuthor.paper_id, PaperAuthor.position)
    ):
        links[slugs[paper_id]]["authors"].append(name)
    for paper_id, slug in db.execute(select(PaperCategory.paper_id, Category.slug).join(Category)):
        links[slugs[paper_id]]["categories"].append(slug)
    for paper_id, slug in db.execute(select(PaperTag.paper_id, Tag.slug).join(Tag)):
        links[slugs[paper_id]]["tags"].append(slug)
    papers = [
        {
            **dict(zip(PAPER_COLUMNS, row, strict=True)),
            **{k: sorted(v) if k != "authors" else v for k, v in links[row[0]].items()},
        }
        for row in db.execute(select(*(getattr(Paper, name) for name in PAPER_COLUMNS)).order_by(Paper.id))
    ]
    sources = dict(db.execute(select(Source.id, Source.name)).all())
    entries = [
        {
            "source": sources[row[0]],
            "paper": slugs.get(row[1]),
            **dict(zip(ENTRY_COLUMNS, row[2:], strict=True)),
        }
        for row in db.execute(
            select(
                SourceEntry.source_id,
                SourceEntry.paper_id,
                *(getattr(SourceEntry, name) for name in ENTRY_COLUMNS),
            )
            .where(SourceEntry.source_id.in_([i for i, name in sources.items() if name.startswith("mixed")]))
            .order_by(SourceEntry.id)
        )
    ]
    return {
        "papers": papers,
        "entries": entries,
        "authors": sorted(db.scalars(select(Author.name_key))),
        "tags": [
            list(row) for row in db.execute(select(Tag.slug, Tag.name, Tag.paper_count).order_by(Tag.id))
        ],
        "categories": [
            list(row) for row in db.execute(select(Category.slug, Category.paper_count).order_by(Category.id))
        ],
        "sources": [
            list(row)
            for row in db.execute(
                select(Source.name, Source.title, Source.format, Source.entry_count).order_by(Source.id)
            )
        ],
    }


def _search_index(db: Session) -> list[tuple[Any, ...]]:
    if db.get_bind().dialect.name == "sqlite":
        query = (
            "SELECT p.slug, f.title, f.labels, f.authors, f.body "
            "FROM paper_fts f JOIN papers p ON p.id = f.rowid"
        )
    else:
        query = "SELECT p.slug, d.document::text FROM search_documents d JOIN papers p ON p.id = d.paper_id"
    return sorted(tuple(row) for row in db.execute(text(query)))


def test_bulk_import_gives_the_catalogue_the_importer_always_gave(db: Session, rules: ImportRules) -> None:
    reports = _import_everything(db, rules)
    found = {"reports": reports, **catalogue_snapshot(db)}
    if os.environ.get("WRITE_IMPORT_SNAPSHOT"):
        EXPECTED.write_text(
            json.dumps(found, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert json.loads(json.dumps(found, sort_keys=True)) == expected


def test_bulk_import_keeps_the_search_index_in_step(db: Session, rules: ImportRules) -> None:
    _import_everything(db, rules)
    db.flush()
    index_pending(db)  # what a commit does
    written = _search_index(db)
    reindex_all(db)
    assert written == _search_index(db)

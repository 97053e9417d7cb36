"""Filling the empty fields of catalogued papers from arXiv and Crossref (`papers enrich`).

Three steps, so that no database lock is held while a source is asked: plan (which papers miss which
fields), find (a record per paper, by its identifier or else by an exact title match on arXiv), apply (fill
what is still empty, in one transaction). A field that has a value is never touched, whoever set it; what is
filled is recorded in paper_field_sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, select
from sqlalchemy.orm import Session

from app.catalog.field_sources import record_field_sources
from app.catalog.filling import identifier_of, paper_fields
from app.catalog.identifiers import normalise_title
from app.catalog.models import Paper, PaperAuthor
from app.catalog.service import set_authors
from app.config import Settings
from app.metadata import service as metadata
from app.metadata.errors import SourceUnavailable
from app.metadata.schemas import Identifier, PaperMetadata

# What `--missing` may name; "abstract" is kept in the paper's summary.
FIELDS = ("authors", "abstract", "year", "published", "venue", "url", "pdf_url", "doi", "arxiv_id")
_COLUMNS = {"abstract": "summary"}
LOOKUP_BATCH = 50


def column_of(name: str) -> str:
    return _COLUMNS.get(name, name)


@dataclass(frozen=True)
class Candidate:
    paper_id: int
    title: str
    identifier: Identifier | None


@dataclass
class Outcome:
    record: PaperMetadata | None = None
    failure: str | None = None
    by_title: bool = False


@dataclass
class EnrichmentReport:
    filled: int = 0
    unchanged: int = 0
    not_found: int = 0
    failed: int = 0
    found_by_title: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _missing(name: str) -> ColumnElement[bool]:
    if name == "authors":
        return ~exists().where(PaperAuthor.paper_id == Paper.id)
    column = getattr(Paper, column_of(name))
    return or_(column.is_(None), column == "") if name != "year" else column.is_(None)


def plan(session: Session, fields: Collection[str], *, limit: int | None = None) -> list[Candidate]:
    """The papers missing any of FIELDS, by id."""
    condition = or_(false(), *(_missing(name) for name in fields))
    statement = select(Paper.id, Paper.title, Paper.arxiv_id, Paper.doi).where(condition).order_by(Paper.id)
    if limit is not None:
        statement = statement.limit(limit)
    return [
        Candidate(paper_id, title, identifier_of(arxiv_id, doi))
        for paper_id, title, arxiv_id, doi in session.execute(statement)
    ]


def _by_title(session: Session, settings: Settings, title: str) -> Outcome:
    key = normalise_title(title)
    if not key:
        return Outcome()
    for record in metadata.search_arxiv_titles(session, settings, title):
        if normalise_title(record.title) == key:
            return Outcome(record=record, by_title=True)
    return Outcome()


def find_records(
    session: Session,
    settings: Settings,
    candidates: Sequence[Candidate],
    *,
    advance: Callable[[int], None] | None = None,
) -> dict[int, Outcome]:
    """An outcome per paper: its record, nothing found, or why the source failed (FetchingOff propagates)."""
    outcomes: dict[int, Outcome] = {}
    identified = [candidate for candidate in candidates if candidate.identifier is not None]
    for start in range(0, len(identified), LOOKUP_BATCH):
        batch = identified[start : start + LOOKUP_BATCH]
        try:
            records = metadata.look_up(session, settings, [c.identifier for c in batch if c.identifier])
        except SourceUnavailable as exc:
            outcomes.update((c.paper_id, Outcome(failure=exc.detail)) for c in batch)
        else:
            outcomes.update(
                (c.paper_id, Outcome(record=records[c.identifier])) for c in batch if c.identifier
            )
        if advance:
            advance(len(batch))
    for candidate in candidates:
        if candidate.identifier is not None:
            continue
        try:
            outcomes[candidate.paper_id] = _by_title(session, settings, candidate.title)
        except SourceUnavailable as exc:
            outcomes[candidate.paper_id] = Outcome(failure=exc.detail)
        if advance:
            advance(1)
    return outcomes


def lookup_units(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """The candidates grouped as one request each: arXiv ids many to a request, DOIs and titles one each."""
    by_arxiv = [c for c in candidates if c.identifier is not None and c.identifier.kind == "arxiv"]
    units = [by_arxiv[start : start + LOOKUP_BATCH] for start in range(0, len(by_arxiv), LOOKUP_BATCH)]
    return units + [[c] for c in candidates if c.identifier is None or c.identifier.kind != "arxiv"]


def _taken(session: Session, name: str, value: str, paper_id: int) -> bool:
    column = getattr(Paper, name)
    return session.scalar(select(Paper.id).where(column == value, Paper.id != paper_id).limit(1)) is not None


def _fill(session: Session, paper: Paper, record: PaperMetadata, fields: Collection[str]) -> list[str]:
    """Fill FIELDS of PAPER that are still empty from RECORD; the names (as `--missing` says them) filled."""
    values: dict[str, Any] = paper_fields(record)
    filled = []
    for name in fields:
        value = values.get(column_of(name))
        if not value:
            continue
        if name == "authors":
            if session.scalar(select(exists().where(PaperAuthor.paper_id == paper.id))):
                continue
            set_authors(session, paper, value)
        else:
            column = column_of(name)
            if getattr(paper, column) not in (None, ""):
                continue
            if name == "published" and paper.year and not str(value).startswith(str(paper.year)):
                continue  # the lists date this paper otherwise (a later version, a conference year)
            if name in ("arxiv_id", "doi") and _taken(session, name, value, paper.id):
                continue  # another paper holds it: a likely duplicate, for an editor to merge
            setattr(paper, column, value)
        filled.append(name)
    return filled


def apply(
    session: Session,
    outcomes: dict[int, Outcome],
    fields: Collection[str],
) -> EnrichmentReport:
    """Fill what is still empty, in the caller's transaction; the counts for the summary."""
    report = EnrichmentReport()
    wanted = [name for name in FIELDS if name in fields]
    papers = {paper.id: paper for paper in session.scalars(select(Paper).where(Paper.id.in_(list(outcomes))))}
    for paper_id, outcome in sorted(outcomes.items()):
        paper = papers.get(paper_id)
        if outcome.failure is not None or paper is None:
            report.failed += 1
            if outcome.failure and outcome.failure not in report.failures:
                report.failures.append(outcome.failure)
            continue
        if outcome.record is None:
            report.not_found += 1
            continue
        # A title match gives the paper its arXiv id too: that is what later look-ups go by.
        names = [*wanted, "arxiv_id"] if outcome.by_title and "arxiv_id" not in wanted else wanted
        filled = _fill(session, paper, outcome.record, names)
        if filled:
            report.filled += 1
            report.found_by_title += outcome.by_title
            report.fields.update(filled)
            columns = [column_of(name) for name in filled]
            record_field_sources(session, paper.id, dict.fromkeys(columns, outcome.record.source))
        else:
            report.unchanged += 1
    session.flush()
    return report


def enrich(
    session: Session,
    settings: Settings,
    fields: Collection[str] = FIELDS,
    *,
    limit: int | None = None,
    advance: Callable[[int], None] | None = None,
) -> EnrichmentReport:
    """Plan, find and apply in one session (the CLI splits the steps to keep its write transaction short)."""
    candidates = plan(session, fields, limit=limit)
    return apply(session, find_records(session, settings, candidates, advance=advance), fields)

"""The one import service: a list's text in, papers and provenance upserted, a report out.

Used alike by seeding, `papers import`, the API and the upload page. It flushes but never commits, so the
caller's transaction makes the whole import atomic.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.accounts.permissions import require_role
from app.db import utcnow
from app.errors import InvalidInput, NotFound, PayloadTooLarge
from app.importing.classification import ImportRules
from app.importing.models import EntryKindChoice, ImportRun, ListResource, Source, SourceEntry
from app.importing.parsing import parse_markdown
from app.importing.records import normalise_entry
from app.importing.repair import RepairReport, repair_text
from app.importing.resources import editor_choices, sort_entries, write_resources
from app.importing.schemas import (
    SOURCE_NAME_PATTERN,
    ImportReport,
    KindChoice,
    RepairSummary,
    WarningItem,
)
from app.importing.upsert import CatalogueWriter
from app.translatable import N_

# Part of every list's content hash: raise it when parsing or merging changes, so seeding re-imports.
IMPORTER_REVISION = "2"
_SOURCE_NAME = re.compile(SOURCE_NAME_PATTERN)


@dataclass(frozen=True)
class ListToImport:
    name: str
    content: bytes
    title: str | None = None
    origin: str | None = None
    language: str | None = None


def decode_list(content: bytes, *, max_bytes: int) -> str:
    """The list as text, or a clear error for what is too large or not UTF-8 text."""
    if len(content) > max_bytes:
        raise PayloadTooLarge(
            f"The list is {len(content):,} bytes; the limit is {max_bytes:,} bytes.",
            extra={"limit": max_bytes},
        )
    if b"\x00" in content:
        raise InvalidInput(
            N_("This is not a text file (it contains NUL bytes)."), fields={"file": N_("Not text.")}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The list is not UTF-8 text (byte {exc.start} cannot be decoded).",
            fields={"file": N_("Save the list as UTF-8 and try again.")},
        ) from exc
    if not text.strip():
        raise InvalidInput(N_("The list is empty."), fields={"file": N_("Empty.")})
    return text


def content_hash(content: bytes) -> str:
    return hashlib.sha256(IMPORTER_REVISION.encode() + b"\0" + content).hexdigest()


def _validated_name(name: str) -> str:
    if not _SOURCE_NAME.fullmatch(name):
        raise InvalidInput(
            "A list's name is 1–80 lower-case letters, digits, '.', '-' or '_'.",
            fields={"name": N_("Lower-case letters, digits, '.', '-' or '_' (at most 80).")},
        )
    return name


def _unchanged_report(session: Session, source: Source, started: float) -> ImportReport:
    counted = select(func.count(ListResource.id)).where(ListResource.source_id == source.id)
    resources = int(session.scalar(counted) or 0)
    return ImportReport(
        source=source.name,
        title=source.title,
        status="unchanged",
        formats=source.format.split(","),
        entries=source.entry_count + resources,
        papers=0,
        entries_unchanged=source.entry_count,
        resources_total=resources,
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def import_list(
    session: Session,
    upload: ListToImport,
    *,
    rules: ImportRules,
    max_bytes: int,
    imported_by: User | None = None,
    force: bool = False,
) -> ImportReport:
    """Import one list; an unchanged list (same bytes, same importer) changes nothing unless FORCE."""
    started = time.perf_counter()
    name = _validated_name(upload.name)
    text = decode_list(upload.content, max_bytes=max_bytes)
    digest = content_hash(upload.content)
    # Repaired, parsed and normalised before the first statement: in a writing transaction that statement
    # takes SQLite's write lock, which should not be held through the parser.
    repair = repair_text(text)
    parsed = parse_markdown(repair.text)
    warnings = [WarningItem(line=w.line, code=w.code, message=w.message) for w in parsed.warnings]
    if not parsed.entries:
        raise InvalidInput(
            "No paper entries were found: this does not look like a list of papers "
            "(tables of papers, numbered references or bulleted links).",
            fields={"file": N_("No entries found.")},
        )
    records = [normalise_entry(entry) for entry in parsed.entries]

    source = session.scalar(select(Source).where(Source.name == name))
    if source is not None and source.content_hash == digest and not force:
        return _unchanged_report(session, source, started)
    title = upload.title or parsed.title or name
    status = "updated" if source is not None else "created"
    if source is None:
        source = Source(name=name, title=title[:300], format="", content_hash="")
        session.add(source)
    source.title = title[:300]
    source.origin = upload.origin or source.origin
    source.language = upload.language or source.language
    source.format = ",".join(parsed.formats) or "unknown"
    source.repaired_from = repair.codepage
    source.content = text
    session.flush()

    kinds = sort_entries(session, records, editor_choices(session, source))
    writer = CatalogueWriter(session, source, rules, text, repair)
    changes = writer.write(kinds.paper_groups, kinds.paper_keys)
    resources = write_resources(session, source, kinds.resources)

    source.content_hash = digest
    # Resources are not the catalogue's: a list counts the entries that are papers.
    source.entry_count = len(kinds.papers)
    source.last_imported_at = utcnow()
    result = ImportReport(
        source=name,
        title=source.title,
        status=status,
        formats=list(parsed.formats),
        entries=len(records),
        warnings=warnings,
        repair=_repair_summary(repair),
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
        uncertain=kinds.uncertain,
        papers=changes.papers,
        papers_created=changes.papers_created,
        papers_updated=changes.papers_updated,
        papers_unchanged=changes.papers_unchanged,
        papers_removed=changes.papers_removed,
        merged_within_list=changes.merged_within_list,
        matched_other_lists=changes.matched_other_lists,
        entries_new=changes.entries_new,
        entries_updated=changes.entries_updated,
        entries_unchanged=changes.entries_unchanged,
        entries_disappeared=changes.entries_disappeared,
        resources=resources.by_kind,
        resources_total=resources.total,
        resources_new=resources.new,
        resources_removed=resources.removed,
    )
    run = ImportRun(
        source_id=source.id,
        report=result.model_dump(mode="json"),
        imported_by_id=imported_by.id if imported_by else None,
    )
    session.add(run)
    session.flush()
    result.run_id = run.id
    return result


def import_as_user(
    session: Session, upload: ListToImport, *, user: User | None, rules: ImportRules, max_bytes: int
) -> ImportReport:
    """An import someone asked for over the web: only admins bring lists in."""
    admin = require_role(user, Role.ADMIN)
    return import_list(session, upload, rules=rules, max_bytes=max_bytes, imported_by=admin)


def choose_entry_kind(
    session: Session,
    source_name: str,
    choice: KindChoice,
    *,
    user: User | None,
    rules: ImportRules,
    max_bytes: int,
) -> ImportReport:
    """An editor says what one entry of a list is; the list is imported again with the choice, which stays."""
    editor = require_role(user, Role.EDITOR)
    source = session.scalar(select(Source).where(Source.name == source_name))
    if source is None:
        raise NotFound(f"There is no list named {source_name!r}.")
    if source.content is None:
        raise InvalidInput(
            "This list was imported before lists kept their text: import it again, then choose.",
            fields={"entry_key": "Import the list again first."},
        )
    if not _entry_known(session, source.id, choice.entry_key):
        raise NotFound("That list has no entry with this key.")
    stored = session.scalar(
        select(EntryKindChoice).where(
            EntryKindChoice.source_id == source.id, EntryKindChoice.entry_key == choice.entry_key
        )
    )
    if stored is None:
        stored = EntryKindChoice(source_id=source.id, entry_key=choice.entry_key)
        session.add(stored)
    stored.kind = choice.kind
    stored.chosen_by_id = editor.id
    stored.chosen_at = utcnow()
    session.flush()
    upload = ListToImport(
        name=source.name,
        content=source.content.encode(),
        title=source.title,
        origin=source.origin,
        language=source.language,
    )
    return import_list(session, upload, rules=rules, max_bytes=max_bytes, imported_by=editor, force=True)


def _entry_known(session: Session, source_id: int, entry_key: str) -> bool:
    in_entries = select(SourceEntry.id).where(
        SourceEntry.source_id == source_id, SourceEntry.entry_key == entry_key, SourceEntry.is_present
    )
    in_resources = select(ListResource.id).where(
        ListResource.source_id == source_id, ListResource.entry_key == entry_key
    )
    return (
        session.scalar(in_entries.limit(1)) is not None or session.scalar(in_resources.limit(1)) is not None
    )


def import_run_report(session: Session, run_id: int, *, user: User | None) -> ImportReport:
    """A past import's report, for the admins who may import."""
    require_role(user, Role.ADMIN)
    run = session.get(ImportRun, run_id)
    if run is None:
        raise NotFound("There is no import with that number.")
    return ImportReport.model_validate(run.report)


def _repair_summary(repair: RepairReport) -> RepairSummary | None:
    if repair.codepage is None:
        return None
    return RepairSummary(
        codepage=repair.codepage,
        lines_repaired=len(repair.lines),
        restored=repair.restored,
        filled=repair.filled,
        uncertain=repair.uncertain,
    )

"""A list's entries kept as provenance rows: written on import, and read back for merging papers' fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.bulk import chunked_insert, chunks
from app.db import utcnow
from app.importing.merging import EntryView
from app.importing.models import Source, SourceEntry
from app.importing.records import EntryRecord
from app.importing.repair import RepairReport
from app.importing.repair.detection import split_lines


@dataclass(frozen=True, slots=True)
class EntryRef:
    """One present entry of a paper, in the order of precedence its fields merge by."""

    source_id: int
    position: int
    view: EntryView


@dataclass
class EntriesWritten:
    """What writing a list's entries did: the present entries by paper, the counts, the entries now gone."""

    by_paper: dict[int, list[EntryRef]] = field(default_factory=dict)
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: list[SourceEntry] = field(default_factory=list)


class EntryWriter:
    """Writes one list's entries; keeps the original lines so a repaired entry shows what it replaced."""

    def __init__(self, session: Session, source: Source, original_text: str, repair: RepairReport) -> None:
        self.session = session
        self.source = source
        self.repair = repair
        # Split exactly as the repair numbered its lines, so entry lines point at the same text.
        self.original_lines: list[str] = split_lines(original_text)[0] if repair.changed else []

    def write(self, records: Sequence[tuple[EntryRecord, int]], keys: dict[int, str]) -> EntriesWritten:
        """Write RECORDS (each with its paper id); KEYS gives each record's entry key, by id() of record."""
        existing = {
            entry.entry_key: entry
            for entry in self.session.scalars(
                select(SourceEntry).where(SourceEntry.source_id == self.source.id)
            )
        }
        section_positions: Counter[tuple[str, ...]] = Counter()
        written = EntriesWritten()
        ordered = sorted(records, key=lambda pair: pair[0].entry.line)
        now = utcnow()
        new_rows: list[dict[str, Any]] = []
        for position, (record, paper_id) in enumerate(ordered, start=1):
            section_positions[record.entry.section_path] += 1
            raw_original, uncertain = self._repair_details(record)
            values: dict[str, Any] = {
                "paper_id": paper_id,
                "section_path": list(record.entry.section_path),
                "position": position,
                "section_position": section_positions[record.entry.section_path],
                "line": record.entry.line,
                "list_number": (record.entry.list_number or None) and record.entry.list_number[:20],
                "title": record.title,
                "note": record.entry.note,
                "stars": record.entry.stars,
                "fields": record.fields,
                "raw_markdown": record.entry.raw,
                "raw_original": raw_original,
                "uncertain_chars": uncertain,
                "is_present": True,
            }
            key = keys[id(record)]
            entry = existing.pop(key, None)
            if entry is None:
                new_rows.append(
                    {"source_id": self.source.id, "entry_key": key, "first_seen_at": now, "last_seen_at": now}
                    | values
                )
                written.new += 1
            else:
                if any(getattr(entry, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(entry, name, value)
                    written.updated += 1
                else:
                    written.unchanged += 1
                entry.last_seen_at = now
            view = EntryView(record.title, record.entry.note, record.entry.stars, record.fields)
            written.by_paper.setdefault(paper_id, []).append(EntryRef(self.source.id, position, view))
        written.missing = list(existing.values())
        self.session.flush()
        chunked_insert(self.session, SourceEntry, new_rows)
        return written

    def _repair_details(self, record: EntryRecord) -> tuple[str | None, list[dict[str, Any]] | None]:
        if not self.original_lines:
            return None, None
        span = range(record.entry.line, record.entry.end_line + 1)
        repaired = [line for line in self.repair.lines if line.number in span]
        if not repaired:
            return None, None
        original = "\n".join(self.original_lines[number - 1] for number in span)
        uncertain = [
            {
                "line": line.number,
                "offset": char.offset,
                "chosen": char.chosen,
                "candidates": list(char.candidates),
                "before": line.repaired[max(0, char.offset - 4) : char.offset],
                "after": line.repaired[char.offset + 1 : char.offset + 5],
            }
            for line in repaired
            for char in line.uncertain
        ]
        return original, uncertain or None


def other_lists_entries(session: Session, source_id: int, paper_ids: list[int]) -> dict[int, list[EntryRef]]:
    """The present entries of other lists that name these papers, by paper."""
    found: dict[int, list[EntryRef]] = {}
    for chunk in chunks(paper_ids):
        rows = session.scalars(
            select(SourceEntry).where(
                SourceEntry.paper_id.in_(chunk),
                SourceEntry.source_id != source_id,
                SourceEntry.is_present,
            )
        )
        for entry in rows:
            assert entry.paper_id is not None
            view = EntryView(entry.title, entry.note, entry.stars, entry.fields)
            found.setdefault(entry.paper_id, []).append(EntryRef(entry.source_id, entry.position, view))
    return found

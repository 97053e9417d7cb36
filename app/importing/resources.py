"""A list's entries sorted into papers and resources, and the resources written beside the list.

Entries of one paper (same arXiv id, DOI or title) are decided together; an editor's choice for an entry
outweighs every piece of evidence and is kept across re-imports under the entry's key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.importing.entry_kinds import PAPER, RESOURCE_KINDS, KindDecision, chosen, classify_entry
from app.importing.matching import PaperGroup, attach_existing_papers, group_records
from app.importing.models import EntryKindChoice, ListResource, Source
from app.importing.records import EntryRecord
from app.importing.schemas import UncertainEntry

MAX_EVIDENCE = 12


def entry_keys(records: Sequence[EntryRecord]) -> list[str]:
    """A key per entry that stays the same across versions of the list: its identity, numbered on repeats."""
    seen: Counter[str] = Counter()
    keys = []
    for record in records:
        identity = record.identity[:280]
        seen[identity] += 1
        keys.append(identity if seen[identity] == 1 else f"{identity}#{seen[identity]}")
    return keys


@dataclass
class SortedEntries:
    """The entries that are papers (with their keys), the resources, and the decisions on weak evidence."""

    papers: list[EntryRecord] = field(default_factory=list)
    paper_groups: list[PaperGroup] = field(default_factory=list)
    paper_keys: dict[int, str] = field(default_factory=dict)
    resources: list[tuple[EntryRecord, str, KindDecision]] = field(default_factory=list)
    uncertain: list[UncertainEntry] = field(default_factory=list)


def editor_choices(session: Session, source: Source | None) -> dict[str, str]:
    if source is None or source.id is None:
        return {}
    rows = session.execute(
        select(EntryKindChoice.entry_key, EntryKindChoice.kind).where(EntryKindChoice.source_id == source.id)
    )
    return dict(rows.all())


def sort_entries(session: Session, records: list[EntryRecord], choices: dict[str, str]) -> SortedEntries:
    """Decide each entry's kind; entries of one paper follow the one with the strongest case for a paper."""
    keys = entry_keys(records)
    groups = group_records(records)
    attach_existing_papers(session, groups)
    index_of = {id(record): index for index, record in enumerate(records)}
    decisions: list[KindDecision | None] = [None] * len(records)
    for group in groups:
        members = [index_of[id(record)] for record in group.records]
        for index in members:
            choice = choices.get(keys[index])
            decisions[index] = (
                chosen(choice)
                if choice
                else classify_entry(records[index], known_paper=group.paper is not None)
            )
        paper_lines = [records[i].entry.line for i in members if _decided(decisions[i]).is_paper]
        if paper_lines:
            for index in members:
                decision = _decided(decisions[index])
                if not decision.is_paper and keys[index] not in choices:
                    reason = f"the same paper as line {paper_lines[0]}"
                    decisions[index] = KindDecision(PAPER, True, (*decision.evidence, reason))
    result = SortedEntries()
    result.paper_groups = _paper_groups(
        session, groups, {id(r) for i, r in enumerate(records) if _decided(decisions[i]).is_paper}
    )
    for index, record in enumerate(records):
        decision = _decided(decisions[index])
        if decision.is_paper:
            result.papers.append(record)
            result.paper_keys[id(record)] = keys[index]
        else:
            result.resources.append((record, keys[index], decision))
        if not decision.is_certain:
            result.uncertain.append(
                UncertainEntry(
                    line=record.entry.line,
                    title=record.title,
                    kind=decision.kind,
                    section=list(record.entry.section_path),
                    evidence=list(decision.evidence[:MAX_EVIDENCE]),
                )
            )
    return result


def _paper_groups(session: Session, groups: list[PaperGroup], papers: set[int]) -> list[PaperGroup]:
    """The groups of paper entries, matched already; a group an editor's choice split is matched again."""
    kept: list[PaperGroup] = []
    split: list[EntryRecord] = []
    for group in groups:
        members = [record for record in group.records if id(record) in papers]
        if len(members) == len(group.records):
            kept.append(group)
        else:
            split.extend(members)
    if split:
        regrouped = group_records(split)
        attach_existing_papers(session, regrouped)
        kept += regrouped
    return kept


def _decided(decision: KindDecision | None) -> KindDecision:
    assert decision is not None
    return decision


@dataclass(frozen=True)
class ResourcesWritten:
    """What writing a list's resources did: how many of each kind it holds, how many came and went."""

    by_kind: dict[str, int]
    total: int
    new: int
    removed: int


def write_resources(
    session: Session, source: Source, resources: list[tuple[EntryRecord, str, KindDecision]]
) -> ResourcesWritten:
    """Upsert the list's resources by key; the ones gone from the list (or now papers) go."""
    existing = {
        resource.entry_key: resource
        for resource in session.scalars(select(ListResource).where(ListResource.source_id == source.id))
    }
    now = utcnow()
    created = 0
    for record, key, decision in resources:
        entry = record.entry
        values: dict[str, Any] = {
            "kind": decision.kind,
            "title": record.title,
            "url": record.fields.get("url") or record.fields.get("pdf_url"),
            "section_path": list(entry.section_path),
            "line": entry.line,
            "list_number": (entry.list_number or None) and entry.list_number[:20],
            "note": entry.note,
            "stars": entry.stars,
            "raw_markdown": entry.raw,
            "evidence": list(decision.evidence[:MAX_EVIDENCE]),
            "is_uncertain": not decision.is_certain,
            "last_seen_at": now,
        }
        resource = existing.pop(key, None)
        if resource is None:
            session.add(ListResource(source_id=source.id, entry_key=key, first_seen_at=now, **values))
            created += 1
        else:
            for name, value in values.items():
                if getattr(resource, name) != value:
                    setattr(resource, name, value)
    if existing:
        session.execute(delete(ListResource).where(ListResource.id.in_([r.id for r in existing.values()])))
    session.flush()
    counts = Counter(decision.kind for _, _, decision in resources)
    return ResourcesWritten(
        by_kind={kind: counts[kind] for kind in RESOURCE_KINDS if counts[kind]},
        total=len(resources),
        new=created,
        removed=len(existing),
    )

"""Reading the imported lists back: every list, one list as it was organised, a paper's provenance."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.errors import NotFound
from app.importing.entry_kinds import RESOURCE_KINDS
from app.importing.models import ListResource, Source, SourceEntry
from app.importing.schemas import (
    ProvenanceEntry,
    ResourceRead,
    SourceEntryRead,
    SourceOutline,
    SourceRead,
    SourceSection,
)


def _source_read(source: Source) -> SourceRead:
    return SourceRead(
        name=source.name,
        title=source.title,
        origin=source.origin,
        language=source.language,
        format=source.format,
        entry_count=source.entry_count,
        repaired_from=source.repaired_from,
        last_imported_at=source.last_imported_at,
    )


def list_sources(session: Session) -> list[SourceRead]:
    return [_source_read(source) for source in session.scalars(select(Source).order_by(Source.id))]


def source_outline(session: Session, name: str) -> SourceOutline:
    """A list section by section, in its own order, each entry linked to the paper it became."""
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        raise NotFound(f"There is no list named {name!r}.")
    rows = session.execute(
        select(SourceEntry, Paper.slug)
        .outerjoin(Paper, Paper.id == SourceEntry.paper_id)
        .where(SourceEntry.source_id == source.id, SourceEntry.is_present)
        .order_by(SourceEntry.position)
    )
    resources = session.scalars(
        select(ListResource).where(ListResource.source_id == source.id).order_by(ListResource.line)
    ).all()
    items: list[tuple[int, SourceEntry | ListResource, str | None]] = [
        (entry.line, entry, slug) for entry, slug in rows
    ]
    items += [(resource.line, resource, None) for resource in resources]
    items.sort(key=lambda item: item[0])
    sections: list[SourceSection] = []
    for _line, item, slug in items:
        if not sections or sections[-1].path != item.section_path:
            sections.append(SourceSection(path=item.section_path, entries=[]))
        if isinstance(item, ListResource):
            sections[-1].resources.append(_resource_read(item))
            continue
        entry = item
        sections[-1].entries.append(
            SourceEntryRead(
                entry_key=entry.entry_key,
                position=entry.section_position,
                list_number=entry.list_number,
                title=entry.title,
                note=entry.note,
                stars=entry.stars,
                line=entry.line,
                paper_id=entry.paper_id,
                paper_slug=slug,
                is_repaired=entry.raw_original is not None,
            )
        )
    counts = Counter(resource.kind for resource in resources)
    return SourceOutline(
        **_source_read(source).model_dump(),
        sections=sections,
        resource_counts={kind: counts[kind] for kind in RESOURCE_KINDS if counts[kind]},
    )


def _resource_read(resource: ListResource) -> ResourceRead:
    return ResourceRead(
        entry_key=resource.entry_key,
        kind=resource.kind,
        title=resource.title,
        url=resource.url,
        note=resource.note,
        stars=resource.stars,
        line=resource.line,
        is_uncertain=resource.is_uncertain,
        evidence=resource.evidence,
    )


def move_list_entries(session: Session, kept: Paper, duplicate: Paper) -> None:
    """The duplicate's list entries become the kept paper's provenance (when an editor merges them)."""
    session.execute(
        update(SourceEntry)
        .where(SourceEntry.paper_id == duplicate.id)
        .values(paper_id=kept.id)
        .execution_options(synchronize_session="fetch")
    )


def provenance_for(session: Session, paper_ids: Sequence[int]) -> dict[int, list[ProvenanceEntry]]:
    """Every entry of these papers (dropped ones too), by paper, in the lists' order of precedence."""
    if not paper_ids:
        return {}
    rows = session.execute(
        select(SourceEntry, Source.name, Source.title)
        .join(Source, Source.id == SourceEntry.source_id)
        .where(SourceEntry.paper_id.in_(list(paper_ids)))
        .order_by(SourceEntry.source_id, SourceEntry.position)
    )
    found: dict[int, list[ProvenanceEntry]] = {}
    for entry, name, title in rows:
        assert entry.paper_id is not None
        found.setdefault(entry.paper_id, []).append(
            ProvenanceEntry(
                source=name,
                source_title=title,
                section_path=[str(part) for part in entry.section_path or []],
                position=entry.position,
                line=entry.line,
                list_number=entry.list_number,
                title=entry.title,
                note=entry.note,
                stars=entry.stars,
                is_present=bool(entry.is_present),
                raw_original=entry.raw_original,
                uncertain_chars=entry.uncertain_chars or [],
            )
        )
    return found

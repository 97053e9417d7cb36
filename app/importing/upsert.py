"""Writing one parsed list into the catalogue: papers created or merged, entries kept as provenance."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.catalog.identifiers import slugify
from app.catalog.merging import FILLABLE_FIELDS
from app.catalog.models import Paper, PaperCategory, PaperTag
from app.catalog.service import recount
from app.db import utcnow
from app.importing.classification import ImportRules
from app.importing.linking import (
    AuthorDirectory,
    TagDirectory,
    current_author_names,
    existing_links,
    replace_authors,
)
from app.importing.matching import PaperGroup
from app.importing.merging import EntryView, merge_entries
from app.importing.models import Source, SourceEntry
from app.importing.records import EntryRecord
from app.importing.repair import RepairReport
from app.importing.repair.detection import split_lines
from app.importing.schemas import DisappearedEntry
from app.importing.taxonomy_sync import ensure_categories
from app.taxonomy.models import Category, Tag

# Every field an import may set: the identity of the title, and what a merge may fill.
PAPER_FIELDS = ("title", "title_key", *FILLABLE_FIELDS)
CHUNK = 400


def _entry_key(record: EntryRecord, seen: Counter[str]) -> str:
    identity = record.identity[:280]
    seen[identity] += 1
    return identity if seen[identity] == 1 else f"{identity}#{seen[identity]}"


class CatalogueWriter:
    """Upserts the groups of one list; remembers what it did for the report."""

    def __init__(
        self, session: Session, source: Source, rules: ImportRules, original_text: str, repair: RepairReport
    ) -> None:
        self.session = session
        self.source = source
        self.rules = rules
        self.repair = repair
        # Split exactly as the repair numbered its lines, so entry lines point at the same text.
        self.original_lines = split_lines(original_text)[0] if repair.changed else []
        self.categories = ensure_categories(session, rules)
        self.tags = TagDirectory(session)
        self.authors = AuthorDirectory(session)
        self.touched_categories: set[int] = set()
        self.touched_tags: set[int] = set()

    # -- provenance of repaired text -------------------------------------------------------------

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

    # -- the write ------------------------------------------------------------------------------

    def write(self, groups: list[PaperGroup]) -> dict[str, Any]:
        groups = _merge_groups_sharing_a_paper(groups)
        matched_other_lists = sum(1 for group in groups if group.paper is not None)
        created = self._create_papers([group for group in groups if group.paper is None])
        entries_by_paper, counts = self._write_entries(groups)
        updated = self._merge_fields(groups, entries_by_paper, created)
        self._link_taxonomy(groups)
        disappeared, removed = self._retire_missing_entries(entries_by_paper)
        recount(self.session, Category, self.touched_categories)
        recount(self.session, Tag, self.touched_tags)
        self.session.flush()
        records = sum(len(group.records) for group in groups)
        return {
            "papers": len(groups),
            "papers_created": len(created),
            "papers_updated": updated,
            "papers_unchanged": len(groups) - len(created) - updated,
            "papers_removed": removed,
            "merged_within_list": records - len(groups),
            "matched_other_lists": matched_other_lists,
            "entries_disappeared": disappeared,
            **counts,
        }

    def _create_papers(self, groups: list[PaperGroup]) -> set[int]:
        # Imported papers belong to their lists, not to a person: added_by stays empty.
        slugs = _unique_slugs(self.session, [group.records[0].title for group in groups])
        for group, slug in zip(groups, slugs, strict=True):
            first = group.records[0]
            group.paper = Paper(slug=slug, title=first.title, title_key=first.title_key, rating_count=0)
            self.session.add(group.paper)
        self.session.flush()
        return {group.paper.id for group in groups if group.paper is not None}

    def _write_entries(self, groups: list[PaperGroup]) -> tuple[dict[int, list[SourceEntry]], dict[str, int]]:
        existing = {
            entry.entry_key: entry
            for entry in self.session.scalars(
                select(SourceEntry).where(SourceEntry.source_id == self.source.id)
            )
        }
        self._previous = existing
        seen_keys: Counter[str] = Counter()
        section_positions: Counter[tuple[str, ...]] = Counter()
        counts = {"entries_new": 0, "entries_updated": 0, "entries_unchanged": 0}
        by_paper: dict[int, list[SourceEntry]] = {}
        ordered = sorted(
            ((record, group) for group in groups for record in group.records),
            key=lambda pair: pair[0].entry.line,
        )
        now = utcnow()
        for position, (record, group) in enumerate(ordered, start=1):
            assert group.paper is not None
            section_positions[record.entry.section_path] += 1
            raw_original, uncertain = self._repair_details(record)
            values: dict[str, Any] = {
                "paper_id": group.paper.id,
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
            key = _entry_key(record, seen_keys)
            entry = existing.pop(key, None)
            if entry is None:
                entry = SourceEntry(source_id=self.source.id, entry_key=key, first_seen_at=now, **values)
                self.session.add(entry)
                counts["entries_new"] += 1
            elif any(getattr(entry, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(entry, name, value)
                counts["entries_updated"] += 1
            else:
                counts["entries_unchanged"] += 1
            entry.last_seen_at = now
            by_paper.setdefault(group.paper.id, []).append(entry)
        self._missing = list(existing.values())
        self.session.flush()
        return by_paper, counts

    def _other_sources_entries(self, paper_ids: list[int]) -> dict[int, list[SourceEntry]]:
        found: dict[int, list[SourceEntry]] = {}
        for start in range(0, len(paper_ids), CHUNK):
            chunk = paper_ids[start : start + CHUNK]
            rows = self.session.scalars(
                select(SourceEntry).where(
                    SourceEntry.paper_id.in_(chunk),
                    SourceEntry.source_id != self.source.id,
                    SourceEntry.is_present,
                )
            )
            for entry in rows:
                assert entry.paper_id is not None
                found.setdefault(entry.paper_id, []).append(entry)
        return found

    def _merge_fields(
        self, groups: list[PaperGroup], entries_by_paper: dict[int, list[SourceEntry]], created: set[int]
    ) -> int:
        papers = [group.paper for group in groups if group.paper is not None]
        paper_ids = [paper.id for paper in papers]
        others = self._other_sources_entries(paper_ids)
        authors_now = current_author_names(self.session, paper_ids)
        all_entries = [*entries_by_paper.values(), *others.values()]
        self.authors.preload(
            name for entries in all_entries for e in entries for name in e.fields.get("authors", [])
        )
        merged_by_paper = {}
        for paper in papers:
            entries = sorted(
                [*entries_by_paper.get(paper.id, []), *others.get(paper.id, [])],
                key=lambda entry: (entry.source_id, entry.position),
            )
            merged_by_paper[paper.id] = merge_entries(
                [EntryView(e.title, e.note, e.stars, e.fields) for e in entries]
            )
        identifiers_taken = _identifier_owners(self.session, list(merged_by_paper.values()))
        updated = 0
        for paper in papers:
            merged = merged_by_paper[paper.id]
            changed = self._apply(paper, merged, identifiers_taken)
            current = authors_now.get(paper.id, [])
            # A person's edit of the authors stands; imports only fill an empty author list then.
            may_write = not paper.is_curated or not current
            if merged["authors"] and may_write and merged["authors"] != current:
                replace_authors(self.session, self.authors, paper.id, merged["authors"])
                changed = True
            if changed and paper.id not in created:
                updated += 1
        self.session.flush()
        return updated

    def _apply(self, paper: Paper, merged: dict[str, Any], taken: dict[tuple[str, str], int]) -> bool:
        changed = False
        for name in PAPER_FIELDS:
            value = merged[name]
            if value is None or getattr(paper, name) == value:
                continue
            if paper.is_curated and getattr(paper, name) is not None:
                continue  # a person edited this paper: imports only fill what is empty
            if name in ("arxiv_id", "doi") and taken.get((name, value), paper.id) != paper.id:
                continue  # another paper already holds this identifier
            setattr(paper, name, value)
            changed = True
        return changed

    def _link_taxonomy(self, groups: list[PaperGroup]) -> None:
        paper_ids = [group.paper.id for group in groups if group.paper is not None]
        categories_now, tags_now = existing_links(self.session, paper_ids)
        for group in groups:
            assert group.paper is not None
            paper_id = group.paper.id
            wanted_categories: set[int] = set()
            wanted_tags: set[int] = set()
            for record in group.records:
                for slug in self.rules.categories_for(record.entry.section_path):
                    if slug in self.categories:
                        wanted_categories.add(self.categories[slug].id)
                short_name = record.fields.get("short_name")
                for slug, name in self.rules.tags_for(record.title, record.entry.note, short_name):
                    tag = self.tags.get(slug, name)
                    if tag is not None:
                        wanted_tags.add(tag.id)
            new_categories = wanted_categories - categories_now.get(paper_id, set())
            new_tags = wanted_tags - tags_now.get(paper_id, set())
            self.session.add_all(PaperCategory(paper_id=paper_id, category_id=cid) for cid in new_categories)
            self.session.add_all(PaperTag(paper_id=paper_id, tag_id=tid) for tid in new_tags)
            self.touched_categories |= new_categories
            self.touched_tags |= new_tags
        self.session.flush()

    def _retire_missing_entries(
        self, entries_by_paper: dict[int, list[SourceEntry]]
    ) -> tuple[list[DisappearedEntry], int]:
        """Entries gone from the new version are kept as history; papers left with nothing go."""
        disappeared: list[DisappearedEntry] = []
        orphan_candidates: set[int] = set()
        for entry in self._missing:
            if entry.is_present:
                entry.is_present = False
                if entry.paper_id is not None and entry.paper_id not in entries_by_paper:
                    orphan_candidates.add(entry.paper_id)
                disappeared.append(
                    DisappearedEntry(
                        title=entry.title,
                        section=entry.section_path,
                        paper_id=entry.paper_id,
                        paper_kept=True,
                    )
                )
        self.session.flush()
        removable = self._removable_papers(orphan_candidates)
        if removable:
            categories, tags = existing_links(self.session, sorted(removable))
            for linked in categories.values():
                self.touched_categories |= linked
            for linked in tags.values():
                self.touched_tags |= linked
            for paper in self.session.scalars(select(Paper).where(Paper.id.in_(removable))):
                self.session.delete(paper)
            for item in disappeared:
                if item.paper_id in removable:
                    item.paper_kept = False
        return disappeared, len(removable)

    def _removable_papers(self, candidates: set[int]) -> set[int]:
        if not candidates:
            return set()
        still_listed = exists().where(SourceEntry.paper_id == Paper.id, SourceEntry.is_present)
        rows = self.session.scalars(
            select(Paper.id).where(
                Paper.id.in_(candidates),
                ~still_listed,
                Paper.rating_count == 0,
                Paper.is_curated.is_(False),
                Paper.added_by_id.is_(None),
            )
        )
        return set(rows)


def _merge_groups_sharing_a_paper(groups: list[PaperGroup]) -> list[PaperGroup]:
    """Two groups of one list can meet at the same catalogue paper (e.g. by arXiv id and by title)."""
    by_paper: dict[int, PaperGroup] = {}
    result: list[PaperGroup] = []
    for group in groups:
        if group.paper is None:
            result.append(group)
            continue
        if group.paper.id in by_paper:
            by_paper[group.paper.id].records.extend(group.records)
            continue
        by_paper[group.paper.id] = group
        result.append(group)
    return result


def _identifier_owners(session: Session, merged: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """Which paper already holds each arXiv id and DOI that the merged papers would take."""
    owners: dict[tuple[str, str], int] = {}
    for name, column in (("arxiv_id", Paper.arxiv_id), ("doi", Paper.doi)):
        values = sorted({fields[name] for fields in merged if fields.get(name)})
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            for paper_id, value in session.execute(select(Paper.id, column).where(column.in_(chunk))):
                if value is not None:
                    owners[(name, value)] = paper_id
    return owners


def _unique_slugs(session: Session, titles: list[str]) -> list[str]:
    """A free slug per title: the title's own, or with the first free "-N" suffix."""
    bases = [slugify(title) or "paper" for title in titles]
    distinct = sorted(set(bases))
    taken: set[str] = set()
    for start in range(0, len(distinct), CHUNK):
        chunk = distinct[start : start + CHUNK]
        taken |= set(session.scalars(select(Paper.slug).where(Paper.slug.in_(chunk))))
    suffixed_loaded: set[str] = set()
    slugs: list[str] = []
    for base in bases:
        slug = base
        if slug in taken:
            if base not in suffixed_loaded:
                # Collisions are rare: load this base's numbered variants once.
                taken |= set(session.scalars(select(Paper.slug).where(Paper.slug.startswith(f"{base}-"))))
                suffixed_loaded.add(base)
            suffix = 2
            while f"{base}-{suffix}" in taken:
                suffix += 1
            slug = f"{base}-{suffix}"
        taken.add(slug)
        slugs.append(slug)
    return slugs

"""Writing one parsed list into the catalogue: papers created or merged, entries kept as provenance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, exists, insert, select
from sqlalchemy.orm import Session

from app.catalog.identifiers import slugify
from app.catalog.merging import FILLABLE_FIELDS
from app.catalog.models import Paper, PaperAuthor, PaperCategory, PaperTag
from app.catalog.service import recount
from app.db import Base, utcnow
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
BULK_CHUNK = 5000
_PAPERS = cast(Table, Paper.__table__)


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
        self.tags = TagDirectory(
            session, {rule.slug: rule.name_zh for rule in rules.tag_rules.rules if rule.name_zh}
        )
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

    def write(self, groups: list[PaperGroup], keys: dict[int, str]) -> dict[str, Any]:
        """Write the papers of GROUPS; KEYS gives each record's entry key, by id() of the record."""
        self.keys = keys
        groups = _merge_groups_sharing_a_paper(groups)
        matched_other_lists = sum(1 for group in groups if group.paper is not None)
        others = self._other_sources_entries([group.paper.id for group in groups if group.paper is not None])
        # Every author any entry names exists from here on, created in one go whatever paper they end up on.
        entry_fields = [record.fields for group in groups for record in group.records]
        entry_fields += [entry.view.fields for entries in others.values() for entry in entries]
        self.authors.preload(name for fields in entry_fields for name in fields.get("authors", []))
        paper_ids = self._create_papers([group for group in groups if group.paper is None])
        created = set(paper_ids.values())
        entries_by_paper, counts = self._write_entries(groups, paper_ids)
        updated = self._merge_fields(groups, entries_by_paper, others)
        self._link_taxonomy(groups, paper_ids)
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

    def _create_papers(self, groups: list[PaperGroup]) -> dict[int, int]:
        """Insert the new papers with their merged fields and authors; the paper id of each group, by id()."""
        if not groups:
            return {}
        # A new paper has entries in this list only, so its fields merge from its records alone.
        merged = [
            merge_entries(
                [
                    EntryView(record.title, record.entry.note, record.entry.stars, record.fields)
                    for record in sorted(group.records, key=lambda record: record.entry.line)
                ]
            )
            for group in groups
        ]
        taken = _identifier_owners(self.session, merged)
        # Imported papers belong to their lists, not to a person: added_by stays empty.
        slugs = _unique_slugs(self.session, [group.records[0].title for group in groups])
        rows = []
        for group, fields, slug in zip(groups, merged, slugs, strict=True):
            first = group.records[0]
            row = _new_paper_fields(fields, taken)
            row["slug"] = slug
            for name, value in (("title", first.title), ("title_key", first.title_key)):
                if row[name] is None:
                    row[name] = value
            rows.append(row)
        ids_by_slug: dict[str, int] = {}
        for start in range(0, len(rows), BULK_CHUNK):
            inserted = self.session.execute(
                insert(_PAPERS).returning(_PAPERS.c.id, _PAPERS.c.slug), rows[start : start + BULK_CHUNK]
            )
            ids_by_slug.update((slug, paper_id) for paper_id, slug in inserted)
        paper_ids = {id(group): ids_by_slug[slug] for group, slug in zip(groups, slugs, strict=True)}
        author_rows = []
        for group, fields in zip(groups, merged, strict=True):
            author_rows.extend(self._author_rows(paper_ids[id(group)], fields["authors"]))
        _insert_in_chunks(self.session, PaperAuthor, author_rows)
        return paper_ids

    def _author_rows(self, paper_id: int, names: list[str]) -> list[dict[str, int]]:
        rows: list[dict[str, int]] = []
        seen: set[int] = set()
        for name in names:
            author = self.authors.get(name)
            if author.id in seen:
                continue
            seen.add(author.id)
            rows.append({"paper_id": paper_id, "author_id": author.id, "position": len(rows) + 1})
        return rows

    def _write_entries(
        self, groups: list[PaperGroup], new_paper_ids: dict[int, int]
    ) -> tuple[dict[int, list[_EntryRef]], dict[str, int]]:
        existing = {
            entry.entry_key: entry
            for entry in self.session.scalars(
                select(SourceEntry).where(SourceEntry.source_id == self.source.id)
            )
        }
        section_positions: Counter[tuple[str, ...]] = Counter()
        counts = {"entries_new": 0, "entries_updated": 0, "entries_unchanged": 0}
        by_paper: dict[int, list[_EntryRef]] = {}
        ordered = sorted(
            ((record, _paper_id(group, new_paper_ids)) for group in groups for record in group.records),
            key=lambda pair: pair[0].entry.line,
        )
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
            key = self.keys[id(record)]
            entry = existing.pop(key, None)
            if entry is None:
                new_rows.append(
                    {"source_id": self.source.id, "entry_key": key, "first_seen_at": now, "last_seen_at": now}
                    | values
                )
                counts["entries_new"] += 1
            else:
                if any(getattr(entry, name) != value for name, value in values.items()):
                    for name, value in values.items():
                        setattr(entry, name, value)
                    counts["entries_updated"] += 1
                else:
                    counts["entries_unchanged"] += 1
                entry.last_seen_at = now
            view = EntryView(record.title, record.entry.note, record.entry.stars, record.fields)
            by_paper.setdefault(paper_id, []).append(_EntryRef(self.source.id, position, view))
        self._missing = list(existing.values())
        self.session.flush()
        _insert_in_chunks(self.session, SourceEntry, new_rows)
        return by_paper, counts

    def _other_sources_entries(self, paper_ids: list[int]) -> dict[int, list[_EntryRef]]:
        found: dict[int, list[_EntryRef]] = {}
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
                view = EntryView(entry.title, entry.note, entry.stars, entry.fields)
                found.setdefault(entry.paper_id, []).append(_EntryRef(entry.source_id, entry.position, view))
        return found

    def _merge_fields(
        self,
        groups: list[PaperGroup],
        entries_by_paper: dict[int, list[_EntryRef]],
        others: dict[int, list[_EntryRef]],
    ) -> int:
        """Merge the fields of the papers this list shares with the catalogue; new papers have theirs."""
        papers = [group.paper for group in groups if group.paper is not None]
        if not papers:
            return 0
        authors_now = current_author_names(self.session, [paper.id for paper in papers])
        merged_by_paper = {}
        for paper in papers:
            entries = sorted(
                [*entries_by_paper.get(paper.id, []), *others.get(paper.id, [])],
                key=lambda entry: (entry.source_id, entry.position),
            )
            merged_by_paper[paper.id] = merge_entries([entry.view for entry in entries])
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
            if changed:
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

    def _link_taxonomy(self, groups: list[PaperGroup], new_paper_ids: dict[int, int]) -> None:
        pairs = [(group, _paper_id(group, new_paper_ids)) for group in groups]
        categories_now, tags_now = existing_links(
            self.session, [paper_id for group, paper_id in pairs if group.paper is not None]
        )
        categories_by_key: dict[tuple[tuple[str, ...], tuple[str, ...]], list[int]] = {}
        category_rows: list[dict[str, int]] = []
        tag_rows: list[dict[str, int]] = []
        for group, paper_id in pairs:
            wanted_categories: set[int] = set()
            wanted_tags: set[int] = set()
            for record in group.records:
                short_name = record.fields.get("short_name")
                labels = self.rules.tags_for(record.title, record.entry.note, short_name)
                for slug, name in labels:
                    tag = self.tags.get(slug, name)
                    if tag is not None:
                        wanted_tags.add(tag.id)
                key = (record.entry.section_path, tuple(slug for slug, _ in labels))
                if key not in categories_by_key:
                    categories_by_key[key] = [
                        self.categories[slug].id
                        for slug in self.rules.categories_for_entry(*key)
                        if slug in self.categories
                    ]
                wanted_categories.update(categories_by_key[key])
            new_categories = wanted_categories - categories_now.get(paper_id, set())
            new_tags = wanted_tags - tags_now.get(paper_id, set())
            category_rows.extend({"paper_id": paper_id, "category_id": cid} for cid in new_categories)
            tag_rows.extend({"paper_id": paper_id, "tag_id": tid} for tid in new_tags)
            self.touched_categories |= new_categories
            self.touched_tags |= new_tags
        _insert_in_chunks(self.session, PaperCategory, category_rows)
        _insert_in_chunks(self.session, PaperTag, tag_rows)

    def _retire_missing_entries(
        self, entries_by_paper: dict[int, list[_EntryRef]]
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


@dataclass(frozen=True, slots=True)
class _EntryRef:
    """One present entry of a paper, in the order of precedence its fields merge by."""

    source_id: int
    position: int
    view: EntryView


def _paper_id(group: PaperGroup, new_paper_ids: dict[int, int]) -> int:
    return group.paper.id if group.paper is not None else new_paper_ids[id(group)]


def _new_paper_fields(merged: dict[str, Any], taken: dict[tuple[str, str], int]) -> dict[str, Any]:
    """The merged fields a new paper takes: all that are known, but no identifier another paper holds.

    Every field has a key, None when unknown: one executemany needs the same columns in every row.
    """
    fields: dict[str, Any] = {}
    for name in PAPER_FIELDS:
        value = merged[name]
        if name in ("arxiv_id", "doi") and (name, value) in taken:
            value = None
        fields[name] = value
    return fields


def _insert_in_chunks(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Insert many rows with executemany, a chunk at a time, bypassing the unit of work (and ORM bulk)."""
    table = cast(Table, model.__table__)
    for start in range(0, len(rows), BULK_CHUNK):
        session.execute(insert(table), rows[start : start + BULK_CHUNK])


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

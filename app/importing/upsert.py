"""Writing one parsed list into the catalogue: papers created or merged, entries kept as provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, exists, select
from sqlalchemy.orm import Session

from app.bulk import chunks
from app.catalog.links import CATEGORY_LINKS, TAG_LINKS, author_names, links_of, recount, replace_authors
from app.catalog.merging import FILLABLE_FIELDS
from app.catalog.models import Paper
from app.catalog.service import unique_paper_slugs
from app.importing.classification import ImportRules
from app.importing.linking import link_taxonomy
from app.importing.list_entries import EntryRef, EntryWriter, other_lists_entries
from app.importing.matching import PaperGroup
from app.importing.merging import EntryView, merge_entries
from app.importing.models import Source, SourceEntry
from app.importing.repair import RepairReport
from app.importing.schemas import DisappearedEntry
from app.importing.taxonomy_sync import ensure_categories
from app.taxonomy.models import Category, Tag

# Every field an import may set: the identity of the title, and what a merge may fill.
PAPER_FIELDS = ("title", "title_key", *FILLABLE_FIELDS)
_PAPERS = cast(Table, Paper.__table__)


@dataclass
class CatalogueChanges:
    """What writing a list's papers did to the catalogue, for the import report."""

    papers: int = 0
    papers_created: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    papers_removed: int = 0
    merged_within_list: int = 0
    matched_other_lists: int = 0
    entries_new: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    entries_disappeared: list[DisappearedEntry] = field(default_factory=list)


class CatalogueWriter:
    """Upserts the groups of one list into the catalogue."""

    def __init__(
        self, session: Session, source: Source, rules: ImportRules, original_text: str, repair: RepairReport
    ) -> None:
        self.session = session
        self.source = source
        self.rules = rules
        self.entries = EntryWriter(session, source, original_text, repair)
        self.categories = ensure_categories(session, rules)

    def write(self, groups: list[PaperGroup], keys: dict[int, str]) -> CatalogueChanges:
        """Write the papers of GROUPS; KEYS gives each record's entry key, by id() of the record."""
        groups = _merge_groups_sharing_a_paper(groups)
        matched_other_lists = sum(1 for group in groups if group.paper is not None)
        others = other_lists_entries(
            self.session, self.source.id, [group.paper.id for group in groups if group.paper is not None]
        )
        paper_ids = self._create_papers([group for group in groups if group.paper is None])
        pairs = [(group, _paper_id(group, paper_ids)) for group in groups]
        written = self.entries.write(
            [(record, paper_id) for group, paper_id in pairs for record in group.records], keys
        )
        updated = self._merge_fields(groups, written.by_paper, others)
        link_taxonomy(self.session, self.rules, self.categories, pairs)
        disappeared, removed = self._retire_missing_entries(written.missing, written.by_paper)
        self.session.flush()
        records = sum(len(group.records) for group in groups)
        return CatalogueChanges(
            papers=len(groups),
            papers_created=len(paper_ids),
            papers_updated=updated,
            papers_unchanged=len(groups) - len(paper_ids) - updated,
            papers_removed=removed,
            merged_within_list=records - len(groups),
            matched_other_lists=matched_other_lists,
            entries_new=written.new,
            entries_updated=written.updated,
            entries_unchanged=written.unchanged,
            entries_disappeared=disappeared,
        )

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
        slugs = unique_paper_slugs(self.session, [group.records[0].title for group in groups])
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
        for chunk in chunks(rows):
            inserted = self.session.execute(
                _PAPERS.insert().returning(_PAPERS.c.id, _PAPERS.c.slug), list(chunk)
            )
            ids_by_slug.update((slug, paper_id) for paper_id, slug in inserted)
        paper_ids = {id(group): ids_by_slug[slug] for group, slug in zip(groups, slugs, strict=True)}
        replace_authors(
            self.session,
            {paper_ids[id(group)]: fields["authors"] for group, fields in zip(groups, merged, strict=True)},
        )
        return paper_ids

    def _merge_fields(
        self,
        groups: list[PaperGroup],
        entries_by_paper: dict[int, list[EntryRef]],
        others: dict[int, list[EntryRef]],
    ) -> int:
        """Merge the fields of the papers this list shares with the catalogue; new papers have theirs."""
        papers = [group.paper for group in groups if group.paper is not None]
        if not papers:
            return 0
        authors_now = author_names(self.session, [paper.id for paper in papers])
        merged_by_paper = {}
        for paper in papers:
            entries = sorted(
                [*entries_by_paper.get(paper.id, []), *others.get(paper.id, [])],
                key=lambda entry: (entry.source_id, entry.position),
            )
            merged_by_paper[paper.id] = merge_entries([entry.view for entry in entries])
        identifiers_taken = _identifier_owners(self.session, list(merged_by_paper.values()))
        updated = 0
        new_authors: dict[int, list[str]] = {}
        for paper in papers:
            merged = merged_by_paper[paper.id]
            changed = self._apply(paper, merged, identifiers_taken)
            current = authors_now.get(paper.id, [])
            # A person's edit of the authors stands; imports only fill an empty author list then.
            may_write = not paper.is_curated or not current
            if merged["authors"] and may_write and merged["authors"] != current:
                new_authors[paper.id] = merged["authors"]
                changed = True
            if changed:
                updated += 1
        replace_authors(self.session, new_authors)
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

    def _retire_missing_entries(
        self, missing: list[SourceEntry], entries_by_paper: dict[int, list[EntryRef]]
    ) -> tuple[list[DisappearedEntry], int]:
        """Entries gone from the new version are kept as history; papers left with nothing go."""
        disappeared: list[DisappearedEntry] = []
        orphan_candidates: set[int] = set()
        for entry in missing:
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
            ids = sorted(removable)
            # Their links go with them (ON DELETE CASCADE); the counts they fed are recounted after.
            categories = set().union(*links_of(self.session, CATEGORY_LINKS, ids).values())
            tags = set().union(*links_of(self.session, TAG_LINKS, ids).values())
            for paper in self.session.scalars(select(Paper).where(Paper.id.in_(ids))):
                self.session.delete(paper)
            self.session.flush()
            recount(self.session, Category, categories)
            recount(self.session, Tag, tags)
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
        for chunk in chunks(values):
            for paper_id, value in session.execute(select(Paper.id, column).where(column.in_(chunk))):
                if value is not None:
                    owners[(name, value)] = paper_id
    return owners

"""Which entries are the same paper, and which paper of the catalogue each group already is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.bulk import chunks
from app.catalog.models import Paper
from app.importing.records import EntryRecord


@dataclass
class PaperGroup:
    """Entries of one list that describe one paper, in list order."""

    records: list[EntryRecord] = field(default_factory=list)
    paper: Paper | None = None

    def keys(self) -> tuple[set[str], set[str], set[str]]:
        arxiv = {record.arxiv_id for record in self.records if record.arxiv_id}
        dois = {record.doi for record in self.records if record.doi}
        titles = {record.title_key for record in self.records if record.title_key}
        return arxiv, dois, titles


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        root_a, root_b = self.find(first), self.find(second)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def group_records(records: Sequence[EntryRecord]) -> list[PaperGroup]:
    """Entries sharing an arXiv id, a DOI or a normalised title are one paper."""
    union = _UnionFind(len(records))
    first_seen: dict[str, int] = {}
    for index, record in enumerate(records):
        keys = [f"t:{record.title_key}"] if record.title_key else []
        if record.arxiv_id:
            keys.append(f"a:{record.arxiv_id}")
        if record.doi:
            keys.append(f"d:{record.doi}")
        for key in keys:
            if key in first_seen:
                union.union(first_seen[key], index)
            else:
                first_seen[key] = index
    groups: dict[int, PaperGroup] = {}
    for index, record in enumerate(records):
        groups.setdefault(union.find(index), PaperGroup()).records.append(record)
    return list(groups.values())


def attach_existing_papers(session: Session, groups: list[PaperGroup]) -> None:
    """Find each group's paper in the catalogue: by arXiv id, else DOI, else normalised title."""
    arxiv_ids = sorted({key for group in groups for key in group.keys()[0]})
    dois = sorted({key for group in groups for key in group.keys()[1]})
    titles = sorted({key for group in groups for key in group.keys()[2]})
    by_arxiv: dict[str, Paper] = {}
    by_doi: dict[str, Paper] = {}
    by_title: dict[str, Paper] = {}
    for column, values, index in (
        (Paper.arxiv_id, arxiv_ids, by_arxiv),
        (Paper.doi, dois, by_doi),
        (Paper.title_key, titles, by_title),
    ):
        for chunk in chunks(values):
            for paper in session.scalars(select(Paper).where(or_(column.in_(chunk)))):
                key = getattr(paper, column.key)
                # Several papers may share a title key; the oldest one is the one lists meant.
                if key not in index or paper.id < index[key].id:
                    index[key] = paper
    for group in groups:
        arxiv, doi_keys, title_keys = group.keys()
        candidates = (
            [by_arxiv[key] for key in sorted(arxiv) if key in by_arxiv]
            + [by_doi[key] for key in sorted(doi_keys) if key in by_doi]
            + [
                by_title[key]
                for key in sorted(title_keys)
                if key in by_title and not _identifiers_differ(by_title[key], arxiv, doi_keys)
            ]
        )
        group.paper = candidates[0] if candidates else None


def _identifiers_differ(paper: Paper, arxiv: set[str], dois: set[str]) -> bool:
    """Two papers with one title but different arXiv ids or DOIs are different papers."""
    return bool(
        (paper.arxiv_id and arxiv and paper.arxiv_id not in arxiv)
        or (paper.doi and dois and paper.doi not in dois)
    )

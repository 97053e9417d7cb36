"""The relevance evaluation: the judged queries of relevance_queries.toml run against a seeded catalogue.

Reports, per kind of query and overall, the share of queries that pass, the mean reciprocal rank of the
first expected paper and nDCG@10 (binary: a result is relevant when a researcher expects it).
"""

from __future__ import annotations

import math
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.browse.queries import list_papers
from app.catalog.identifiers import normalise_title
from app.catalog.models import Paper, PaperCategory, PaperTag
from app.catalog.schemas import PaperListParams
from app.taxonomy.models import Category, Tag

QUERIES = Path(__file__).with_name("relevance_queries.toml")
RESULTS_READ = 100


@dataclass(frozen=True)
class Judged:
    q: str
    kind: str
    mode: str
    expected: frozenset[int]


@dataclass
class Outcome:
    judged: Judged
    ranked: list[int]

    @property
    def first_hit(self) -> int | None:
        return next((i + 1 for i, paper in enumerate(self.ranked) if paper in self.judged.expected), None)

    @property
    def passed(self) -> bool:
        expected, ranked = self.judged.expected, self.ranked
        window = set(ranked[: len(expected) + 2])
        found = set(ranked)
        first_is_expected = bool(ranked) and ranked[0] in expected
        return {
            "top": expected <= window,
            "first": first_is_expected and expected <= window,
            "all": first_is_expected and expected <= found,
            "found": expected <= found,
        }[self.judged.mode]

    @property
    def reciprocal_rank(self) -> float:
        return 1 / self.first_hit if self.first_hit else 0.0

    @property
    def ndcg_at_10(self) -> float:
        gains = sum(1 / math.log2(i + 2) for i, p in enumerate(self.ranked[:10]) if p in self.judged.expected)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(self.judged.expected))))
        return gains / ideal if ideal else 0.0


def judged_queries(session: Session, path: Path = QUERIES) -> list[Judged]:
    """The queries with their expected papers resolved to ids; an expectation naming nothing is an error."""
    by_title = {
        normalise_title(title): paper_id for paper_id, title in session.execute(select(Paper.id, Paper.title))
    }
    judged = []
    for entry in tomllib.loads(path.read_text(encoding="utf-8"))["query"]:
        expected: set[int] = set()
        for title in entry.get("expect", []):
            if normalise_title(title) not in by_title:
                raise LookupError(f"{entry['q']!r}: no paper titled {title!r}")
            expected.add(by_title[normalise_title(title)])
        if "category" in entry:
            expected |= set(
                session.scalars(
                    select(PaperCategory.paper_id)
                    .join(Category, Category.id == PaperCategory.category_id)
                    .where(Category.slug == entry["category"])
                )
            )
        if "tag" in entry:
            expected |= set(
                session.scalars(
                    select(PaperTag.paper_id)
                    .join(Tag, Tag.id == PaperTag.tag_id)
                    .where(Tag.slug == entry["tag"])
                )
            )
        if not expected:
            raise LookupError(f"{entry['q']!r} expects no paper")
        judged.append(Judged(entry["q"], entry["kind"], entry.get("mode", "top"), frozenset(expected)))
    return judged


def evaluate(session: Session) -> list[Outcome]:
    return [
        Outcome(
            query,
            [item.id for item in list_papers(session, PaperListParams(q=query.q, limit=RESULTS_READ)).items],
        )
        for query in judged_queries(session)
    ]


@dataclass(frozen=True)
class Figures:
    queries: int
    pass_share: float
    mrr: float
    ndcg_at_10: float


def figures(outcomes: list[Outcome]) -> dict[str, Figures]:
    """Figures per kind, and "overall"."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.judged.kind].append(outcome)
    groups["overall"] = list(outcomes)
    return {
        kind: Figures(
            queries=len(group),
            pass_share=sum(o.passed for o in group) / len(group),
            mrr=sum(o.reciprocal_rank for o in group) / len(group),
            ndcg_at_10=sum(o.ndcg_at_10 for o in group) / len(group),
        )
        for kind, group in groups.items()
    }


def report(outcomes: list[Outcome]) -> str:
    lines = [f"{'kind':<12} {'queries':>7} {'pass':>7} {'MRR':>6} {'nDCG@10':>8}"]
    for kind, row in figures(outcomes).items():
        lines.append(
            f"{kind:<12} {row.queries:>7} {row.pass_share:>7.1%} {row.mrr:>6.3f} {row.ndcg_at_10:>8.3f}"
        )
    failed = [o for o in outcomes if not o.passed]
    lines += [f"FAILED {o.judged.kind}: {o.judged.q!r} (first expected at {o.first_hit})" for o in failed]
    return "\n".join(lines)

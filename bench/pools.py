"""Pools of distinct queries per kind, drawn from the data: what varied readers ask the app and Datasette.

Every kind is a list of (app path, Datasette path or None) in a fixed, shuffled order (seed 17); the load
driver sends them round-robin, so no URL repeats within a run while the pool lasts.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from sqlalchemy import Connection, Engine, text

SEED = 17
LATIN_WORD = re.compile(r"[a-z]{5,}")
CHINESE_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
# Common words a reader would not search for on their own.
STOP_WORDS = frozenset({"about", "their", "these", "which", "while", "where", "using", "based", "other"})


@dataclass(frozen=True)
class Query:
    app: str
    datasette: str | None


@dataclass
class Pools:
    """Each kind's queries, and the facts their checks need."""

    kinds: dict[str, list[Query]] = field(default_factory=dict)
    tag_totals: dict[str, int] = field(default_factory=dict)
    papers: int = 0


def _sample(rng: random.Random, items: list[str], size: int) -> list[str]:
    items = sorted(set(items))
    rng.shuffle(items)
    return items[:size]


def english_words(connection: Connection, rng: random.Random, size: int) -> list[str]:
    """Words of five or more letters from a sample of titles, spread over frequent and rare ones."""
    counts: Counter[str] = Counter()
    for (title,) in connection.execute(text("SELECT title FROM papers ORDER BY id LIMIT 20000")):
        counts.update(word for word in LATIN_WORD.findall(title.lower()) if word not in STOP_WORDS)
    return _sample(rng, [word for word, seen in counts.items() if seen >= 2], size)


def chinese_words(connection: Connection, rng: random.Random, size: int) -> list[str]:
    """Two-character words (every adjacent pair of a Chinese run) from summaries and curators' notes."""
    counts: Counter[str] = Counter()
    texts = connection.execute(
        text(
            "SELECT summary FROM papers WHERE id <= 20000 UNION ALL "
            "SELECT note FROM source_entries WHERE paper_id <= 20000"
        )
    )
    for (value,) in texts:
        for run in CHINESE_RUN.findall(value or ""):
            counts.update(run[index : index + 2] for index in range(len(run) - 1))
    return _sample(rng, [word for word, seen in counts.items() if seen >= 3], size)


def _in_tag(tag_id: int, sort: str) -> dict[str, str]:
    return {"_where": f"id IN (SELECT paper_id FROM paper_tags WHERE tag_id = {tag_id})", "_sort_desc": sort}


def build(engine: Engine, *, size: int = 300, datasette_db: str = "") -> Pools:
    """Up to SIZE distinct queries per kind; `datasette_db` names the copy Datasette serves."""
    rng = random.Random(SEED)
    db = "/" + datasette_db
    pools = Pools()
    with engine.connect() as connection:
        pools.papers = int(connection.scalar(text("SELECT count(*) FROM papers")) or 0)
        papers = connection.execute(text("SELECT id, slug FROM papers ORDER BY id")).all()
        tags = connection.execute(
            text("SELECT id, slug, paper_count FROM tags WHERE paper_count > 0 ORDER BY slug")
        ).all()
        years = [
            int(year)
            for (year,) in connection.execute(
                text("SELECT DISTINCT year FROM papers WHERE year IS NOT NULL ORDER BY year")
            )
        ]
        english = english_words(connection, rng, size)
        chinese = chinese_words(connection, rng, size)
    pools.tag_totals = {tag.slug: int(tag.paper_count) for tag in tags}
    chosen = rng.sample(papers, min(size, len(papers)))
    shuffled_tags = rng.sample(tags, len(tags))

    def words(build_one: Callable[[str], Query], vocabulary: list[str]) -> list[Query]:
        return [build_one(word) for word in vocabulary]

    pools.kinds["detail"] = [
        Query(f"/api/v1/papers/{paper.id}", f"{db}/papers/{paper.id}.json") for paper in chosen
    ]
    pools.kinds["paper_page"] = [
        Query(f"/papers/{quote(paper.slug)}", f"{db}/papers/{paper.id}") for paper in reversed(chosen)
    ]
    pools.kinds["tag"] = [
        Query(f"/api/v1/papers?tag={tag.slug}", f"{db}/papers.json?{urlencode(_in_tag(tag.id, 'year'))}")
        for tag in shuffled_tags
    ]
    pools.kinds["search_en"] = words(
        lambda word: Query(f"/api/v1/papers?q={quote(word)}", f"{db}/papers.json?_search={quote(word)}"),
        english,
    )
    pools.kinds["search_zh"] = words(
        lambda word: Query(f"/api/v1/papers?q={quote(word)}", f"{db}/papers.json?_search={quote(word)}"),
        chinese,
    )
    facets = "&_facet=year&_facet=venue&_size=0"
    pools.kinds["facets_search"] = words(
        lambda word: Query(
            f"/api/v1/papers/facets?q={quote(word)}", f"{db}/papers.json?_search={quote(word)}{facets}"
        ),
        english[::-1],
    )
    mixed = [word for pair in zip(english, chinese, strict=False) for word in pair]
    pools.kinds["search_page"] = words(
        lambda word: Query(f"/papers?q={quote(word)}", f"{db}/papers?_search={quote(word)}"), mixed
    )
    by_rating = [
        Query(
            f"/api/v1/papers?year_from={year}&year_to={year}&sort=rating",
            f"{db}/papers.json?year={year}&_sort_desc=rating_avg",
        )
        for year in years
    ] + [
        Query(
            f"/api/v1/papers?tag={tag.slug}&sort=rating",
            f"{db}/papers.json?{urlencode(_in_tag(tag.id, 'rating_avg'))}",
        )
        for tag in shuffled_tags
    ]
    pools.kinds["by_rating"] = by_rating[:size]
    return pools


def add_cursors(pools: Pools, cursors: list[str]) -> None:
    """Pages deep in the newest-first list, one per cursor the app handed out (Datasette has no such page)."""
    pools.kinds["list_cursor"] = [
        Query(f"/api/v1/papers?sort=newest&cursor={quote(cursor)}", None) for cursor in cursors
    ]

"""A deterministic synthetic catalogue: papers with authors, categories, tags, list entries and ratings.

Pure: it only builds rows. Every chunk of papers is drawn from its own seeded generator, so the same
(seed, papers) gives the same catalogue whatever the number of worker processes.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.catalog.bayesian import stored_rating_score
from app.catalog.identifiers import author_name_key, normalise_title
from app.catalog.links import FIRST_AUTHOR_POSITION
from app.catalog.service import PAPER_SLUG_BASE_LENGTH
from app.slugs import slugify
from bench import vocabulary as words

CHUNK_SIZE = 5_000
FIRST_YEAR, LAST_YEAR = 2015, 2026
TAG_COUNT = 300
# The top tag is on about this share of papers, and the rarest on about RAREST_TAG_PAPERS of them.
TOP_TAG_SHARE = 0.5
RAREST_TAG_PAPERS = 5
RATED_SHARE = 0.35
SOURCES = (
    ("bench-arxiv-llm", "Synthetic arXiv LLM reading list", "en"),
    ("bench-zh-notes", "合成的大模型论文清单", "zh"),
    ("bench-surveys", "Synthetic surveys and tutorials", "en"),
    ("bench-weekly", "Synthetic weekly paper digest", "zh"),
)
CREATED_BASE = datetime(2024, 1, 1, tzinfo=UTC)
_NAME_SPACE = len(words.FIRST_NAMES) * 26 * len(words.LAST_NAMES)
_NAME_STRIDE = 7_919  # a prime: author i's name is a scrambled but unique point of the name space


@dataclass(frozen=True)
class Plan:
    """The sizes everything else derives from."""

    papers: int
    seed: int = 42

    @property
    def authors(self) -> int:
        return max(50, self.papers // 3)

    @property
    def users(self) -> int:
        return max(20, self.papers // 500)

    @property
    def chunks(self) -> int:
        return math.ceil(self.papers / CHUNK_SIZE)

    def chunk_bounds(self, index: int) -> tuple[int, int]:
        """First and last paper id (inclusive) of chunk INDEX."""
        first = index * CHUNK_SIZE + 1
        return first, min(self.papers, first + CHUNK_SIZE - 1)


@dataclass
class Chunk:
    """The rows of one chunk of papers, in insertion order, ready for executemany or COPY."""

    papers: list[dict[str, Any]] = field(default_factory=list)
    paper_authors: list[dict[str, Any]] = field(default_factory=list)
    paper_categories: list[dict[str, Any]] = field(default_factory=list)
    paper_tags: list[dict[str, Any]] = field(default_factory=list)
    source_entries: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    # (paper_id, title, names, body) as the search index stores them.


def author_name(author_id: int) -> str:
    point = (author_id * _NAME_STRIDE) % _NAME_SPACE
    first, rest = divmod(point, 26 * len(words.LAST_NAMES))
    initial, last = divmod(rest, len(words.LAST_NAMES))
    return f"{words.FIRST_NAMES[first]} {chr(65 + initial)}. {words.LAST_NAMES[last]}"


def author_rows(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for author_id in range(1, plan.authors + 1):
        name = author_name(author_id)
        rows.append({"id": author_id, "name": name, "name_key": author_name_key(name)})
    return rows


def tag_names() -> list[tuple[str, str]]:
    """(slug, name) of the tags, most used first: the shipped rules' tags, then made-up ones."""
    from app.importing.rules import default_tag_rules

    names = [(rule.slug, rule.name) for rule in default_tag_rules().rules]
    seen = {slug for slug, _name in names}
    for tail in words.TAG_TAILS:
        for head in words.TAG_HEADS:
            name = f"{head} {tail}"
            slug = slugify(name)
            if slug not in seen and len(names) < TAG_COUNT:
                seen.add(slug)
                names.append((slug, name))
    return names


def tag_assignments(plan: Plan, tag_count: int) -> list[list[int]]:
    """Tag ids (1 = most used) per paper index: Zipf-like, the top tag on about half of the papers."""
    rng = random.Random(f"{plan.seed}:tags")
    top = TOP_TAG_SHARE * plan.papers
    exponent = max(1.0, math.log(max(top / RAREST_TAG_PAPERS, 2.0)) / math.log(tag_count))
    per_paper: list[list[int]] = [[] for _ in range(plan.papers)]
    for rank in range(1, tag_count + 1):
        count = max(1, min(plan.papers, round(top / rank**exponent)))
        for index in rng.sample(range(plan.papers), count):
            per_paper[index].append(rank)
    return per_paper


def _fill(rng: random.Random, pattern: str) -> str:
    return pattern.format(
        adj=rng.choice(words.ADJECTIVES),
        method=rng.choice(words.METHODS),
        task=rng.choice(words.TASKS),
        domain=rng.choice(words.DOMAINS),
        prop=rng.choice(words.PROPERTIES),
        technique=rng.choice(words.TECHNIQUES),
    )


# Growth of about 35% a year: most papers are recent, as on arXiv.
_YEAR_WEIGHTS = [1.35**offset for offset in range(LAST_YEAR - FIRST_YEAR + 1)]


def _title(rng: random.Random) -> tuple[str, str | None]:
    title = _fill(rng, rng.choice(words.TITLE_PATTERNS))
    title = title[0].upper() + title[1:]
    if rng.random() < 0.25:
        short = f"{rng.choice(words.SHORT_NAME_STEMS)}-{rng.randint(1, 99)}"
        return f"{short}: {title}", short
    return title, None


def _summary(rng: random.Random) -> str:
    sentences = [_fill(rng, rng.choice(words.SENTENCE_PATTERNS)) for _ in range(rng.randint(4, 8))]
    if rng.random() < 0.2:
        sentences.append(rng.choice(words.CHINESE_SUMMARY_SENTENCES))
    return " ".join(sentences)


def _note(rng: random.Random) -> str | None:
    draw = rng.random()
    if draw < 0.6:
        return rng.choice(words.CHINESE_NOTES)
    if draw < 0.85:
        return _fill(rng, rng.choice(words.ENGLISH_NOTES))
    return None


class ChunkBuilder:
    """Builds the rows of one chunk from the plan, the category ids and the tags' (slug, name) by id."""

    def __init__(self, plan: Plan, category_ids: list[int], tags: dict[int, tuple[str, str]]) -> None:
        self.plan = plan
        self.category_ids = category_ids
        # Some categories are much fuller than others, as in a real tree.
        weights_rng = random.Random(f"{plan.seed}:categories")
        self.category_weights = [1.0 / (1 + weights_rng.random() * 30) for _ in category_ids]
        self.tags = tags

    def build(self, index: int, tags: list[list[int]]) -> Chunk:
        first, last = self.plan.chunk_bounds(index)
        rng = random.Random(f"{self.plan.seed}:chunk:{index}")
        chunk = Chunk()
        for paper_id, paper_tags in zip(range(first, last + 1), tags, strict=True):
            self._paper(rng, chunk, paper_id, sorted(paper_tags))
        return chunk

    def _paper(self, rng: random.Random, chunk: Chunk, paper_id: int, tag_ids: list[int]) -> None:
        title, short_name = _title(rng)
        year = (
            None
            if rng.random() < 0.02
            else FIRST_YEAR + rng.choices(range(len(_YEAR_WEIGHTS)), _YEAR_WEIGHTS)[0]
        )
        month = rng.randint(1, 12)
        arxiv_id = f"{(year or 2020) % 100:02d}{month:02d}.{paper_id:07d}"
        created = CREATED_BASE + timedelta(seconds=paper_id * 30)
        summary = _summary(rng)
        # Cubing a uniform draw makes a few authors prolific and most write one or two papers.
        drawn = (1 + int(self.plan.authors * rng.random() ** 3) for _ in range(rng.randint(1, 8)))
        author_ids = list(dict.fromkeys(drawn))
        categories = set(
            rng.choices(self.category_ids, self.category_weights, k=1 if rng.random() < 0.8 else 2)
        )
        rating = self._ratings(rng, chunk, paper_id, created)
        chunk.papers.append(
            {
                "id": paper_id,
                "slug": f"{slugify(title, PAPER_SLUG_BASE_LENGTH)}-{paper_id}",
                "title": title,
                "title_key": normalise_title(title),
                "short_name": short_name,
                "url": f"https://arxiv.org/abs/{arxiv_id}",
                "pdf_url": f"https://arxiv.org/pdf/{arxiv_id}",
                "code_url": f"https://github.com/bench/paper-{paper_id}" if rng.random() < 0.3 else None,
                "arxiv_id": arxiv_id,
                "doi": f"10.5555/bench.{paper_id}" if rng.random() < 0.1 else None,
                "year": year,
                "published": f"{year}-{month:02d}" if year else None,
                "venue": rng.choice(words.VENUES) if rng.random() < 0.6 else None,
                "summary": summary,
                "importance": rng.randint(0, 5) if rng.random() < 0.2 else None,
                "rating_avg": rating[0],
                "rating_count": rating[1],
                "rating_score": stored_rating_score(rating[0], rating[1]),
                "is_curated": False,
                "created_at": created,
                "updated_at": created,
                "added_by_id": None,
            }
        )
        chunk.paper_authors.extend(
            {"paper_id": paper_id, "position": position, "author_id": author_id}
            for position, author_id in enumerate(author_ids, start=FIRST_AUTHOR_POSITION)
        )
        chunk.paper_categories.extend(
            {"paper_id": paper_id, "category_id": category_id} for category_id in sorted(categories)
        )
        chunk.paper_tags.extend({"paper_id": paper_id, "tag_id": tag_id} for tag_id in tag_ids)
        # The search documents are built by the app from these rows (see generate.Writer).
        self._entries(rng, chunk, paper_id, title, created)

    def _ratings(
        self, rng: random.Random, chunk: Chunk, paper_id: int, created: datetime
    ) -> tuple[float | None, int]:
        if rng.random() >= RATED_SHARE:
            return None, 0
        count = min(self.plan.users, 1 + int(rng.expovariate(0.5)))
        scores = []
        for user_id in sorted(rng.sample(range(1, self.plan.users + 1), count)):
            score = rng.choices((1, 2, 3, 4, 5), (5, 10, 25, 35, 25))[0]
            scores.append(score)
            at = created + timedelta(days=rng.randint(1, 300))
            chunk.ratings.append(
                {
                    "user_id": user_id,
                    "paper_id": paper_id,
                    "score": score,
                    "comment": None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        return sum(scores) / len(scores), len(scores)

    def _entries(
        self, rng: random.Random, chunk: Chunk, paper_id: int, title: str, created: datetime
    ) -> list[str]:
        """List entries of the paper (none, one or two lists); returns their notes in entry order."""
        draw = rng.random()
        count = 0 if draw < 0.3 else 1 if draw < 0.85 else 2
        notes = []
        for source_index in sorted(rng.sample(range(len(SOURCES)), count)):
            note = _note(rng)
            if note:
                notes.append(note)
            section = rng.choice(words.TASKS)
            chunk.source_entries.append(
                {
                    "source_id": source_index + 1,
                    "paper_id": paper_id,
                    "entry_key": f"paper-{paper_id}",
                    "section_path": [section],
                    "position": paper_id,
                    "section_position": paper_id,
                    "line": paper_id + 10,
                    "list_number": None,
                    "title": title,
                    "note": note,
                    "stars": rng.randint(0, 5) if rng.random() < 0.3 else None,
                    "fields": {"title": title},
                    "raw_markdown": f"| {title} | {note or ''} |",
                    "raw_original": None,
                    "uncertain_chars": None,
                    "is_present": True,
                    "first_seen_at": created,
                    "last_seen_at": created,
                }
            )
        return notes

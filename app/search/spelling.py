""" "Did you mean": misspelt words of a query corrected against the words the index itself holds.

The vocabulary is read once per process and again only when the catalogue has changed, and then no
sooner than a multiple of what reading it cost, so a large catalogue under writes does not re-read it often.
"""

from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import Integer, Text, column, func, select, table, text
from sqlalchemy.orm import Session

from app.catalog.models import Paper
from app.generation import read_version
from app.search.tokenizer import fold, stem

MIN_WORD_LENGTH = 5
LONG_WORD_LENGTH = 8  # from this length two edits are allowed, below it one
# A vocabulary that took SLOW_LOAD_SECONDS or more to read is kept RELOAD_COST_FACTOR times that long.
SLOW_LOAD_SECONDS = 0.05
RELOAD_COST_FACTOR = 100
_WORD_RE = re.compile(r"[A-Za-z]+")
_ASCII_WORD_RE = re.compile(r"^[a-z]+$")

paper_fts_vocab = table("paper_fts_vocab", column("term", Text), column("doc", Integer))


@dataclass(frozen=True)
class Vocabulary:
    docs: dict[str, int]
    by_length: dict[int, list[str]]

    @classmethod
    def of(cls, counts: dict[str, int]) -> Vocabulary:
        by_length: dict[int, list[str]] = defaultdict(list)
        for term in counts:
            by_length[len(term)].append(term)
        return cls(counts, dict(by_length))

    def knows(self, word: str) -> bool:
        return word in self.docs or stem(word) in self.docs

    def closest(self, word: str) -> str | None:
        """The most common known word within the allowed edits of WORD, the fewest edits first."""
        allowed = 1 if len(word) < LONG_WORD_LENGTH else 2
        choices = [
            term
            for length in range(len(word) - allowed, len(word) + allowed + 1)
            for term in self.by_length.get(length, [])
        ]
        matches = process.extract(word, choices, scorer=OSA.distance, score_cutoff=allowed, limit=20)
        if not matches:
            return None
        best = min(matches, key=lambda match: (match[1], -self.docs[match[0]], match[0]))
        return str(best[0])


@dataclass
class _Loaded:
    key: tuple[int, int | None]
    vocabulary: Vocabulary
    loaded_at: float
    cost: float


_loaded: dict[str, _Loaded] = {}
_lock = threading.Lock()


def _read(session: Session) -> Vocabulary:
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            select(column("word", Text), column("ndoc", Integer)).select_from(
                func.ts_stat(text("'SELECT document FROM search_documents'"))
            )
        )
    else:
        # Only words of ASCII letters are kept, and FTS5 counts a term's papers by reading its whole list:
        # a range of terms keeps it off the digits and the CJK grams (most of the terms at 1M papers).
        rows = session.execute(
            select(paper_fts_vocab.c.term, paper_fts_vocab.c.doc).where(
                paper_fts_vocab.c.term >= "a", paper_fts_vocab.c.term < "{"
            )
        )
    counts = {
        str(term): int(docs)
        for term, docs in rows
        if len(term) >= MIN_WORD_LENGTH - 1 and _ASCII_WORD_RE.match(term)
    }
    return Vocabulary.of(counts)


def vocabulary(session: Session) -> Vocabulary:
    """The index's words with how many papers hold each, kept while the catalogue is unchanged."""
    where = session.get_bind().engine.url.render_as_string(hide_password=True)
    # Ratings do not change the words: only the generation of everything else counts.
    key = (read_version(session).generation, session.scalar(select(func.max(Paper.id))))
    now = time.monotonic()
    with _lock:
        cached = _loaded.get(where)
        if cached is not None and (
            cached.key == key
            or (
                cached.cost >= SLOW_LOAD_SECONDS and now - cached.loaded_at < cached.cost * RELOAD_COST_FACTOR
            )
        ):
            return cached.vocabulary
    started = time.monotonic()
    loaded = _read(session)
    with _lock:
        _loaded[where] = _Loaded(key, loaded, time.monotonic(), time.monotonic() - started)
    return loaded


def suggest(session: Session, query: str) -> str | None:
    """QUERY with each unknown word of MIN_WORD_LENGTH letters or more replaced by its closest known word."""
    words = [match for match in _WORD_RE.finditer(query) if len(match.group()) >= MIN_WORD_LENGTH]
    if not words or "/" in query:  # a link or an identifier is not spelt, it is matched or not
        return None
    known = vocabulary(session)
    corrected, changed, last = [], False, 0
    for match in words:
        word = fold(match.group())
        replacement = None if known.knows(word) else known.closest(word)
        corrected.append(query[last : match.start()])
        corrected.append(replacement if replacement else match.group())
        changed = changed or replacement is not None
        last = match.end()
    corrected.append(query[last:])
    return "".join(corrected) if changed else None

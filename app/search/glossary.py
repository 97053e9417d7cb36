"""The bilingual glossary of seeds/glossary.toml, and how it widens a query: 思维链 also searches
chain-of-thought and CoT, and the other way round. Read once per process; expansion is bounded.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.config import PROJECT_ROOT
from app.search.tokenizer import (
    MAX_QUERY_TERMS,
    Alternative,
    Group,
    SearchQuery,
    Term,
    literal_group,
    run_terms,
    segments,
    stem,
    word_term,
)

GLOSSARY_PATH = PROJECT_ROOT / "seeds" / "glossary.toml"
# A query gains at most this many names in all, and an expanded name at most this many terms: a handful
# of OR-ed alternatives keeps a search as fast as the words typed.
MAX_EXPANSIONS = 6
MAX_EXPANSION_TERMS = 8
MAX_PHRASE_WORDS = 6

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """Names that mean one thing; `searched` are the names a match expands to."""

    names: tuple[str, ...]
    searched: tuple[str, ...]


def name_key(name: str) -> Key | str | None:
    """How a name is recognised in a query: a tuple of word stems, a folded CJK run, or None (mixed)."""
    parts = list(segments(name))
    if not parts:
        return None
    if len(parts) == 1 and parts[0].is_cjk:
        return parts[0].folded
    if any(part.is_cjk for part in parts):
        return None
    return tuple(stem(part.folded) for part in parts)


def name_terms(name: str) -> tuple[Term, ...]:
    terms: dict[str, Term] = {}
    for segment in segments(name):
        for term in run_terms(segment.folded) if segment.is_cjk else (word_term(segment.folded),):
            terms.setdefault(term.text, term)
    return tuple(terms.values())[:MAX_EXPANSION_TERMS]


class Glossary:
    def __init__(self, entries: Iterable[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]) -> None:
        """ENTRIES: (names recognised in a query, names searched when one is, all names)."""
        self.entries: list[Entry] = []
        self.words: dict[Key, list[int]] = {}
        self.runs: dict[str, list[int]] = {}
        for recognised, searched, names in entries:
            index = len(self.entries)
            self.entries.append(Entry(names, searched))
            for name in recognised:
                key = name_key(name)
                if isinstance(key, str):
                    self.runs.setdefault(key, []).append(index)
                elif key:
                    self.words.setdefault(key, []).append(index)
        self.run_lengths = sorted({len(run) for run in self.runs}, reverse=True)

    def _expansions(self, indexes: list[int], typed: Key | str, budget: int) -> list[Alternative]:
        found: list[Alternative] = []
        seen_terms: set[tuple[str, ...]] = set()
        for index in indexes:
            for name in self.entries[index].searched:
                if len(found) >= budget:
                    return found
                if name_key(name) == typed:
                    continue
                terms = name_terms(name)
                signature = tuple(sorted(term.text for term in terms))
                if terms and signature not in seen_terms:
                    seen_terms.add(signature)
                    found.append(Alternative(terms, name, is_expansion=True))
        return found

    def expand(self, text: str) -> SearchQuery:
        """The query TEXT with each glossary name in it widened to the entry's other names."""
        groups: list[Group] = []
        budget = MAX_EXPANSIONS
        units = list(segments(text))
        stems = [None if unit.is_cjk else stem(unit.folded) for unit in units]
        i = 0
        while i < len(units):
            unit = units[i]
            if unit.is_cjk:
                budget = self._expand_run(text[unit.start : unit.end], unit.folded, groups, budget)
                i += 1
                continue
            span = 1
            matched: list[int] = []
            for length in range(min(MAX_PHRASE_WORDS, len(units) - i), 0, -1):
                words = stems[i : i + length]
                if None in words:
                    continue
                key = tuple(word for word in words if word is not None)
                if key in self.words:
                    span, matched = length, self.words[key]
                    break
            typed = text[unit.start : units[i + span - 1].end]
            literal = tuple(dict.fromkeys(word_term(u.folded) for u in units[i : i + span]))
            if matched:
                key = tuple(word for word in stems[i : i + span] if word is not None)
                extra = self._expansions(matched, key, budget)
                budget -= len(extra)
                groups.append(Group((Alternative(literal, typed), *extra)))
            else:
                groups.append(literal_group(literal, typed))
            i += span
        return _bounded(groups)

    def _expand_run(self, typed: str, run: str, groups: list[Group], budget: int) -> int:
        """Split a CJK run into glossary names (longest first) and the pieces between them."""
        leftover_start, j = 0, 0
        while j < len(run):
            length = next((n for n in self.run_lengths if run[j : j + n] in self.runs), 0)
            if not length:
                j += 1
                continue
            if leftover_start < j:
                piece = run[leftover_start:j]
                groups.append(literal_group(run_terms(piece), piece))
            name = run[j : j + length]
            extra = self._expansions(self.runs[name], name, budget)
            budget -= len(extra)
            label = typed[j : j + length] if len(typed) == len(run) else name
            groups.append(Group((Alternative(run_terms(name), label), *extra)))
            j += length
            leftover_start = j
        if leftover_start < len(run):
            piece = run[leftover_start:]
            groups.append(literal_group(run_terms(piece), piece))
        return budget


def _bounded(groups: list[Group]) -> SearchQuery:
    """At most MAX_QUERY_TERMS typed terms; a group repeating one already asked for is dropped."""
    kept: list[Group] = []
    seen: set[str] = set()
    for group in groups:
        literal = [term for term in group.literal.terms if term.text not in seen]
        if not literal or len(seen) >= MAX_QUERY_TERMS:
            continue
        literal = literal[: MAX_QUERY_TERMS - len(seen)]
        seen.update(term.text for term in literal)
        first = Alternative(tuple(literal), group.literal.label)
        kept.append(Group((first, *group.alternatives[1:])))
    return SearchQuery(tuple(kept))


def parse_glossary(text: str) -> Glossary:
    document = tomllib.loads(text)
    entries: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = []
    for term in document.get("term", []):
        names = (*term.get("en", []), *term.get("zh", []))
        entries.append((names, names, names))
    for nickname in document.get("nickname", []):
        names = tuple(nickname.get("names", []))
        title = nickname["title"]
        entries.append((names, (title, *names), (*names, title)))
    return Glossary(entries)


@lru_cache(maxsize=4)
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    """The glossary, read once per process."""
    return parse_glossary(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1024)
def expand_query(text: str) -> SearchQuery:
    """TEXT parsed and widened through the glossary (a page asks once per paper it highlights)."""
    return load_glossary().expand(text)

"""The one tokenizer behind both databases' full-text indexes, their queries and the highlighted snippets.

Chinese, Japanese and Korean text becomes overlapping character bigrams plus single characters, Traditional
Chinese folded to Simplified; other words are folded (NFKC, accents, case), split where letters meet digits
(gpt3 = GPT-3 = gpt 3) and lightly stemmed, and query words match as prefixes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc

MAX_QUERY_TERMS = 16
# Query words shorter than this match exactly: "is" must not match every word beginning with "is".
MIN_PREFIX_LENGTH = 3

_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B–G
)
# A run of CJK characters, or a run of other letters and digits.
_SEGMENT_RE = re.compile(f"([{_CJK}]+)|((?:(?![{_CJK}])[^\\W_])+)")
_CJK_RE = re.compile(f"[{_CJK}]")
# Runs of what a segment may hold (CJK, letters, digits): no token crosses one, so tokens can be computed
# (and cached) run by run. CJK punctuation such as 「・」 belongs to a CJK run, so it must not split one.
_RUN_RE = re.compile(f"(?:[{_CJK}]|[^\\W_])+")
# Where letters meet digits inside a word: "llama2" is "llama 2", "gpt4o" is "gpt 4 o".
_LETTER_DIGIT_RE = re.compile(r"\d+|[^\W\d_]+")
_ASCII_PART_RE = re.compile(r"[A-Za-z]+|[0-9]+")
_TO_SIMPLIFIED = opencc.OpenCC("t2s")


def is_cjk(char: str) -> bool:
    return _CJK_RE.match(char) is not None


def fold(word: str) -> str:
    """NFKC, accents removed, case-folded: "Ｌｏｒａ" and "LoRA" and "lóra" agree."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", word))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _is_vowel_in(text: str) -> bool:
    return any(ch in "aeiouy" for ch in text)


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed and a final -e, so inflections share a stem.

    It is deliberately small and only has to be consistent: documents and queries pass through it alike.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3 and _is_vowel_in(base):
            word = base
            # "running" → "runn" → "run", "modelling" → "modell" → "model"; but "calling" stays "call"
            doubled = len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeious"
            if doubled and (word[-1] != "l" or len(word) > 4):
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Segment:
    """A word or a run of CJK characters, with its place in the original text."""

    start: int
    end: int
    folded: str
    is_cjk: bool


@lru_cache(maxsize=50_000)
def fold_cjk(run: str) -> str:
    """NFKC and Traditional folded to Simplified: 思維鏈 → 思维链. Not decomposed: that would split Hangul."""
    normalised = unicodedata.normalize("NFKC", run)
    simplified: str = _TO_SIMPLIFIED.convert(normalised)
    # Folding is character for character in practice; a conversion that changed the length would misplace
    # highlights, so it is then left out.
    return simplified if len(simplified) == len(normalised) else normalised


def segments(text: str) -> Iterator[Segment]:
    """Words and CJK runs of TEXT in order; offsets index the original, unnormalised text.

    A word where letters meet digits yields its letter and digit parts as segments of their own.
    """
    if text.isascii():
        # ASCII words fold to lower case and split into letter and digit runs: the same segments, sooner.
        for match in _ASCII_PART_RE.finditer(text):
            yield Segment(match.start(), match.end(), match.group().lower(), False)
        return
    for match in _SEGMENT_RE.finditer(text):
        if match.group(1) is not None:
            yield Segment(match.start(), match.end(), fold_cjk(match.group()), True)
            continue
        folded = fold(match.group())
        if folded.isalpha() or folded.isdigit() or not folded:
            if folded:
                yield Segment(match.start(), match.end(), folded, False)
            continue
        # Folding rarely changes a word's length (x² → x2); parts are placed by offset only when it did not.
        aligned = len(folded) == len(match.group())
        for part in _LETTER_DIGIT_RE.finditer(folded):
            start, end = (
                (match.start() + part.start(), match.start() + part.end()) if aligned else match.span()
            )
            yield Segment(start, end, part.group(), False)


def cjk_terms(run: str) -> list[str]:
    """Overlapping bigrams of a CJK run: 大语言模型 → 大语 语言 言模 模型."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def document_tokens(text: str | None) -> list[str]:
    """The index tokens of TEXT: word stems (and surface forms that differ), CJK bigrams and characters."""
    if not text:
        return []
    tokens: list[str] = []
    for segment in segments(text):
        if segment.is_cjk:
            run = segment.folded
            tokens.extend(cjk_terms(run) if len(run) > 1 else [])
            tokens.extend(run)
        else:
            stemmed = stem(segment.folded)
            tokens.append(stemmed)
            if stemmed != segment.folded:
                tokens.append(segment.folded)
    return tokens


def document_text(*parts: str | None) -> str:
    """The pre-tokenised text both databases index: tokens separated by single spaces."""
    return " ".join(filter(None, (_run_text(run) for part in parts if part for run in _RUN_RE.findall(part))))


@lru_cache(maxsize=200_000)
def _run_text(run: str) -> str:
    # Lists and catalogues repeat a small vocabulary: most runs are tokenised once per process.
    return " ".join(document_tokens(run))


@dataclass(frozen=True, slots=True)
class Term:
    """One token a query asks for: a word stem (matched as a prefix when long enough) or a CJK gram."""

    text: str
    is_prefix: bool
    is_cjk: bool


@dataclass(frozen=True, slots=True)
class Alternative:
    """One way of saying a concept of the query: every term must match (AND)."""

    terms: tuple[Term, ...]
    label: str
    is_expansion: bool = False


@dataclass(frozen=True, slots=True)
class Group:
    """One concept of the query: any of its alternatives may match (OR); the first is what was typed."""

    alternatives: tuple[Alternative, ...]

    @property
    def literal(self) -> Alternative:
        return self.alternatives[0]


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Every group must match (AND)."""

    groups: tuple[Group, ...]

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every distinct term the query searches for, typed or expanded."""
        found: dict[str, Term] = {}
        for group in self.groups:
            for alternative in group.alternatives:
                for term in alternative.terms:
                    found.setdefault(term.text, term)
        return tuple(found.values())

    @property
    def highlighted_terms(self) -> tuple[Term, ...]:
        """The terms worth marking in a snippet: an expansion's short words ("of") would mark every one."""
        found: dict[str, Term] = {}
        for group in self.groups:
            for alternative in group.alternatives:
                for term in alternative.terms:
                    if not alternative.is_expansion or term.is_cjk or len(term.text) >= MIN_PREFIX_LENGTH:
                        found.setdefault(term.text, term)
        return tuple(found.values())

    @property
    def also_searched(self) -> tuple[str, ...]:
        """The names the query was expanded to, in order."""
        labels = (alt.label for group in self.groups for alt in group.alternatives if alt.is_expansion)
        return tuple(dict.fromkeys(labels))


def word_term(folded: str) -> Term:
    stemmed = stem(folded)
    return Term(stemmed, is_prefix=len(stemmed) >= MIN_PREFIX_LENGTH, is_cjk=False)


def run_terms(run: str) -> tuple[Term, ...]:
    """The terms of a folded CJK run: its bigrams, or the character itself."""
    return tuple(Term(gram, is_prefix=False, is_cjk=True) for gram in dict.fromkeys(cjk_terms(run)))


def literal_group(terms: Sequence[Term], label: str) -> Group:
    return Group((Alternative(tuple(terms), label),))


def parse_query(text: str) -> SearchQuery:
    """The query as typed: each word a group of its stem prefix, each CJK run a group of its bigrams."""
    groups: list[Group] = []
    seen: set[str] = set()
    for segment in segments(text):
        terms = run_terms(segment.folded) if segment.is_cjk else (word_term(segment.folded),)
        fresh = [term for term in terms if term.text not in seen][: MAX_QUERY_TERMS - len(seen)]
        if fresh:
            seen.update(term.text for term in fresh)
            groups.append(literal_group(fresh, text[segment.start : segment.end]))
        if len(seen) >= MAX_QUERY_TERMS:
            break
    return SearchQuery(tuple(groups))


def term_matches_word(term: Term, folded_word: str) -> bool:
    """Whether a query word term matches a document word, the way the indexes match it."""
    return any_term_matches((term,), folded_word)


def any_term_matches(terms: Sequence[Term], folded_word: str) -> bool:
    """Whether one of the word TERMS matches a document word (its stem or its surface form)."""
    stemmed = stem(folded_word)
    for term in terms:
        if term.is_prefix:
            if stemmed.startswith(term.text) or folded_word.startswith(term.text):
                return True
        elif term.text in (stemmed, folded_word):
            return True
    return False

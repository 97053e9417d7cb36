"""The one tokenizer behind both databases' full-text indexes, their queries and the highlighted snippets.

Chinese, Japanese and Korean text becomes overlapping character bigrams plus single characters; other words
are folded (NFKC, accents, case) and lightly stemmed, and query words match as prefixes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

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


def segments(text: str) -> Iterator[Segment]:
    """Words and CJK runs of TEXT in order; offsets index the original, unnormalised text."""
    for match in _SEGMENT_RE.finditer(text):
        cjk = match.group(1) is not None
        # CJK runs are only NFKC-normalised: decomposing would split Hangul syllables into letters.
        folded = unicodedata.normalize("NFKC", match.group()) if cjk else fold(match.group())
        if folded:
            yield Segment(match.start(), match.end(), folded, cjk)


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
    """One thing a query asks for; every term must match (AND)."""

    text: str
    is_prefix: bool
    is_cjk: bool


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[Term, ...]

    def __bool__(self) -> bool:
        return bool(self.terms)


def parse_query(text: str) -> SearchQuery:
    """The terms of a search box query: CJK runs as bigrams (or one character), words as stem prefixes."""
    terms: dict[str, Term] = {}
    for segment in segments(text):
        if segment.is_cjk:
            for gram in cjk_terms(segment.folded):
                terms.setdefault(gram, Term(gram, is_prefix=False, is_cjk=True))
        else:
            stemmed = stem(segment.folded)
            terms.setdefault(
                stemmed, Term(stemmed, is_prefix=len(stemmed) >= MIN_PREFIX_LENGTH, is_cjk=False)
            )
        if len(terms) >= MAX_QUERY_TERMS:
            break
    return SearchQuery(tuple(list(terms.values())[:MAX_QUERY_TERMS]))


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

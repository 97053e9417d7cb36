"""The SQLite catalogue as Datasette would serve it: a copy with a plain unicode61 FTS5 index over papers.

Run: `.venv/bin/python -m bench.datasette_setup bench/data/papers-100k.db`. The app's file is only read.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

# What a Datasette user would set up for a large, read-only table: `sqlite-utils enable-fts papers title
# summary --fts5`, i.e. an external-content FTS5 table with the default unicode61 tokenizer, written the way
# Datasette's detection expects (content=[papers]).
FTS_STATEMENTS = (
    "CREATE VIRTUAL TABLE papers_fts USING fts5(title, summary, content=[papers], content_rowid=id)",
    "INSERT INTO papers_fts (papers_fts) VALUES ('rebuild')",
    "INSERT INTO papers_fts (papers_fts) VALUES ('optimize')",
)


def copy_path(source: Path) -> Path:
    # Datasette names a database after its file's stem; one without dots keeps the URLs plain.
    return source.with_name(source.stem.replace(".", "-") + "-datasette.db")


def inspect_path(copy: Path) -> Path:
    return copy.with_suffix(".inspect.json")


def prepare(source: Path, *, force: bool = False) -> tuple[Path, Path]:
    """The Datasette copy of SOURCE and its inspect file (table counts), made unless already current."""
    copy, inspect = copy_path(source), inspect_path(copy_path(source))
    if not force and inspect.exists() and inspect.stat().st_mtime >= source.stat().st_mtime:
        return copy, inspect
    copy.unlink(missing_ok=True)
    started = time.perf_counter()
    # The backup API copies pages as they are (statistics included): much faster than VACUUM INTO at 1M rows.
    reader, writer = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(copy)
    try:
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=DELETE")  # immutable mode reads one file, no WAL
        for statement in FTS_STATEMENTS:
            writer.execute(statement)
        writer.commit()
    finally:
        reader.close()
        writer.close()
    datasette = Path(sys.executable).with_name("datasette")
    # Immutable databases are served with precomputed table counts, as Datasette's docs advise.
    subprocess.run([str(datasette), "inspect", str(copy), "--inspect-file", str(inspect)], check=True)
    print(f"Datasette copy {copy.name} ready in {time.perf_counter() - started:.0f} s")
    return copy, inspect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path, help="The app's SQLite file.")
    parser.add_argument("--force", action="store_true", help="Rebuild the copy even if it is current.")
    args = parser.parse_args()
    prepare(args.database, force=args.force)


if __name__ == "__main__":
    main()

"""The whole benchmark for one database in one command: make the data if needed, then measure.

    .venv/bin/python -m bench --database-url sqlite:///bench/data/papers-1m.db --papers 1000000 --datasette
    .venv/bin/python -m bench --database-url postgresql+psycopg://postgres@127.0.0.1:5432/paper_atlas_bench \\
        --papers 1000000 --baseline bench/results/<SQLite run>.json \\
        --baseline-uncached bench/results/<SQLite run>-uncached.json

An empty or missing database is created and filled by `bench.generate` (deterministic); one that already
holds the catalogue is only migrated to the newest schema. Then `bench.run` measures the app twice: as it
is deployed (answer cache on, Datasette beside it when asked), and with every request computed from the
database (`--no-response-cache`, reusing Datasette's rows of the first run), which is what the first
request of each query costs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from bench.generate import migrate, store_related
from bench.run import RESULTS_DIR


def ensure_database(database_url: str) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        return
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        )
        if not exists:
            connection.exec_driver_sql(
                f"CREATE DATABASE \"{url.database}\" ENCODING 'UTF8' TEMPLATE template0"
            )
    server.dispose()


def holds_papers(database_url: str) -> bool:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("papers"):
                return False
            return bool(connection.scalar(text("SELECT count(*) FROM papers")))
    finally:
        engine.dispose()


def newest_result() -> Path:
    return max(RESULTS_DIR.glob("*.json"), key=lambda path: path.stat().st_mtime)


def run(arguments: list[str]) -> None:
    print("$ python -m " + " ".join(arguments), flush=True)
    subprocess.run([sys.executable, "-m", *arguments], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--papers", type=int, default=1_000_000, help="Papers to generate into an empty database."
    )
    parser.add_argument("--datasette", action="store_true", help="Measure Datasette beside the app (SQLite).")
    parser.add_argument("--baseline", type=Path, help="An earlier result to divide by (PostgreSQL ÷ SQLite).")
    parser.add_argument("--baseline-uncached", type=Path, help="The same for the run with the cache off.")
    args, passed_on = parser.parse_known_args()

    ensure_database(args.database_url)
    if holds_papers(args.database_url):
        engine = create_engine(args.database_url)
        migrate(engine)
        store_related(
            engine
        )  # a list for every paper, as a deployed site keeps with `papers related refresh`
        engine.dispose()
    else:
        run(["bench.generate", "--papers", str(args.papers), "--database-url", args.database_url])

    measured = ["bench.run", "--database-url", args.database_url, *passed_on]
    baseline = ["--baseline", str(args.baseline)] if args.baseline else []
    run([*measured, *(["--datasette"] if args.datasette else []), *baseline])
    cached = newest_result()
    datasette = ["--datasette-from", str(cached)] if args.datasette else []
    baseline = ["--baseline", str(args.baseline_uncached)] if args.baseline_uncached else []
    run([*measured, "--no-response-cache", *datasette, *baseline])
    print(f"\nanswer cache on: bench/results/{cached.name}")
    print(f"answer cache off: bench/results/{newest_result().name}")


if __name__ == "__main__":
    main()

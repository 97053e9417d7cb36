"""Run the search relevance evaluation on a freshly seeded catalogue and print its figures.

python scripts/evaluate_search.py                      # a temporary SQLite database
python scripts/evaluate_search.py postgresql+psycopg://postgres@127.0.0.1:5432/test
                                                       # a throwaway database on that server
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import PROJECT_ROOT
from app.importing.seeding import seed_lists
from app.search import service as search
from tests.databases import migrate_to_head, temporary_database
from tests.search.relevance import evaluate, report


def run(url: str) -> str:
    engine = create_engine(url)
    try:
        migrate_to_head(engine)
        search.install()
        with Session(engine) as session:
            seed_lists(session, PROJECT_ROOT / "seeds", max_bytes=5 * 1024 * 1024)
            session.commit()
            return report(evaluate(session))
    finally:
        engine.dispose()


def main() -> None:
    if len(sys.argv) > 1:
        with temporary_database(sys.argv[1]) as url:
            print(f"PostgreSQL\n{run(url)}")
        return
    with tempfile.TemporaryDirectory() as directory:
        print(f"SQLite\n{run(f'sqlite:///{directory}/evaluate.db')}")


if __name__ == "__main__":
    main()

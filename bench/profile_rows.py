"""Where a benchmark row's time goes: in-process requests with SQL timings, the query plan, a Python profile.

Run: `.venv/bin/python -m bench.profile_rows --database-url sqlite:///bench/data/papers-1m.db --only facets`.
For each kind it prints the wall time per request, the share spent in SQL, the costliest statements with
their plan (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL) and the costliest app functions.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from app.config import Settings
from app.main import create_app
from bench import scenarios


@dataclass
class SqlLog:
    """Time per distinct statement while enabled, and one set of parameters to explain it with."""

    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    parameters: dict[str, Any] = field(default_factory=dict)
    enabled: bool = False

    def attach(self, engine: Engine) -> None:
        @event.listens_for(engine, "before_cursor_execute")
        def _before(
            conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
        ) -> None:
            conn.info["bench_started"] = time.perf_counter()

        @event.listens_for(engine, "after_cursor_execute")
        def _after(
            conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool
        ) -> None:
            if self.enabled:
                self.seconds[statement] += time.perf_counter() - conn.info.pop("bench_started")
                self.calls[statement] += 1
                self.parameters.setdefault(statement, parameters)

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()
        self.parameters.clear()


def explain(engine: Engine, statement: str, parameters: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute(prefix + statement, parameters)
        rows = cursor.fetchall()
        cursor.close()
    if engine.dialect.name == "sqlite":
        return "\n".join(f"    {'  ' * (row[1] > 0)}{row[-1]}" for row in rows)
    return "\n".join(f"    {row[0]}" for row in rows)


def profile_row(client: TestClient, engine: Engine, log: SqlLog, row: scenarios.Row, repeat: int) -> None:
    for _ in range(2):  # warm caches and the first-request imports
        assert client.get(row.app_path).status_code == 200
    log.reset()
    log.enabled = True
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(repeat):
        client.get(row.app_path)
    profiler.disable()
    wall = (time.perf_counter() - started) / repeat
    log.enabled = False
    sql = sum(log.seconds.values()) / repeat
    print(f"\n## {row.kind}  {row.app_path}")
    print(f"  {wall * 1000:.1f} ms per request (profiled), SQL {sql * 1000:.1f} ms ({sql / wall:.0%})")
    for statement, seconds in sorted(log.seconds.items(), key=lambda item: -item[1])[:3]:
        calls = log.calls[statement] / repeat
        shown = " ".join(statement.split())[:300]
        print(f"  {seconds / repeat * 1000:7.2f} ms in {calls:g} call(s): {shown}")
        print(explain(engine, statement, log.parameters[statement]))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(r"/app/", 12)
    print("\n".join(line for line in out.getvalue().splitlines() if "/app/" in line))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--only", default="", help="Comma-separated kinds (default: all).")
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    settings = Settings(
        database_url=args.database_url,
        environment="production",
        secret_key=secrets.token_urlsafe(32),
        log_level="WARNING",
    )
    app = create_app(settings)
    engine: Engine = app.state.engine
    log = SqlLog()
    log.attach(engine)
    probe = scenarios.probe(engine)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    with TestClient(app) as client:
        for row in scenarios.rows(probe):
            if not args.only or row.kind in args.only.split(","):
                profile_row(client, engine, log, row, args.repeat)


if __name__ == "__main__":
    main()

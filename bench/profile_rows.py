"""Where a benchmark row's time goes: SQL timings and plans in-process, then py-spy samples of the server.

Run: `.venv/bin/python -m bench.profile_rows --database-url sqlite:///bench/data/papers-1m.db --only facets`.
For each kind it prints the SQL time per request, the costliest statements with their plan (EXPLAIN QUERY
PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL), and where the served process spends its time under wrk.
"""

from __future__ import annotations

import argparse
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from app.config import Settings
from app.main import create_app
from bench import load, run
from bench.pools import build as build_pools


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


def sql_report(client: TestClient, engine: Engine, log: SqlLog, kind: str, paths: list[str]) -> None:
    """SQL per request over the first paths of a kind's pool (after two warming requests)."""
    for path in paths[-2:]:  # warm caches and the first-request imports
        assert client.get(path).status_code == 200
    measured = paths[:-2]
    log.reset()
    log.enabled = True
    started = time.perf_counter()
    for path in measured:
        client.get(path)
    elapsed = time.perf_counter() - started
    log.enabled = False
    repeat = max(len(measured), 1)
    sql = sum(log.seconds.values()) / repeat
    statements = sum(log.calls.values()) / repeat
    print(f"\n## {kind}  {measured[0] if measured else ''} … ({repeat} distinct queries)")
    print(f"  {elapsed / repeat * 1000:.1f} ms per request in-process")
    print(f"  SQL {sql * 1000:.1f} ms per request in {statements:g} statements")
    for statement, seconds in sorted(log.seconds.items(), key=lambda item: -item[1])[:3]:
        calls = log.calls[statement] / repeat
        shown = " ".join(statement.split())[:300]
        print(f"  {seconds / repeat * 1000:7.2f} ms in {calls:g} call(s): {shown}")
        print(explain(engine, statement, log.parameters[statement]))


def _frame_name(frame: str) -> str:
    # py-spy writes "function (path/to/file.py:line)"; keep the function and the file below the project.
    function, _, place = frame.partition(" (")
    path = place.split(":")[0]
    for marker in ("/app/", "/site-packages/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{function} ({path})"


# Frames every request passes through (threads, event loop, the CLI that started the server): not a cause.
_PLUMBING = (
    "threading.py",
    "asyncio/",
    "typer/",
    "anyio/",
    "uvicorn/",
    "fastapi/telemetry",
    "runpy.py",
    "cli.py",
)


def _is_plumbing(name: str) -> bool:
    return name.endswith(tuple(f"({place})" for place in _PLUMBING)) or any(
        f"({place}" in name for place in _PLUMBING
    )


def python_report(server: load.Server, requests_file: Path, size: int, seconds: int) -> None:
    """Sample the serving process with py-spy while wrk sends a kind's pool at concurrency 1; inclusive."""
    py_spy = Path(sys.executable).with_name("py-spy")
    output = Path(tempfile.mkdtemp()) / "stacks.txt"
    sampler = subprocess.Popen(
        [
            str(py_spy),
            "record",
            "--pid",
            str(server.process.pid),
            "--duration",
            str(seconds),
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            str(output),
            "--nonblocking",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    load.drive_pool(server.base_url, requests_file, offset=0, limit=size, concurrency=1, seconds=seconds)
    sampler.wait(timeout=seconds + 60)
    inclusive: Counter[str] = Counter()
    total = 0
    for line in output.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = {_frame_name(frame) for frame in stack.split(";")}
        if not any("(" in frame and "/" in frame for frame in frames):
            continue
        total += int(count)
        for frame in frames:
            inclusive[frame] += int(count)
    busy = [(name, samples) for name, samples in inclusive.most_common() if not _is_plumbing(name)]
    print(f"  python ({total} samples of the serving threads, inclusive):")
    for name, samples in busy[:16]:
        print(f"    {samples / max(total, 1):5.0%}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--only", default="", help="Comma-separated kinds (default: all).")
    parser.add_argument(
        "--repeat", type=int, default=20, help="Distinct requests per kind for the SQL timings."
    )
    parser.add_argument("--sample-seconds", type=int, default=8, help="py-spy sampling per kind (0: none).")
    args = parser.parse_args()
    settings = Settings(
        database_url=args.database_url,
        environment="production",
        secret_key=secrets.token_urlsafe(32),
        log_level="WARNING",
        response_cache_entries=0,  # the profile is of computing answers, not of serving stored ones
    )
    app = create_app(settings)
    engine: Engine = app.state.engine
    log = SqlLog()
    log.attach(engine)
    pools = build_pools(engine, size=max(args.repeat + 2, 300))
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    kinds = {
        kind: [query.app for query in queries]
        for kind, queries in pools.kinds.items()
        if not args.only or kind in args.only.split(",")
    }
    with TestClient(app) as client:
        for kind, paths in kinds.items():
            sql_report(client, engine, log, kind, paths[: args.repeat + 2])
    if args.sample_seconds:
        port = load.free_port()
        command = run.app_command(port, workers=1)
        directory = Path(tempfile.mkdtemp(prefix="bench-profile-"))
        with load.serving(
            command,
            port=port,
            ready_path="/healthz",
            env=run.app_env(args.database_url, response_cache=False),
        ) as server:
            for kind, paths in kinds.items():
                print(f"\n## {kind}")
                # The pool's other end: not the queries the SQL report already warmed.
                file = load.write_requests(directory / f"{kind}.txt", [(path, {}) for path in paths[::-1]])
                python_report(server, file, len(paths), args.sample_seconds)


if __name__ == "__main__":
    main()

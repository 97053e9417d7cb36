"""Benchmark the app's read path over HTTP, with Datasette beside it on the same SQLite data.

Run: `.venv/bin/python -m bench.run --database-url sqlite:///bench/data/papers-1m.db --datasette`.
For each kind of query it reports requests/s, p50/p99 latency and the server's CPU milliseconds per request
(median of --runs wrk runs) at each concurrency, checks every answer, prints a markdown table and writes JSON
to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bench import load, scenarios
from bench.datasette_setup import copy_path, prepare
from bench.scenarios import Probe, Row

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Measurement:
    server: str
    kind: str
    concurrency: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float
    errors: int
    runs: list[dict[str, float]] = field(default_factory=list)


def measure(
    server: load.Server, name: str, row: Row, path: str, concurrency: int, runs: int, seconds: float
) -> Measurement:
    taken = []
    for _ in range(runs):
        cpu_before = server.cpu_seconds()
        result = load.drive(server.base_url + path, concurrency=concurrency, seconds=seconds)
        cpu = server.cpu_seconds() - cpu_before
        taken.append(
            {
                "requests_per_second": result.requests_per_second,
                "p50_ms": result.p50_ms,
                "p99_ms": result.p99_ms,
                "cpu_ms_per_request": 1000 * cpu / max(result.requests, 1),
                "errors": result.errors,
            }
        )

    def median(key: str) -> float:
        return round(statistics.median(run[key] for run in taken), 3)

    return Measurement(
        server=name,
        kind=row.kind,
        concurrency=concurrency,
        requests_per_second=median("requests_per_second"),
        p50_ms=median("p50_ms"),
        p99_ms=median("p99_ms"),
        cpu_ms_per_request=median("cpu_ms_per_request"),
        errors=int(sum(run["errors"] for run in taken)),
        runs=taken,
    )


def app_command(port: int, workers: int) -> list[str]:
    papers = str(Path(sys.executable).with_name("papers"))
    return [papers, "serve", "--host", load.HOST, "--port", str(port), "--workers", str(workers)]


def app_env(database_url: str, *, response_cache: bool) -> dict[str, str]:
    env = {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "production",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "LOG_LEVEL": "WARNING",
    }
    if not response_cache:
        # Every request computed from the database: what the first request of each query costs.
        env["RESPONSE_CACHE_ENTRIES"] = "0"
    return env


def datasette_command(copy: Path, inspect: Path, port: int) -> list[str]:
    datasette = str(Path(sys.executable).with_name("datasette"))
    return [
        datasette,
        "serve",
        "-i",
        str(copy),
        "--inspect-file",
        str(inspect),
        "--host",
        load.HOST,
        "--port",
        str(port),
        "--setting",
        "default_page_size",
        "20",
        "--setting",
        "sql_time_limit_ms",
        "5000",
        "--setting",
        "facet_time_limit_ms",
        "5000",
        "--setting",
        "suggest_facets",
        "off",
    ]


def bench_server(
    name: str, server: load.Server, rows: list[Row], probe: Probe, args: argparse.Namespace
) -> tuple[list[Measurement], dict[str, dict[str, Any]]]:
    checks, measured = {}, []
    for row in rows:
        path = row.datasette_path if name == "datasette" else row.app_path
        if path is None:
            continue
        checks[row.kind] = scenarios.check(name, server.base_url, path, row, probe)
        print(f"  {name:9} {row.kind:14} {checks[row.kind]['verdict']}", flush=True)
        if scenarios.unanswerable(checks[row.kind]["verdict"]):
            continue  # the load of failures is not a throughput; the table says it cannot answer
        for concurrency in args.concurrency:
            result = measure(server, name, row, path, concurrency, args.runs, args.duration)
            measured.append(result)
            print(
                f"  {name:9} {row.kind:14} c={concurrency:<3} {result.requests_per_second:8.1f} req/s  "
                f"p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  "
                f"cpu {result.cpu_ms_per_request:6.2f} ms/req  errors {result.errors}",
                flush=True,
            )
    return measured, checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--datasette", action="store_true", help="Also measure Datasette (SQLite only).")
    parser.add_argument("--concurrency", default="1,16", type=lambda text: [int(n) for n in text.split(",")])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="Seconds per wrk run.")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes for the app.")
    parser.add_argument("--only", default="", help="Comma-separated kinds to run (default: all).")
    parser.add_argument(
        "--no-response-cache",
        dest="response_cache",
        action="store_false",
        help="Serve every request from the database (the app's answer cache off).",
    )
    parser.add_argument("--baseline", type=Path, help="A previous JSON result to compare with (PostgreSQL).")
    parser.add_argument(
        "--datasette-from",
        type=Path,
        help="Take Datasette's rows from an earlier result on the same data instead of measuring them again.",
    )
    args = parser.parse_args()

    url = make_url(args.database_url)
    engine = create_engine(args.database_url)
    probe = scenarios.probe(engine)
    engine.dispose()
    if url.get_backend_name() == "sqlite" and url.database:
        probe = replace(probe, datasette_db=copy_path(Path(url.database)).stem)
    rows = [row for row in scenarios.rows(probe) if not args.only or row.kind in args.only.split(",")]
    started = datetime.now(UTC)
    result: dict[str, Any] = {
        "database": url.get_backend_name(),
        "database_name": Path(url.database or "").name,
        "papers": probe.papers,
        "started_at": started.isoformat(timespec="seconds"),
        "load_average_before": os.getloadavg(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("baseline", "datasette_from")},
        "probe": asdict(probe),
    }
    port = load.free_port()
    cache = "answer cache on" if args.response_cache else "answer cache off"
    print(f"app on port {port}, {args.workers} worker(s), {cache}, {probe.papers:,} papers")
    with load.serving(
        app_command(port, args.workers),
        port=port,
        ready_path="/healthz",
        env=app_env(args.database_url, response_cache=args.response_cache),
    ) as server:
        measured, app_checks = bench_server("app", server, rows, probe, args)
    result["checks"] = {"app": app_checks}
    if args.datasette:
        if url.get_backend_name() != "sqlite" or not url.database:
            raise SystemExit("Datasette serves SQLite files only")
        copy, inspect = prepare(Path(url.database))
        port = load.free_port()
        with load.serving(
            datasette_command(copy, inspect, port), port=port, ready_path="/-/versions.json", env={}
        ) as server:
            more, ds_checks = bench_server("datasette", server, rows, probe, args)
        measured += more
        result["checks"]["datasette"] = ds_checks
    if args.datasette_from:
        earlier = json.loads(args.datasette_from.read_text())
        measured += [Measurement(**m) for m in earlier["measurements"] if m["server"] == "datasette"]
        result["checks"]["datasette"] = earlier["checks"]["datasette"]
        result["datasette_from"] = {"file": args.datasette_from.name, "started_at": earlier["started_at"]}
    result["load_average_after"] = os.getloadavg()
    result["measurements"] = [asdict(m) for m in measured]
    RESULTS_DIR.mkdir(exist_ok=True)
    uncached = "" if args.response_cache else "-uncached"
    name = f"{started:%Y%m%dT%H%M%S}-{result['database']}-{probe.papers}{uncached}.json"
    # Written before the table is drawn, so that no measurement is lost to a formatting error.
    (RESULTS_DIR / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    baseline = json.loads(args.baseline.read_text()) if args.baseline else None
    table = scenarios.markdown_table(result, baseline)
    result["table"] = table
    (RESULTS_DIR / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print()
    print(table)
    print(
        f"\nwritten to bench/results/{name}; load average {result['load_average_before']} → "
        f"{result['load_average_after']}"
    )


if __name__ == "__main__":
    main()

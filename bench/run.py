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
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from app.cli import default_workers
from bench import load, mix, scenarios
from bench.datasette_setup import copy_path, prepare
from bench.pools import Pools, add_cursors
from bench.pools import build as build_pools

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Measurement:
    server: str
    kind: str
    workers: int
    concurrency: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float
    errors: int
    requests: int
    repeated: int  # requests whose URL had already been sent to this server (the pool wrapped)
    runs: list[dict[str, float]] = field(default_factory=list)


@dataclass
class PoolCursor:
    """Where each kind's pool continues for one server: no URL is sent twice while the pool lasts."""

    sent: dict[str, int] = field(default_factory=dict)

    def take(self, kind: str, pool_size: int) -> tuple[int, int]:
        """(offset, repeats so far) for the next run of KIND."""
        sent = self.sent.get(kind, 0)
        return sent % pool_size, max(0, sent - pool_size)

    def advance(self, kind: str, requests: int, concurrency: int) -> None:
        # Answers still in flight when a run stops were sent too: skip past them.
        self.sent[kind] = self.sent.get(kind, 0) + requests + concurrency


def measure(
    server: load.Server,
    name: str,
    kind: str,
    requests_file: Path,
    pool_size: int,
    cursor: PoolCursor,
    *,
    workers: int,
    concurrency: int,
    args: argparse.Namespace,
) -> Measurement:
    taken = []
    repeated = 0
    for _ in range(args.runs):
        offset, _earlier = cursor.take(kind, pool_size)
        cpu_before = server.cpu_seconds()
        result = load.drive_pool(
            server.base_url,
            requests_file,
            offset=offset,
            limit=pool_size - offset,
            concurrency=concurrency,
            seconds=args.duration,
        )
        cpu = server.cpu_seconds() - cpu_before
        wrapped_before = cursor.sent.get(kind, 0) >= pool_size
        cursor.advance(kind, result.requests, concurrency)
        repeated += result.requests if wrapped_before else 0
        taken.append(
            {
                "requests": result.requests,
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
        kind=kind,
        workers=workers,
        concurrency=concurrency,
        requests_per_second=median("requests_per_second"),
        p50_ms=median("p50_ms"),
        p99_ms=median("p99_ms"),
        cpu_ms_per_request=median("cpu_ms_per_request"),
        errors=int(sum(run["errors"] for run in taken)),
        requests=int(sum(run["requests"] for run in taken)),
        repeated=repeated,
        runs=taken,
    )


def app_command(port: int, workers: int) -> list[str]:
    # `python -m app.cli` is `papers`, serving the app found from the working directory first.
    return [
        sys.executable,
        "-m",
        "app.cli",
        "serve",
        "--host",
        load.HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


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


def collect_cursors(base_url: str, count: int) -> list[str]:
    """COUNT successive cursors of the newest-first list, fetched past the answer cache (a cookie)."""
    cursors: list[str] = []
    with httpx.Client(base_url=base_url, timeout=60, headers={"Cookie": "bench=cursor-walk"}) as client:
        cursor = None
        while len(cursors) < count:
            params = {"sort": "newest", **({"cursor": cursor} if cursor else {})}
            cursor = client.get("/api/v1/papers", params=params).json()["next_cursor"]
            if cursor is None:
                break
            cursors.append(cursor)
    return cursors


def write_pool_files(pools: Pools, name: str, directory: Path) -> dict[str, tuple[Path, int]]:
    files = {}
    for kind, queries in pools.kinds.items():
        chosen = [query.datasette if name == "datasette" else query.app for query in queries]
        paths = [path for path in chosen if path is not None]
        if paths:
            file = load.write_requests(directory / f"{name}-{kind}.txt", [(path, {}) for path in paths])
            files[kind] = (file, len(paths))
    return files


def bench_server(
    name: str,
    server: load.Server,
    pools: Pools,
    checks: dict[str, scenarios.Check],
    args: argparse.Namespace,
    *,
    workers: int,
    directory: Path,
) -> tuple[list[Measurement], dict[str, str]]:
    verdicts, measured = {}, []
    files = write_pool_files(pools, name, directory)
    cursor = PoolCursor()
    for kind, (file, size) in files.items():
        paths = file.read_text().splitlines()
        # Checked with a cookie, so that the answer cache does not keep the checked answers.
        verdicts[kind] = scenarios.check(
            server.base_url, paths, checks.get(kind, scenarios.datasette_check), {"Cookie": "bench=check"}
        )
        print(f"  {name:9} {kind:14} {verdicts[kind]} ({size} queries)", flush=True)
        if scenarios.unanswerable(verdicts[kind]):
            continue  # the load of failures is not a throughput; the table says it cannot answer
        for concurrency in args.concurrency:
            result = measure(
                server, name, kind, file, size, cursor, workers=workers, concurrency=concurrency, args=args
            )
            measured.append(result)
            print(
                f"  {name:9} {kind:14} w={workers} c={concurrency:<3} "
                f"{result.requests_per_second:8.1f} req/s  "
                f"p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  "
                f"cpu {result.cpu_ms_per_request:6.2f} ms/req  errors {result.errors}  "
                f"repeats {result.repeated}",
                flush=True,
            )
    return measured, verdicts


def run_mix(
    server: load.Server,
    pools: Pools,
    tokens: list[str],
    args: argparse.Namespace,
    *,
    workers: int,
    directory: Path,
) -> list[dict[str, Any]]:
    """The realistic mix at each concurrency: Zipf reads over every pooled URL while a writer rates."""
    urls = [query.app for queries in pools.kinds.values() for query in queries]
    sequence = mix.zipf_sequence(
        urls, count=args.mix_requests, signed_in_share=args.signed_in, reader_token=tokens[0]
    )
    file = load.write_requests(directory / "mix.txt", sequence)
    paper_ids = [int(query.app.rsplit("/", 1)[1]) for query in pools.kinds["detail"]]
    results = []
    for concurrency in args.concurrency:
        writer = mix.Writer(server.base_url, tokens[1:], paper_ids[concurrency:])
        cpu_before = server.cpu_seconds()
        writer.start()
        result = load.drive_pool(
            server.base_url,
            file,
            offset=0,
            limit=len(sequence),
            concurrency=concurrency,
            seconds=args.mix_duration,
        )
        writer.stop()
        cpu = server.cpu_seconds() - cpu_before
        summary = {
            "workers": workers,
            "concurrency": concurrency,
            "signed_in_share": args.signed_in,
            "requests": result.requests,
            "requests_per_second": round(result.requests_per_second, 1),
            "p50_ms": result.p50_ms,
            "p99_ms": result.p99_ms,
            # The writer's CPU is in this too; it is one request a second.
            "cpu_ms_per_request": round(1000 * cpu / max(result.requests, 1), 3),
            "hit_share": f"{result.cache_hits / max(result.requests, 1):.0%}",
            "errors": result.errors,
            "writer": writer.summary(),
        }
        results.append(summary)
        print(f"  app       mix            w={workers} c={concurrency:<3} {summary}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--datasette", action="store_true", help="Also measure Datasette (SQLite only).")
    parser.add_argument("--concurrency", default="1,16", type=_numbers)
    parser.add_argument(
        "--workers",
        default=f"1,{default_workers()}",
        type=_numbers,
        help="uvicorn worker counts to measure the app with (default: one, and the deployed number).",
    )
    parser.add_argument("--runs", type=int, default=1, help="wrk runs per kind and concurrency (median).")
    parser.add_argument("--duration", type=int, default=5, help="Seconds per wrk run at most.")
    parser.add_argument("--pool", type=int, default=1000, help="Distinct queries per kind at most.")
    parser.add_argument("--only", default="", help="Comma-separated kinds to run (default: all).")
    parser.add_argument(
        "--no-response-cache",
        dest="response_cache",
        action="store_false",
        help="Serve every request from the database (the app's answer cache off).",
    )
    parser.add_argument("--no-mix", dest="mix", action="store_false", help="Skip the realistic mix.")
    parser.add_argument("--mix-duration", type=int, default=15, help="Seconds of each mix run.")
    parser.add_argument("--mix-requests", type=int, default=200_000, help="Reads drawn for the mix.")
    parser.add_argument("--signed-in", type=float, default=0.1, help="Share of mix reads with a token.")
    parser.add_argument("--baseline", type=Path, help="A previous JSON result to compare with.")
    parser.add_argument(
        "--datasette-from",
        type=Path,
        help="Take Datasette's rows from an earlier result on the same data instead of measuring them again.",
    )
    args = parser.parse_args()

    url = make_url(args.database_url)
    engine = create_engine(args.database_url)
    datasette_db = (
        copy_path(Path(url.database)).stem if url.get_backend_name() == "sqlite" and url.database else ""
    )
    pools = build_pools(engine, size=args.pool, datasette_db=datasette_db)
    checks = scenarios.app_checks(pools, engine)
    tokens = mix.tokens(engine, (mix.READER, *mix.WRITERS)) if args.mix and args.response_cache else []
    engine.dispose()
    started = datetime.now(UTC)
    result: dict[str, Any] = {
        "database": url.get_backend_name(),
        "database_name": Path(url.database or "").name,
        "papers": pools.papers,
        "started_at": started.isoformat(timespec="seconds"),
        "load_average_before": os.getloadavg(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("baseline", "datasette_from")},
        "pools": {kind: len(queries) for kind, queries in pools.kinds.items()},
    }
    cache = "answer cache on" if args.response_cache else "answer cache off"
    measured: list[Measurement] = []
    result["checks"] = {}
    result["mix"] = []
    directory = Path(tempfile.mkdtemp(prefix="bench-pools-"))
    for workers in args.workers:
        port = load.free_port()
        print(f"app on port {port}, {workers} worker(s), {cache}, {pools.papers:,} papers")
        try:
            serving = load.serving(
                app_command(port, workers),
                port=port,
                ready_path="/healthz",
                env=app_env(args.database_url, response_cache=args.response_cache),
            )
            server = serving.__enter__()
        except RuntimeError as exc:
            print(f"  app with {workers} worker(s) did not start: {exc}", flush=True)
            result.setdefault("failures", []).append(f"{workers} worker(s): {exc}")
            continue
        try:
            if "list_cursor" not in pools.kinds:
                add_cursors(pools, collect_cursors(server.base_url, args.pool))
            chosen = _only(pools, args.only)
            more, verdicts = bench_server(
                "app", server, chosen, checks, args, workers=workers, directory=directory
            )
            measured += more
            result["checks"]["app"] = verdicts
            if tokens:
                result["mix"] += run_mix(server, pools, tokens, args, workers=workers, directory=directory)
        finally:
            serving.__exit__(None, None, None)
    if args.datasette:
        if url.get_backend_name() != "sqlite" or not url.database:
            raise SystemExit("Datasette serves SQLite files only")
        copy, inspect = prepare(Path(url.database))
        port = load.free_port()
        with load.serving(
            datasette_command(copy, inspect, port), port=port, ready_path="/-/versions.json", env={}
        ) as server:
            more, ds_verdicts = bench_server(
                "datasette", server, _only(pools, args.only), {}, args, workers=1, directory=directory
            )
        measured += more
        result["checks"]["datasette"] = ds_verdicts
    if args.datasette_from:
        earlier = json.loads(args.datasette_from.read_text())
        measured += [Measurement(**m) for m in earlier["measurements"] if m["server"] == "datasette"]
        result["checks"]["datasette"] = earlier["checks"]["datasette"]
        result["datasette_from"] = {"file": args.datasette_from.name, "started_at": earlier["started_at"]}
    result["load_average_after"] = os.getloadavg()
    result["measurements"] = [asdict(m) for m in measured]
    RESULTS_DIR.mkdir(exist_ok=True)
    uncached = "" if args.response_cache else "-uncached"
    name = f"{started:%Y%m%dT%H%M%S}-{result['database']}-{pools.papers}{uncached}.json"
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


def _numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


def _only(pools: Pools, only: str) -> Pools:
    if not only:
        return pools
    kinds = {kind: queries for kind, queries in pools.kinds.items() if kind in only.split(",")}
    return Pools(kinds=kinds, tag_totals=pools.tag_totals, papers=pools.papers)


if __name__ == "__main__":
    main()

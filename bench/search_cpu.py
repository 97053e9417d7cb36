"""CPU time per search request, over distinct words drawn like the benchmark's pools (answer cache off).

    python -m bench.search_cpu --database-url 'sqlite:///file:bench/data/papers-1m.db?mode=ro&uri=true'

The process's CPU time (every thread) is taken around each request made through the app in process, so a
busy machine slows the wall clock but hardly the figures. `--profile KIND` prints cProfile's costliest
functions for that kind. Opened read-only, the database is never written.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import secrets
import statistics
import time
from collections.abc import Callable
from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from app.config import Settings
from app.main import create_app
from bench.pools import chinese_words, english_words

KINDS: dict[str, Callable[[str], str]] = {
    "search_en": lambda word: f"/api/v1/papers?q={quote(word)}",
    "search_zh": lambda word: f"/api/v1/papers?q={quote(word)}",
    "facets_search": lambda word: f"/api/v1/papers/facets?q={quote(word)}",
    "search_page_en": lambda word: f"/papers?q={quote(word)}",
    "search_page_zh": lambda word: f"/papers?q={quote(word)}",
}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--queries", type=int, default=60, help="distinct words per kind")
    parser.add_argument("--only", default="", help="comma-separated kinds (default: all)")
    parser.add_argument("--profile", default="", help="a kind to run under cProfile")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    settings = Settings(
        database_url=args.database_url,
        environment="production",
        secret_key=secrets.token_urlsafe(32),
        log_level="WARNING",
        response_cache_entries=0,
    )
    app = create_app(settings)
    engine: Engine = app.state.engine
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        statements[0] += 1

    with engine.connect() as connection:
        rng = random.Random(args.seed)
        english = english_words(connection, rng, args.queries * 3)
        chinese = chinese_words(connection, rng, args.queries * 2)
    words = {
        "search_en": english[: args.queries],
        "search_zh": chinese[: args.queries],
        "facets_search": english[args.queries : 2 * args.queries],
        "search_page_en": english[2 * args.queries :],
        "search_page_zh": chinese[args.queries :],
    }
    kinds = [kind for kind in KINDS if not args.only or kind in args.only.split(",")]
    print(
        f"{'kind':<15} {'n':>3} {'cpu mean':>8} {'cpu p50':>8} {'cpu p90':>8} {'cpu p99':>8} "
        f"{'wall p50':>8} {'wall p99':>8} {'SQL/req':>7}"
    )
    with TestClient(app) as client:
        for path in ("/api/v1/papers?q=warmup", "/api/v1/papers/facets?q=warmup", "/papers?q=warmup"):
            client.get(path)  # the first requests load what a process keeps (vocabulary, templates)
        for kind in kinds:
            cpu: list[float] = []
            wall: list[float] = []
            statements[0] = 0
            profiler = cProfile.Profile() if kind == args.profile else None
            for word in words[kind]:
                path = KINDS[kind](word)
                started_cpu, started = time.process_time(), time.perf_counter()
                if profiler is not None:
                    profiler.enable()
                response = client.get(path)
                if profiler is not None:
                    profiler.disable()
                cpu.append((time.process_time() - started_cpu) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            figures = [
                statistics.mean(cpu),
                *(_percentile(cpu, share) for share in (0.5, 0.9, 0.99)),
                *(_percentile(wall, share) for share in (0.5, 0.99)),
            ]
            cells = " ".join(f"{figure:>8.1f}" for figure in figures)
            print(f"{kind:<15} {len(cpu):>3} {cells} {statements[0] / len(cpu):>7.1f}", flush=True)
            if profiler is not None:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    engine.dispose()


if __name__ == "__main__":
    main()

"""The realistic mix: Zipf-distributed reads over every pooled URL, some readers signed in, a writer rating.

Reads go through wrk (bench/roundrobin.lua over a pre-drawn sequence, so repeats follow the Zipf law);
a thread rates a different paper every second with an API token and times each write on its own.
"""

from __future__ import annotations

import random
import secrets
import statistics
import threading
import time
from dataclasses import dataclass, field

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.errors import NotFound

SEED = 23
READER = "bench-reader"
# Ratings are limited per user (30 a minute by default): a writer a second rotates over three accounts.
WRITERS = ("bench-writer-1", "bench-writer-2", "bench-writer-3")


def tokens(engine: Engine, usernames: tuple[str, ...]) -> list[str]:
    """A fresh API token for each of these accounts, created when missing (bench data only)."""
    plain = []
    with Session(engine) as session:
        for username in usernames:
            try:
                user = accounts.get_user_by_name(session, username)
            except NotFound:
                user = accounts.create_user(session, username, secrets.token_urlsafe(24), fast_hash=True)
            plain.append(accounts.create_api_token(session, user, "benchmark")[1])
        session.commit()
    return plain


def zipf_sequence(
    urls: list[str], *, count: int, signed_in_share: float, reader_token: str
) -> list[tuple[str, dict[str, str]]]:
    """COUNT reads drawn with probability 1/rank over URLS in a shuffled order; a share carries a token."""
    rng = random.Random(SEED)
    ranked = sorted(set(urls))
    rng.shuffle(ranked)
    weights = [1 / (rank + 1) for rank in range(len(ranked))]
    chosen = rng.choices(ranked, weights=weights, k=count)
    signed_in = {"Authorization": f"Bearer {reader_token}"}
    return [(url, signed_in if rng.random() < signed_in_share else {}) for url in chosen]


@dataclass
class Writer:
    """Rates one paper a second (a different one each time) until stopped; keeps each write's latency."""

    base_url: str
    tokens: list[str]
    paper_ids: list[int]
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def _run(self) -> None:
        rng = random.Random(SEED)
        with httpx.Client(base_url=self.base_url, timeout=30) as client:
            index = 0
            while not self._stop.is_set():
                started = time.perf_counter()
                paper_id = self.paper_ids[index % len(self.paper_ids)]
                token = self.tokens[index % len(self.tokens)]
                response = client.put(
                    f"/api/v1/papers/{paper_id}/rating",
                    json={"score": rng.randint(1, 5)},
                    headers={"Authorization": f"Bearer {token}"},
                )
                elapsed = time.perf_counter() - started
                if response.status_code == 200:
                    self.latencies_ms.append(elapsed * 1000)
                else:
                    self.failures.append(response.status_code)
                index += 1
                self._stop.wait(max(0.0, 1.0 - elapsed))

    def summary(self) -> dict[str, float | int]:
        ordered = sorted(self.latencies_ms)

        def at(share: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0

        return {
            "writes": len(ordered),
            "failed": len(self.failures),
            "p50_ms": round(statistics.median(ordered), 1) if ordered else 0.0,
            "p99_ms": at(0.99),
            "max_ms": round(ordered[-1], 1) if ordered else 0.0,
        }

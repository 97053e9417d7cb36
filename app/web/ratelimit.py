"""In-process sliding-window rate limits: a 429 with Retry-After once a key has used up its window.

Each app instance keeps its own counters (one process, one limiter); behind several workers each worker counts
separately, so the limits configured are per worker.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from app.errors import RateLimited
from app.web.i18n import N_, _

_SWEEP_EVERY = 1024


@dataclass(frozen=True)
class Limit:
    """At most COUNT events per WINDOW_SECONDS."""

    count: int
    window_seconds: int


class SlidingWindowLimiter:
    """Remembers the time of each recent event per key; thread-safe for sync endpoints in the pool."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._calls = 0

    def hit(self, key: str, limit: Limit) -> int | None:
        """Record an event for KEY: None when allowed, else the seconds to wait (and nothing is recorded)."""
        now = self._clock()
        with self._lock:
            self._calls += 1
            if self._calls % _SWEEP_EVERY == 0:
                self._sweep(now, limit.window_seconds)
            events = self._events.setdefault(key, deque())
            horizon = now - limit.window_seconds
            while events and events[0] <= horizon:
                events.popleft()
            if len(events) >= limit.count:
                return max(1, math.ceil(events[0] + limit.window_seconds - now))
            events.append(now)
            return None

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def _sweep(self, now: float, window_seconds: int) -> None:
        # Drop keys idle for longer than any window we use, so memory follows recent traffic only.
        horizon = now - max(window_seconds, 3600)
        for key in [key for key, events in self._events.items() if not events or events[-1] <= horizon]:
            del self._events[key]


_app_lock = threading.Lock()


def limiter(request: Request) -> SlidingWindowLimiter:
    state = request.app.state
    found: SlidingWindowLimiter | None = getattr(state, "rate_limiter", None)
    if found is None:
        with _app_lock:
            found = getattr(state, "rate_limiter", None)
            if found is None:
                found = SlidingWindowLimiter()
                state.rate_limiter = found
    return found


def client_ip(request: Request) -> str:
    # Behind a proxy, uvicorn's --proxy-headers (trusted hosts only) has already put the real address here.
    return request.client.host if request.client else "unknown"


def enforce(request: Request, key: str, limit: Limit, *, what: str = N_("requests")) -> None:
    """Count one event for KEY; raise RateLimited (429, Retry-After) when over LIMIT.

    WHAT is marked with N_() by the caller and named in the reader's language.
    """
    if not request.app.state.settings.rate_limits_enabled:
        return
    retry_after = limiter(request).hit(key, limit)
    if retry_after is not None:
        message = _("Too many %(what)s; try again in %(seconds)s seconds.", what=_(what), seconds=retry_after)
        raise RateLimited(message, retry_after=retry_after)

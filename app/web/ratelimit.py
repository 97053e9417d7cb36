"""Sliding-window rate limits kept in the database: a 429 with Retry-After once a key has used up its window.

Every process counts in the same table (on SQLite and PostgreSQL alike), so two workers allow what one
would, not twice as much. Each event is written in a short transaction of its own, beside the request's:
a refused or failed request still counts, and the request's own write lock is not held for it.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Float, Index, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.requests import Request

from app.db import Base, SideTransactions, side_transactions
from app.errors import RateLimited
from app.web.i18n import N_, _

_SWEEP_EVERY = 512
_KEEP_SECONDS = 24 * 3600  # longer than any window configured in practice
_MAX_KEY_LENGTH = 200


class RateLimitEvent(Base):
    """One counted event (a sign-in attempt, a write) of one key, at a Unix time."""

    __tablename__ = "rate_limit_events"
    __table_args__ = (
        Index("ix_rate_limit_events_key_at", "key", "at"),
        Index("ix_rate_limit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(_MAX_KEY_LENGTH))
    at: Mapped[float] = mapped_column(Float)


@dataclass(frozen=True)
class Limit:
    """At most COUNT events per WINDOW_SECONDS."""

    count: int
    window_seconds: int


class DatabaseLimiter:
    """Counts events per key in rate_limit_events, through the request's side transactions."""

    _calls = 0

    def __init__(self, transactions: SideTransactions, clock: Callable[[], float] = time.time) -> None:
        self._transactions = transactions
        self._clock = clock

    def hit(self, key: str, limit: Limit) -> int | None:
        """Record an event for KEY: None when allowed, else the seconds to wait (and nothing is recorded)."""
        key = key[:_MAX_KEY_LENGTH]
        now = self._clock()
        with self._transactions.write() as session:
            _serialise_per_key(session, key)
            count, oldest = session.execute(
                select(func.count(), func.min(RateLimitEvent.at)).where(
                    RateLimitEvent.key == key, RateLimitEvent.at > now - limit.window_seconds
                )
            ).one()
            if count >= limit.count:
                return max(1, math.ceil(oldest + limit.window_seconds - now))
            session.execute(insert(RateLimitEvent).values(key=key, at=now))
            DatabaseLimiter._calls += 1
            if DatabaseLimiter._calls % _SWEEP_EVERY == 0:
                session.execute(delete(RateLimitEvent).where(RateLimitEvent.at <= now - _KEEP_SECONDS))
        return None

    def reset(self, key: str) -> None:
        with self._transactions.write() as session:
            session.execute(delete(RateLimitEvent).where(RateLimitEvent.key == key[:_MAX_KEY_LENGTH]))


def _serialise_per_key(session: Session, key: str) -> None:
    # SQLite's write transaction already excludes every other writer; PostgreSQL's READ COMMITTED would
    # let two processes both count N-1 and both insert, so they take turns per key.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))


def limiter(request: Request) -> DatabaseLimiter:
    return DatabaseLimiter(side_transactions(request))


def client_ip(request: Request) -> str:
    """The client's address: the peer's, or what a trusted proxy (FORWARDED_ALLOW_IPS) says it forwarded for.

    `papers serve` gives uvicorn the same list, so behind a configured proxy the peer is already the client;
    the header is read here too for servers started otherwise, and only from the proxies listed.
    """
    peer = request.client.host if request.client else "unknown"
    trusted = trusted_proxies(request.app.state.settings.forwarded_allow_ips)
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    forwarded = [
        part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()
    ]
    for address in reversed(forwarded):
        if not _is_trusted(address, trusted):
            return address
    return forwarded[0] if forwarded else peer


def trusted_proxies(setting: str) -> frozenset[str]:
    return frozenset(part.strip() for part in setting.split(",") if part.strip())


def _is_trusted(address: str, trusted: frozenset[str]) -> bool:
    if "*" in trusted or address in trusted:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in trusted:
        if "/" in entry:
            try:
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


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

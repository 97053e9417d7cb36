"""The one polite way to ask a source: a User-Agent with a contact, timeouts, a pause between requests,
retries with backoff on 429 and 5xx (honouring Retry-After), and a pause after a source proved unreachable."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import httpx

from app.config import Settings
from app.metadata.errors import SourceUnavailable

PRODUCT = "PaperAtlas/0.1"
_RETRIED_STATUSES = {429, 500, 502, 503, 504}


@dataclass
class _Pacing:
    """What one process remembers about a source, shared by every request and command thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    next_request_at: float = 0.0
    unreachable_until: float = 0.0


_PACING: dict[str, _Pacing] = {}
_PACING_LOCK = threading.Lock()


def _pacing(base_url: str) -> _Pacing:
    with _PACING_LOCK:
        return _PACING.setdefault(base_url, _Pacing())


def user_agent(settings: Settings) -> str:
    contact = settings.metadata_contact.strip()
    if not contact:
        return f"{PRODUCT} (bibliographic look-ups for a paper catalogue)"
    prefix = "" if "://" in contact else "mailto:"
    return f"{PRODUCT} ({prefix}{contact})"


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


class PoliteClient:
    """GETs against one source's base URL; every failure becomes SourceUnavailable."""

    def __init__(self, settings: Settings, *, source: str, base_url: str, interval: float) -> None:
        self.settings = settings
        self.source = source
        self.base_url = base_url.rstrip("/")
        self.interval = interval
        self.pacing = _pacing(self.base_url)
        timeout = httpx.Timeout(
            settings.metadata_timeout_seconds, connect=settings.metadata_connect_timeout_seconds
        )
        self.http = httpx.Client(
            timeout=timeout, headers={"User-Agent": user_agent(settings)}, follow_redirects=True
        )

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, params: Mapping[str, str] | None = None) -> httpx.Response:
        """The answer (2xx or 404); retried on 429/5xx and dropped connections, then SourceUnavailable.

        A source that cannot be connected to, or does not answer in time, is not retried: offline, a person
        pressing "Fill in" should hear so at once, and the source is left alone for a pause afterwards.
        """
        if self.pacing.unreachable_until > time.monotonic():
            raise SourceUnavailable(self.source, "it did not answer a moment ago")
        url = f"{self.base_url}{path}"
        retries = self.settings.metadata_retries
        for attempt in range(retries + 1):
            self._wait_for_turn()
            try:
                response = self.http.get(url, params=params)
            except (httpx.ConnectError, httpx.TimeoutException) as exc:
                self.pacing.unreachable_until = (
                    time.monotonic() + self.settings.metadata_unreachable_pause_seconds
                )
                reason = (
                    "no connection" if isinstance(exc, httpx.ConnectError) else "it did not answer in time"
                )
                raise SourceUnavailable(self.source, reason) from exc
            except httpx.TransportError as exc:
                if attempt == retries:
                    raise SourceUnavailable(self.source, "the connection broke off") from exc
                self._sleep(self._backoff(attempt))
                continue
            if response.status_code not in _RETRIED_STATUSES:
                if response.status_code >= 400 and response.status_code != 404:
                    raise SourceUnavailable(self.source, f"it answered HTTP {response.status_code}")
                return response
            reason = (
                "it asked us to slow down"
                if response.status_code == 429
                else f"it answered HTTP {response.status_code}"
            )
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait is not None and wait > self.settings.metadata_max_wait_seconds:
                raise SourceUnavailable(self.source, f"{reason} for {wait:.0f} s")
            if attempt == retries:
                raise SourceUnavailable(self.source, reason)
            self._sleep(wait if wait is not None else self._backoff(attempt))
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises

    def _backoff(self, attempt: int) -> float:
        return float(self.settings.metadata_backoff_seconds * 2**attempt)

    @staticmethod
    def _sleep(seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def _wait_for_turn(self) -> None:
        """At most one request per interval to this source from this process.

        A queue longer than METADATA_MAX_WAIT_SECONDS is refused rather than joined, so a burst of look-ups
        cannot tie up every worker thread in waiting.
        """
        with self.pacing.lock:
            now = time.monotonic()
            wait = self.pacing.next_request_at - now
            if wait > self.settings.metadata_max_wait_seconds:
                raise SourceUnavailable(self.source, "too many look-ups are waiting their turn")
            self.pacing.next_request_at = max(now, self.pacing.next_request_at) + self.interval
        self._sleep(wait)


@contextmanager
def polite_client(
    settings: Settings, *, source: str, base_url: str, interval: float
) -> Iterator[PoliteClient]:
    client = PoliteClient(settings, source=source, base_url=base_url, interval=interval)
    try:
        yield client
    finally:
        client.close()

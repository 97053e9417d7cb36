"""A shared cache of anonymous GET answers, each valid while the catalogue generation it was made at lasts.

Public pages and API reads depend only on the URL and the catalogue, so once one is computed, the same
request can be answered with the same bytes until the next commit that changes the catalogue. That is what a
reverse proxy would do with a purge on every write; doing it here keeps it exact and needs nothing to run.

What is stored, and what is not:
- only GET requests without an Authorization header or any cookie but the language choice (a signed-in
  page shows its reader; flash messages and CSRF tokens come from cookies), answered 200 without setting a
  cookie (a page with a form hands out its CSRF cookie) and without `no-store` or `private`;
- the key is the scheme, host, path and query string (feeds and links use the host) and the language the
  request was answered in, so a reader never gets a page in the other reader's language;
- headers added outside this middleware (request id, security headers) are added again on every answer.

A request costs one read of the catalogue version; when the catalogue changed, every stored answer is dropped
at once; when only ratings did, the answers they change (`app.web.answer_store`).
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.generation import CatalogueVersion, GenerationReader
from app.rating_dependencies import recording
from app.web.answer_store import AnswerStore, CacheKey, StoredAnswer
from app.web.cookies import has_pending_cookies
from app.web.etag import etag_matches
from app.web.locale_choice import LANGUAGE_COOKIE_NAMES, request_locale

logger = logging.getLogger("paper_atlas.response_cache")

CACHE_STATUS_HEADER = b"x-cache"
_UNCACHEABLE_DIRECTIVES = ("no-store", "private")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def _only_language_cookie(value: bytes) -> bool:
    names = {part.partition(b"=")[0].strip() for part in value.split(b";") if part.strip()}
    return all(name.decode("latin-1") in LANGUAGE_COOKIE_NAMES for name in names)


def _is_shareable_request(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    for name, value in scope["headers"]:
        if name == b"authorization" or (name == b"cookie" and not _only_language_cookie(value)):
            return False
    return True


def _is_shareable_answer(status: int, headers: list[tuple[bytes, bytes]]) -> bool:
    if status != 200:
        return False
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"set-cookie":
            return False
        if lowered == b"cache-control" and any(d in value.decode("latin-1") for d in _UNCACHEABLE_DIRECTIVES):
            return False
    return True


class ResponseCacheMiddleware:
    """Answers repeated anonymous GETs from the AnswerStore while the catalogue generation is unchanged."""

    def __init__(self, app: ASGIApp, *, max_entries: int, max_bytes: int, max_answer_bytes: int) -> None:
        self.app = app
        self.store = AnswerStore(max_entries=max_entries, max_bytes=max_bytes)
        self.max_answer_bytes = max_answer_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reader: GenerationReader | None = getattr(scope["app"].state, "catalogue_generation", None)
        if reader is None or self.store.max_entries <= 0 or not _is_shareable_request(scope):
            await self.app(scope, receive, send)
            return
        try:
            version = await reader()
            rated_papers = None
            if self.store.version is not None and self.store.needs_rating_changes(version):
                seen = self.store.version.rating_seq
                rated_papers = await reader.rating_changes_since(seen, version.rating_seq)
        except Exception:
            # The endpoint will meet the same database problem and answer it properly.
            logger.warning("catalogue generation unreadable; answering uncached", exc_info=True)
            await self.app(scope, receive, send)
            return
        self.store.move_to(version, rated_papers)
        key: CacheKey = (
            scope["scheme"],
            _header(scope, b"host") or b"",
            scope["path"],
            scope["query_string"],
            request_locale(scope),
        )
        stored = self.store.get(key)
        if stored is not None:
            await self._answer_from_store(scope, stored, send)
            return
        await self._answer_and_store(scope, receive, send, key, version)

    async def _answer_from_store(self, scope: Scope, stored: StoredAnswer, send: Send) -> None:
        headers = [*stored.headers, (CACHE_STATUS_HEADER, b"hit")]
        if_none_match = _header(scope, b"if-none-match")
        if (
            stored.etag is not None
            and if_none_match is not None
            and etag_matches(if_none_match.decode("latin-1"), stored.etag)
        ):
            kept = [(name, value) for name, value in headers if name.lower() != b"content-length"]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": stored.body})

    async def _answer_and_store(
        self, scope: Scope, receive: Receive, send: Send, key: CacheKey, version: CatalogueVersion
    ) -> None:
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        size = 0
        keep = False

        async def capture(message: Message) -> None:
            nonlocal status, headers, size, keep
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                # Cookies queued during the request are added outside this middleware, so ask for them here.
                keep = _is_shareable_answer(status, headers) and not has_pending_cookies(scope)
                message["headers"] = [*headers, (CACHE_STATUS_HEADER, b"miss" if keep else b"bypass")]
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                if size > self.max_answer_bytes:
                    keep = False
                    chunks.clear()
                else:
                    chunks.append(body)
                # Kept only when nothing moved while it was computed: a rating seen meanwhile may be missing.
                if not message.get("more_body", False) and keep and self.store.version == version:
                    etag = next((v.decode() for n, v in headers if n.lower() == b"etag"), None)
                    self.store.put(key, StoredAnswer(headers, b"".join(chunks), etag, ratings))
            await send(message)

        with recording() as ratings:
            await self.app(scope, receive, capture)

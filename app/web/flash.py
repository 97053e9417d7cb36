"""One-time messages for the next page ("Paper added."), carried across the 303 redirect in a signed cookie.

`flash(request, "Saved.")` in a handler; templates get `flashes`, a list of `Flash(message, category)`
emptied (and its cookie cleared) once a page reads it. The cookie is signed, so nobody can plant a message,
and messages are text: templates escape them like everything else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

from starlette.requests import Request

from app.web.cookies import queue_cookie, queue_cookie_deletion, read_cookie, sign, unsign
from app.web.templating import add_context_processor

FlashCategory = Literal["success", "error", "info"]
FLASH_COOKIE = "pa_flash"
_PURPOSE = "flash"
_STATE = "flash_messages"
_MAX_MESSAGES = 5
_MAX_LENGTH = 500
_CATEGORIES = ("success", "error", "info")


class Flash(NamedTuple):
    message: str
    category: str


def _secret(request: Request) -> str:
    secret: str = request.app.state.settings.secret_key
    return secret


def _queued(request: Request) -> list[Flash]:
    state = request.scope.setdefault("state", {})
    if _STATE not in state:
        state[_STATE] = _read(request)
    queued: list[Flash] = state[_STATE]
    return queued


def _read(request: Request) -> list[Flash]:
    signed = read_cookie(request, FLASH_COOKIE)
    if not signed:
        return []
    payload = unsign(_secret(request), _PURPOSE, signed)
    if payload is None:
        return []
    try:
        items = json.loads(payload)
    except ValueError:
        return []
    return [
        Flash(str(message)[:_MAX_LENGTH], category) for message, category in items if category in _CATEGORIES
    ][:_MAX_MESSAGES]


def _store(request: Request, messages: list[Flash]) -> None:
    if not messages:
        if read_cookie(request, FLASH_COOKIE) is not None:
            queue_cookie_deletion(request, FLASH_COOKIE)
        return
    payload = json.dumps([[message, category] for message, category in messages], ensure_ascii=False)
    queue_cookie(request, FLASH_COOKIE, sign(_secret(request), _PURPOSE, payload), max_age=600)


def flash(request: Request, message: str, category: FlashCategory = "success") -> None:
    """Show MESSAGE once on the next page this visitor sees (usually the target of a 303 redirect)."""
    if category not in _CATEGORIES:
        raise ValueError(f"unknown flash category {category!r}")
    messages = _queued(request)
    messages.append(Flash(message[:_MAX_LENGTH], category))
    del messages[:-_MAX_MESSAGES]
    _store(request, messages)


def take_flashes(request: Request) -> list[Flash]:
    """The pending messages, removed so that they show only once."""
    messages = list(_queued(request))
    _queued(request).clear()
    _store(request, [])
    return messages


class PendingFlashes:
    """Read on first use: a page that never shows `flashes` leaves them for the next one."""

    def __init__(self, request: Request) -> None:
        self._request = request
        self._messages: list[Flash] | None = None

    def _load(self) -> list[Flash]:
        if self._messages is None:
            self._messages = take_flashes(self._request)
        return self._messages

    def __iter__(self) -> Iterator[Flash]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())

    def __bool__(self) -> bool:
        return bool(self._load())


def flash_context(request: Request) -> dict[str, Any]:
    return {"flashes": PendingFlashes(request)}


add_context_processor(flash_context)

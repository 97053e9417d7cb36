"""Opaque keyset cursors: the last row's sort value and id, tied to the filters and sort they came from."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.catalog.schemas import PaperFilters, PaperSort
from app.db import MAX_ID
from app.errors import InvalidInput
from app.translatable import N_

CursorValue = int | float | str | datetime | None


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (or, `backwards`, before) the row with `value` and `paper_id`.

    `in_nulls` says that row is among the papers without a sort value, which come last. `position` is how
    many papers come before the page it leads to, for "papers 21–40 of 153" (an estimate: papers added or
    removed meanwhile shift it).
    """

    value: CursorValue
    paper_id: int
    in_nulls: bool = False
    backwards: bool = False
    position: int = 0


def fingerprint(filters: PaperFilters, sort: PaperSort) -> str:
    """A short digest of the query a cursor belongs to, so it cannot be replayed against another."""
    text = f"{sort.value}?{filters.query_string()}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def encode_cursor(cursor: Cursor, sort: PaperSort, query_fingerprint: str) -> str:
    value = cursor.value.isoformat() if isinstance(cursor.value, datetime) else cursor.value
    payload = {
        "s": sort.value,
        "f": query_fingerprint,
        "v": value,
        "i": cursor.paper_id,
        "n": cursor.in_nulls,
        "b": cursor.backwards,
        "p": cursor.position,
    }
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid(reason: str) -> InvalidInput:
    return InvalidInput(f"That cursor is not valid here: {reason}.", fields={"cursor": reason})


def _checked_value(sort: PaperSort, value: Any) -> CursorValue:
    if value is None:
        return None
    if sort in (PaperSort.NEWEST, PaperSort.OLDEST, PaperSort.IMPORTANCE):
        if type(value) is int and -(2**31) <= value <= MAX_ID:
            return value
    elif sort in (PaperSort.RATING, PaperSort.RELEVANCE):
        if type(value) in (int, float) and math.isfinite(value) and abs(value) < 1e12:
            return float(value)
    elif sort is PaperSort.TITLE:
        if isinstance(value, str) and len(value) <= 500 and "\x00" not in value:
            return value
    elif sort is PaperSort.ADDED and isinstance(value, str) and len(value) <= 40:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise _invalid(N_("malformed")) from None
        if parsed.tzinfo is not None:
            return parsed
    raise _invalid(N_("malformed"))


def decode_cursor(text: str, sort: PaperSort, query_fingerprint: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _invalid(N_("malformed")) from None
    if not isinstance(payload, dict) or set(payload) != {"s", "f", "v", "i", "n", "b", "p"}:
        raise _invalid(N_("malformed"))
    if payload["s"] != sort.value or payload["f"] != query_fingerprint:
        raise _invalid(N_("it belongs to other filters or another sort"))
    paper_id, in_nulls, backwards, position = payload["i"], payload["n"], payload["b"], payload["p"]
    if type(paper_id) is not int or not 0 < paper_id <= MAX_ID or type(in_nulls) is not bool:
        raise _invalid(N_("malformed"))
    if type(backwards) is not bool or type(position) is not int or not 0 <= position <= MAX_ID:
        raise _invalid(N_("malformed"))
    value = _checked_value(sort, payload["v"])
    if (value is None) != in_nulls:
        raise _invalid(N_("malformed"))
    return Cursor(value=value, paper_id=paper_id, in_nulls=in_nulls, backwards=backwards, position=position)

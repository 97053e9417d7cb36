"""Conditional GET for JSON reads: an ETag over the body, and 304 Not Modified when the client has it."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

# Clients may keep a copy but must ask again each time; the ETag makes asking cheap.
CACHE_CONTROL = "no-cache"

NOT_MODIFIED_RESPONSE: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the copy named by If-None-Match is current"}
}


def etag_for(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    # Weak comparison (RFC 9110 §13.1.2): W/"x" and "x" name the same representation.
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags


def conditional_json(request: Request, body: bytes, *, headers: dict[str, str] | None = None) -> Response:
    """A JSON response of BODY with its ETag, or an empty 304 when If-None-Match already names it."""
    etag = etag_for(body)
    response_headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, **(headers or {})}
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=response_headers)
    return Response(content=body, media_type="application/json", headers=response_headers)


def conditional_model(request: Request, model: BaseModel) -> Response:
    """conditional_json of a Pydantic model, serialised by pydantic-core (no jsonable_encoder pass)."""
    return conditional_json(request, model.__pydantic_serializer__.to_json(model))

"""How the JSON routes document the errors they answer, with the one error body every route uses."""

from __future__ import annotations

from typing import Any

from app.catalog.schemas import ApiError

_DEFAULT_DESCRIPTIONS = {
    401: "No API token was sent, or it is unknown or revoked",
    403: "The token's user may not do this",
    404: "Nothing with this id or slug",
    409: "It exists already; `existing` names it",
    422: "The input is invalid: `detail` lists each field's problem (`loc`, `msg`)",
    429: "Too many changes in a short time; `retry_after` (and the Retry-After header) says when to retry",
}
_CONFLICT_EXAMPLE = {
    "detail": "This paper is already in the catalogue as 'Attention Is All You Need'.",
    "code": "conflict",
    "existing": {
        "id": 1,
        "slug": "attention-is-all-you-need",
        "title": "Attention Is All You Need",
        "url": "https://arxiv.org/abs/1706.03762",
    },
}


def errors(*codes: int, **descriptions: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer (descriptions by `e409=...`)."""
    documented: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {
            "model": ApiError,
            "description": descriptions.get(f"e{code}", _DEFAULT_DESCRIPTIONS[code]),
        }
        if code == 409 and "e409" not in descriptions:
            entry["content"] = {"application/json": {"example": _CONFLICT_EXAMPLE}}
        documented[code] = entry
    return documented

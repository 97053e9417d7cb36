"""No query parameter may be repeated more than a list filter allows (ten tags), on any route."""

from __future__ import annotations

from fastapi import Request

from app.errors import InvalidInput

MAX_VALUES_PER_PARAMETER = 10


def cap_repeated_parameters(request: Request) -> None:
    """Refuse a request that repeats one query parameter beyond the cap (a single-valued filter such as
    `category` would otherwise take thousands of values and silently keep one)."""
    params = request.query_params
    for name in params:
        if len(params.getlist(name)) > MAX_VALUES_PER_PARAMETER:
            raise InvalidInput(
                f"At most {MAX_VALUES_PER_PARAMETER} values of {name!r} are accepted.",
                fields={name: f"At most {MAX_VALUES_PER_PARAMETER} values."},
            )

"""Domain errors: services raise them, one handler pair turns them into JSON or an HTML page."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A failure the client can understand and act on; never a bug."""

    status_code = 400
    code = "bad_request"
    title = "Bad request"

    def __init__(self, detail: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or {}
        self.headers: dict[str, str] = {}


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    """The write collides with what exists; `extra["existing"]` names the resource it collides with."""

    status_code = 409
    code = "conflict"
    title = "Already exists"


class Unauthorized(DomainError):
    status_code = 401
    code = "unauthorized"
    title = "Sign in required"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"
    title = "Not allowed"


class InvalidInput(DomainError):
    """Input that passed the schema but breaks a rule; `fields` maps a field name to its message."""

    status_code = 422
    code = "invalid_input"
    title = "Invalid input"

    def __init__(self, detail: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(detail, extra={"fields": fields} if fields else None)
        self.fields = fields or {}


class PayloadTooLarge(DomainError):
    status_code = 413
    code = "payload_too_large"
    title = "Too large"


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"
    title = "Slow down"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, extra={"retry_after": retry_after})
        self.headers = {"Retry-After": str(retry_after)}

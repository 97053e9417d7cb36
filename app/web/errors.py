"""The one handler pair for every error: JSON under /api, a page in the site's style elsewhere."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.errors import DomainError
from app.observability import REQUEST_ID_HEADER, request_id_var
from app.web.i18n import N_, _, is_catalog_message
from app.web.security_headers import security_headers
from app.web.templating import render

log = logging.getLogger("paper_atlas.errors")

_TITLES = {
    400: N_("Bad request"),
    401: N_("Login required"),
    403: N_("Not allowed"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    409: N_("Already exists"),
    413: N_("Too large"),
    422: N_("Invalid input"),
    429: N_("Slow down"),
    500: N_("Something went wrong"),
    503: N_("Temporarily unavailable"),
}
_NOTHING_HERE = N_("There is nothing at this address.")
_UNEXPECTED = N_("An unexpected error occurred. Quote request id %(request_id)s when reporting it.")
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "invalid_input",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path in {"/healthz", "/openapi.json"}:
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(
    request: Request,
    status: int,
    detail: Any,
    *,
    code: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    code = code or _CODES.get(status, "error")
    if wants_json(request):
        body: dict[str, Any] = {"detail": detail, "code": code, **(extra or {})}
        return JSONResponse(body, status_code=status, headers=headers)
    context = {
        "status": status,
        "title": _(_TITLES.get(status, N_("Error"))),
        # A detail in the catalog is shown in the reader's language; one that names data stays as written.
        "detail": _(detail) if isinstance(detail, str) and detail else None,
        "field_errors": detail if isinstance(detail, list) else [],
        "request_id": request_id_var.get(),
    }
    return render(request, "errors/error.html", context, status_code=status, headers=headers)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if exc.status_code == 403:
        log.info("permission denied on %s %s: %s", request.method, request.url.path, exc.detail)
    # A page says plainly what is missing only in catalog words (never a slug); the API's detail names what
    # was looked for.
    plain = exc.status_code != 404 or wants_json(request) or is_catalog_message(exc.detail)
    detail = exc.detail if plain else _NOTHING_HERE
    return error_response(
        request, exc.status_code, detail, code=exc.code, extra=exc.extra, headers=exc.headers or None
    )


def _plain_validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # The raw errors may carry the offending input and a context object that is not JSON-safe.
    return [
        {
            "loc": list(error.get("loc", ())),
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors()
    ]


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response(request, 422, _plain_validation_errors(exc), code="invalid_input")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route answers at this path (Starlette names only the first route's)."""
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(request.app.state, "route_methods", None)
    if table is None:
        table = [
            (compile_path(route.path)[0], set(route.methods))
            for route in iter_route_contexts(request.app.routes)
            if route.path and route.methods
        ]
        request.app.state.route_methods = table
    path = request.scope["path"]
    methods = {method for pattern, route_methods in table if pattern.match(path) for method in route_methods}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"})


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=headers)
    detail = exc.detail if exc.status_code != 404 or wants_json(request) else None
    if exc.status_code == 404 and detail in (None, "Not Found"):
        detail = _NOTHING_HERE
    return error_response(request, exc.status_code, detail, headers=headers)


def database_unavailable_reason(exc: BaseException) -> str | None:
    """Why the database could not serve the request, when that is the failure: busy, read-only or unreachable.

    None for anything else (a bug, a constraint the code should have checked first).
    """
    if isinstance(exc, sa_exc.TimeoutError):
        return "busy"  # no pooled connection came free in time
    if not isinstance(exc, sa_exc.DBAPIError):
        return None
    text = str(exc.orig).lower()
    if "locked" in text or "lock timeout" in text or "deadlock" in text or "could not serialize" in text:
        return "busy"
    if "read-only" in text or "readonly" in text:
        return "read-only"
    if exc.connection_invalidated or isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
        return "unreachable"
    return None


_RETRY_AFTER = {"busy": 1, "read-only": 10, "unreachable": 5}
_UNAVAILABLE_DETAIL = {
    "busy": "The catalogue is busy with other changes; try again in a moment.",
    "read-only": "The catalogue cannot be changed right now; reading still works. Try again later.",
    "unreachable": "The catalogue's database cannot be reached right now; try again shortly.",
}


async def _database_error(request: Request, exc: Exception) -> Response:
    reason = database_unavailable_reason(exc)
    if reason is None:
        return await _unexpected_error(request, exc)
    log.warning("database %s on %s %s: %s", reason, request.method, request.url.path, exc.__class__.__name__)
    request_id = getattr(request.state, "request_id", None) or request_id_var.get()
    headers = {"Retry-After": str(_RETRY_AFTER[reason]), REQUEST_ID_HEADER: request_id}
    return error_response(request, 503, _UNAVAILABLE_DETAIL[reason], code="unavailable", headers=headers)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    request_id = getattr(request.state, "request_id", None) or request_id_var.get()
    # This handler runs after the request id middleware has reset its context: set it again for the log line.
    token = request_id_var.set(request_id)
    try:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    finally:
        request_id_var.reset(token)
    # This response is made by the outermost error middleware, outside the ones that add these headers.
    headers = {**security_headers(request.url.scheme), REQUEST_ID_HEADER: request_id}
    return error_response(
        request,
        500,
        _(_UNEXPECTED, request_id=request_id),
        headers=headers,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(sa_exc.DBAPIError, _database_error)
    app.add_exception_handler(sa_exc.TimeoutError, _database_error)
    app.add_exception_handler(Exception, _unexpected_error)

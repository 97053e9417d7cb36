"""GET /healthz and GET /api/v1/meta."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app import __version__
from app.db import DbSession
from app.system import service
from app.system.schemas import Health, Meta

health_router = APIRouter(tags=["system"])
router = APIRouter(prefix="/api/v1", tags=["system"])


@health_router.get(
    "/healthz",
    response_model=Health,
    summary="Liveness and database state",
    responses={503: {"model": Health, "description": "The database cannot be reached or written"}},
)
def healthz(request: Request) -> JSONResponse:
    database = service.database_health(request.app.state.engine)
    health = Health(status="ok" if database.ok else "unavailable", version=__version__, database=database)
    # A health check must ask the database every time, never a cached answer.
    headers = {"Cache-Control": "no-store"}
    if not database.ok:
        headers["Retry-After"] = "5"
    return JSONResponse(health.model_dump(), status_code=200 if database.ok else 503, headers=headers)


@router.get("/meta", response_model=Meta, summary="Version and what the catalogue holds")
def meta(request: Request, session: DbSession) -> Meta:
    return Meta(
        name="Paper Atlas",
        version=__version__,
        api_version="v1",
        database=request.app.state.engine.dialect.name,
        counts=service.catalogue_counts(session),
    )

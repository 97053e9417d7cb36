"""create_app(): settings, database, middleware, error handlers, static files and routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import __version__
from app.config import Settings, get_settings
from app.db import make_engine, make_session_factory
from app.observability import RequestIdMiddleware, configure_logging
from app.system import api as system_api
from app.system import pages as system_pages
from app.web.errors import install_error_handlers

API_DESCRIPTION = """
Paper Atlas catalogues the research papers behind large language models, seeded from curated awesome lists.

Reading needs no account. Writing needs a bearer token (`Authorization: Bearer <token>`), created on your
account page or with `papers token create NAME`. Errors are JSON objects `{"detail": ..., "code": ...}`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, as_json=settings.log_json)
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Paper Atlas",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)

    app.add_middleware(RequestIdMiddleware)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(packages=[("app", "static")]), name="static")

    app.include_router(system_api.health_router)
    app.include_router(system_api.router)
    app.include_router(system_pages.router)
    return app

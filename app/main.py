"""create_app(): settings, database, middleware, error handlers, static files and routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from app import __version__
from app.accounts import api as accounts_api
from app.accounts import pages as accounts_pages
from app.accounts.dependencies import guard_request
from app.browse import account_page, export_api, rating_forms, stats_pages, topic_pages, write_api
from app.browse import api as browse_api
from app.browse import pages as browse_pages
from app.catalog import metadata_api
from app.config import Settings, get_settings
from app.curation import api as curation_api
from app.curation import taxonomy_api as curation_taxonomy_api
from app.db import SideTransactions, make_engine, make_session_factory
from app.generation import EngineGenerationReader
from app.importing import api as importing_api
from app.importing import pages as importing_pages
from app.importing import source_pages
from app.observability import RequestIdMiddleware, configure_logging
from app.ratings import api as ratings_api
from app.search import service as search
from app.system import api as system_api
from app.system import pages as system_pages
from app.system.api_docs import install_api_docs
from app.taxonomy import api as taxonomy_api
from app.taxonomy import pages as taxonomy_pages
from app.web.body_limit import BodyLimitMiddleware
from app.web.cookies import PendingCookiesMiddleware
from app.web.errors import install_error_handlers
from app.web.i18n import LOCALES, translations_for
from app.web.locale_choice import LocaleMiddleware
from app.web.login_redirect import install_login_redirect
from app.web.query_limits import cap_repeated_parameters
from app.web.response_cache import ResponseCacheMiddleware
from app.web.security_headers import SecurityHeadersMiddleware

API_DESCRIPTION = """
Paper Atlas catalogues the research papers behind large language models, seeded from curated awesome lists.

Reading needs no account. Writing needs a bearer token (`Authorization: Bearer <token>`), created on your
account page or with `papers token create NAME`. Errors are JSON objects `{"detail": ..., "code": ...}`.
"""


IMPORT_PATHS = ("/api/v1/imports", "/import")
IMPORT_FORM_ALLOWANCE = 64 * 1024  # the other form fields and the multipart framing around the list


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level, as_json=settings.log_json)
    engine = make_engine(settings)
    search.install()
    for locale in LOCALES:  # compile the catalogs now: a broken one stops the start, not a reader's page
        translations_for(locale)
    generation_reader = EngineGenerationReader(engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        generation_reader.start()
        yield
        generation_reader.close()
        engine.dispose()

    app = FastAPI(
        title="Paper Atlas",
        version=__version__,
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by install_api_docs from our own origin, without a CDN
        redoc_url=None,
        # Repeated parameters capped, then CSRF and write rate limits on every unsafe request.
        dependencies=[Depends(cap_repeated_parameters), Depends(guard_request)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.side_transactions = SideTransactions(app.state.session_factory)
    app.state.catalogue_generation = generation_reader

    # Innermost, so answers served from the cache still get a request id, the security headers and a log line.
    app.add_middleware(
        ResponseCacheMiddleware,
        max_entries=settings.response_cache_entries,
        max_bytes=settings.response_cache_bytes,
        max_answer_bytes=settings.response_cache_answer_bytes,
    )
    # Inside the request id and security headers, so a refusal carries them; outside everything that reads.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger=dict.fromkeys(IMPORT_PATHS, settings.max_import_bytes + IMPORT_FORM_ALLOWANCE),
    )
    # Outside the cache, which keys answers by the language this chooses.
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(PendingCookiesMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(app)
    install_login_redirect(app)
    install_api_docs(app)
    app.mount("/static", StaticFiles(packages=[("app", "static")]), name="static")

    app.include_router(system_api.health_router)
    app.include_router(system_api.router)
    app.include_router(system_pages.router)
    app.include_router(accounts_api.router)
    app.include_router(accounts_pages.router)
    app.include_router(account_page.router)
    app.include_router(browse_api.router)
    app.include_router(taxonomy_api.router)
    app.include_router(write_api.router)
    app.include_router(curation_api.router)
    app.include_router(curation_taxonomy_api.router)
    app.include_router(curation_api.taxonomy_router)
    app.include_router(metadata_api.router)
    app.include_router(ratings_api.router)
    app.include_router(export_api.router)
    app.include_router(browse_pages.router)
    app.include_router(topic_pages.router)
    app.include_router(stats_pages.router)
    app.include_router(taxonomy_pages.router)
    app.include_router(source_pages.router)
    app.include_router(importing_api.router)
    app.include_router(importing_pages.router)
    app.include_router(rating_forms.router)
    return app

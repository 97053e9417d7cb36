"""Interactive API docs from our own origin: Swagger UI from its package, no CDN, no inline script."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

from app.web.templating import render

SWAGGER_UI_MOUNT = "/static/swagger-ui"

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse, name="api_docs")
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "system/api_docs.html", {"swagger_ui": SWAGGER_UI_MOUNT})


def install_api_docs(app: FastAPI) -> None:
    app.mount(SWAGGER_UI_MOUNT, StaticFiles(directory=str(swagger_ui_path)), name="swagger_ui")
    app.include_router(router)

"""Flash messages survive the 303 redirect, show once, cannot be forged, and are escaped."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.testclient import TestClient

from app.web.flash import FLASH_COOKIE, flash, take_flashes
from app.web.templating import render


def _add_routes(app) -> None:
    router = APIRouter()

    @router.get("/flash-test/set")
    def set_and_redirect(request: Request, message: str = "Saved.") -> Response:
        flash(request, message)
        flash(request, "Heads up.", "info")
        return RedirectResponse("/flash-test/show", status_code=303)

    @router.get("/flash-test/show")
    def show(request: Request) -> Response:
        return render(
            request,
            "errors/error.html",
            {
                "status": 200,
                "title": "Shown",
                "detail": " | ".join(f"{f.category}:{f.message}" for f in take_flashes(request)),
            },
        )

    app.include_router(router)


def test_a_flash_survives_the_redirect_and_shows_once(app, client: TestClient) -> None:
    _add_routes(app)
    first = client.get("/flash-test/set")
    assert first.status_code == 200
    assert "success:Saved. | info:Heads up." in first.text
    second = client.get("/flash-test/show")
    assert "Saved." not in second.text
    assert FLASH_COOKIE not in client.cookies


def test_flash_messages_are_text(app, client: TestClient) -> None:
    _add_routes(app)
    page = client.get("/flash-test/set", params={"message": "<script>alert(1)</script>"})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_forged_flash_cookie_is_ignored(app, client: TestClient) -> None:
    _add_routes(app)
    client.cookies.set(FLASH_COOKIE, "W1siUGxhbnRlZCIsICJzdWNjZXNzIl1d.not-the-signature")
    page = client.get("/flash-test/show")
    assert "Planted" not in page.text


def test_flashes_in_the_template_context_are_read_lazily(app, client: TestClient) -> None:
    _add_routes(app)
    client.get("/flash-test/set", follow_redirects=False)
    # A page that does not show flashes (a JSON call) leaves them for the next page.
    assert client.get("/api/v1/meta").status_code == 200
    assert "Saved." in client.get("/flash-test/show").text

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.errors import Conflict


def test_unknown_api_route_is_json(client: TestClient) -> None:
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_unknown_page_is_a_page_in_the_site_style(client: TestClient) -> None:
    response = client.get("/does-not-exist", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text
    assert 'class="site-header"' in response.text


def test_domain_errors_render_with_their_status_and_extra(app: FastAPI) -> None:
    @app.get("/api/v1/_conflict_probe")
    def probe() -> None:
        raise Conflict("Already there.", extra={"existing": {"id": 7}})

    with TestClient(app) as client:
        response = client.get("/api/v1/_conflict_probe")
    assert response.status_code == 409
    assert response.json() == {"detail": "Already there.", "code": "conflict", "existing": {"id": 7}}


def test_unexpected_errors_hide_the_stack_trace(app: FastAPI) -> None:
    @app.get("/api/v1/_boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/v1/_boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"] == "boom-1"
    assert "boom-1" in response.json()["detail"]

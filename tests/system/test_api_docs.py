"""/docs is Swagger UI from our own origin: no CDN, no inline script, its files served from the package."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_page_loads_only_local_assets(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources
    same_origin = ("/", "http://testserver/")
    assert all(s.startswith(same_origin) and not s.startswith("//") for s in sources), sources
    assert "<script>" not in response.text
    script_policy = response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    assert "unsafe-inline" not in script_policy


def test_swagger_ui_files_are_served(client: TestClient) -> None:
    bundle = client.get("/static/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert "SwaggerUIBundle" in bundle.text[:200_000]
    assert client.get("/static/swagger-ui/swagger-ui.css").status_code == 200
    assert client.get("/static/js/api-docs.js").status_code == 200


def test_redoc_and_the_default_cdn_docs_are_gone(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404
    assert "https://" not in client.get("/docs").text

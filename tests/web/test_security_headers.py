"""Every response carries the security headers; HSTS only over https."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.config import Settings
from tests.web.browsing import client_with


@pytest.mark.parametrize(
    "path", ["/login", "/register", "/api/v1/meta", "/healthz", "/no-such-page", "/static/css/app.css"]
)
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers


def test_hsts_over_https(settings: Settings, db: Session) -> None:
    with client_with(settings, db, base_url="https://testserver") as client:
        assert client.get("/login").headers["strict-transport-security"].startswith("max-age=31536000")


def test_pages_have_no_inline_script(client: TestClient) -> None:
    for path in ("/login", "/register", "/no-such-page"):
        html = client.get(path).text
        assert "<script>" not in html
        assert " onclick=" not in html
        assert "javascript:" not in html

"""Stored XSS: script and HTML written into every user-writable field come back as text on every page.

Each test writes payloads through the real door (JSON API with a token, or a form), then reads the pages that
show them and checks the HTML structurally: no element or attribute that the payload could have introduced.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.models import Role
from tests.factories import make_token, make_user
from tests.web.browsing import form_token, sign_in, submit

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>\"'><svg onload=alert(1)>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;"
SHORT = "<b onmouseover=alert(1)>x</b>"  # for fields limited to a few dozen characters


class _Audit(HTMLParser):
    """Collects whatever in a page could run script."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        source = urlsplit(values.get("src") or "")
        if tag == "script" and not (
            source.netloc in ("", "testserver") and source.path.startswith("/static/")
        ):
            self.problems.append(f"<script> {values}")
        if tag in {"img", "svg", "iframe", "object", "embed", "b"} and any(
            name.startswith("on") for name in values
        ):
            self.problems.append(f"<{tag}> with a handler")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name in {"href", "src", "action", "formaction"} and re.match(
                r"\s*(javascript|data|vbscript):", value or "", re.IGNORECASE
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")


def assert_inert(html: str, where: str) -> None:
    audit = _Audit()
    audit.feed(html)
    assert audit.problems == [], f"{where}: {audit.problems}"
    assert "<script>alert" not in html, where
    assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", ""), where


def _needs(app: FastAPI, method: str, path: str) -> None:
    for route in iter_route_contexts(app.routes):
        if route.path_format == path and method in (route.methods or set()):
            return
    pytest.skip(f"{method} {path} does not exist yet")


def _pages(client: TestClient, paths: list[str]) -> None:
    for path in paths:
        response = client.get(path)
        if response.status_code == 404 and path != "/papers":
            continue  # an optional page that this paper or tag has no reason to have
        assert response.status_code == 200, (path, response.status_code)
        if response.headers["content-type"].startswith("text/html"):
            assert_inert(response.text, path)


def test_paper_fields_tags_authors_and_ratings(app: FastAPI, client: TestClient, db: Session) -> None:
    _needs(app, "POST", "/api/v1/papers")
    _needs(app, "PUT", "/api/v1/papers/{paper_id}/rating")
    member = make_user(db, "writer")
    token = make_token(db, member)
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/api/v1/papers",
        headers=auth,
        json={
            "title": "Attention " + PAYLOAD,
            "short_name": SHORT,
            "venue": PAYLOAD,
            "summary": PAYLOAD
            + "\n[click](javascript:alert(1)) [data](data:text/html,<script>alert(1)</script>)",
            "authors": [PAYLOAD[:150], "Ada Lovelace"],
            "tags": [SHORT],
        },
    )
    assert created.status_code == 201, created.text
    paper = created.json()
    assert paper["title"] == "Attention " + PAYLOAD  # stored as written: escaping is the output's job
    rated = client.put(
        f"/api/v1/papers/{paper['id']}/rating", headers=auth, json={"score": 5, "comment": PAYLOAD}
    )
    assert rated.status_code == 200, rated.text
    sign_in(client, "writer")
    tag_slugs = [tag["slug"] for tag in paper.get("tags", [])]
    _pages(
        client,
        [
            "/",
            "/papers",
            f"/papers/{paper['slug']}",
            f"/papers/{paper['slug']}/edit",
            "/papers?q=attention",
            "/tags",
            *[f"/tags/{slug}" for slug in tag_slugs],
            "/stats",
            "/account",
        ],
    )
    detail = client.get(f"/papers/{paper['slug']}").text
    assert ESCAPED_SCRIPT in detail  # the payload is there, as text
    assert "&lt;b onmouseover=alert(1)&gt;" in detail


def test_category_and_tag_names(app: FastAPI, client: TestClient, db: Session) -> None:
    _needs(app, "POST", "/api/v1/categories")
    _needs(app, "POST", "/api/v1/tags")
    editor = make_user(db, "curator", role=Role.EDITOR)
    auth = {"Authorization": f"Bearer {make_token(db, editor)}"}
    category = client.post(
        "/api/v1/categories",
        headers=auth,
        json={"slug": "xss-test", "name_en": SHORT, "name_zh": SHORT, "description": PAYLOAD},
    )
    assert category.status_code == 201, category.text
    tag = client.post("/api/v1/tags", headers=auth, json={"name": SHORT})
    assert tag.status_code == 201, tag.text
    _pages(client, ["/categories", "/categories/xss-test", "/tags", f"/tags/{tag.json()['slug']}", "/papers"])
    assert "&lt;b onmouseover=alert(1)&gt;" in client.get("/categories/xss-test").text


def test_imported_list_titles_and_notes(app: FastAPI, client: TestClient, db: Session) -> None:
    _needs(app, "POST", "/api/v1/imports")
    admin = make_user(db, "root", role=Role.ADMIN)
    auth = {"Authorization": f"Bearer {make_token(db, admin)}"}
    markdown = (
        f"# Awesome {SHORT}\n\n## Section {SHORT}\n\n"
        f"- [Paper {SHORT}](https://arxiv.org/abs/2301.00001) - a note {PAYLOAD}\n"
        f"- [Other](javascript:alert(1)) - {PAYLOAD}\n"
    )
    imported = client.post(
        "/api/v1/imports", headers=auth, data={"name": "xss-list", "markdown": markdown, "title": SHORT}
    )
    assert imported.status_code == 201, imported.text
    _pages(client, ["/sources", "/sources/xss-list", "/papers", "/"])
    assert "&lt;b onmouseover=alert(1)&gt;" in client.get("/sources/xss-list").text


def test_account_page_token_names_and_flashes(client: TestClient, db: Session) -> None:
    make_user(db, "ada")
    sign_in(client, "ada")
    created = submit(client, "/account/tokens", {"name": SHORT}, page="/account")
    assert created.status_code == 201
    assert_inert(created.text, "/account after creating a token")
    token_id = re.search(r"/account/tokens/(\d+)/revoke", created.text)
    assert token_id is not None
    token = form_token(client, "/account")
    revoked = client.post(f"/account/tokens/{token_id.group(1)}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 200  # followed to /account, which shows the flash naming the token
    assert "&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt;" in revoked.text
    assert_inert(revoked.text, "/account with the revoke flash")


def test_the_login_form_keeps_what_was_typed_as_text(client: TestClient) -> None:
    response = submit(client, "/login", {"username": PAYLOAD[:90], "password": "whatever-it-is"})
    assert response.status_code in (400, 422)
    assert_inert(response.text, "/login with a payload as username")

"""Error pages for a signed-in visitor after the request's transaction ended: the proper page, not a 500."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.accounts.models import Role
from app.db import transaction
from app.main import create_app
from tests.factories import make_paper, make_user, unique
from tests.reliability.conftest import LiveDatabase
from tests.web.browsing import csrf_from, sign_in


@pytest.fixture(scope="module")
def member(live: LiveDatabase) -> Iterator[tuple[TestClient, str, str]]:
    """A signed-in member, and the slug of a paper someone else added."""
    name = unique("member")
    with transaction(live.factory) as session:
        make_user(session, name)
        other = make_user(session)
        slug = make_paper(session, unique("Somebody else's paper "), added_by=other).slug
    with TestClient(create_app(live.settings), raise_server_exceptions=False) as client:
        sign_in(client, name)
        yield client, name, slug


def _assert_site_error_page(response: object, status: int, username: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-request-id"]
    text = response.text  # type: ignore[attr-defined]
    assert 'class="site-header"' in text
    assert username in text  # the page still knows who is signed in


@pytest.mark.parametrize(
    ("path", "status"),
    [("/papers/no-such-paper", 404), ("/tags/nope", 404), ("/import", 403), ("edit", 403)],
)
def test_error_pages_for_a_signed_in_member(
    member: tuple[TestClient, str, str], path: str, status: int
) -> None:
    client, name, slug = member
    if path == "edit":
        path = f"/papers/{slug}/edit"
    _assert_site_error_page(client.get(path), status, name)


@pytest.mark.parametrize(
    "refusal", ["missing", "foreign", "forged", "evil-origin", "cross-site"], ids=lambda refusal: refusal
)
def test_csrf_refusals_for_a_signed_in_member(member: tuple[TestClient, str, str], refusal: str) -> None:
    client, name, _ = member
    token = csrf_from(client.get("/account").text)
    data: dict[str, str] = {"name": "never made", "csrf_token": token}
    headers: dict[str, str] = {}
    if refusal == "missing":
        del data["csrf_token"]
    elif refusal == "foreign":
        data["csrf_token"] = "ab" * 64
    elif refusal == "forged":
        data["csrf_token"] = "not-hex"
    elif refusal == "evil-origin":
        headers["Origin"] = "https://evil.example"
    else:
        headers["Sec-Fetch-Site"] = "cross-site"
    response = client.post("/account/tokens", data=data, headers=headers, follow_redirects=False)
    _assert_site_error_page(response, 403, name)
    assert "never made" not in client.get("/account").text


def test_signed_in_member_role_is_unchanged_by_errors(live: LiveDatabase) -> None:
    # An editor's failing request must not leave anything half-written either.
    with transaction(live.factory) as session:
        editor = make_user(session, role=Role.EDITOR)
    with TestClient(create_app(live.settings), raise_server_exceptions=False) as client:
        sign_in(client, editor.username)
        _assert_site_error_page(client.get("/papers/still-nothing/edit"), 404, editor.username)

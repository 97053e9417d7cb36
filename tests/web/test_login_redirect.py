"""`next` after sign-in is only ever a path on this site."""

from __future__ import annotations

import pytest

from app.web.login_redirect import login_url, safe_next_path


@pytest.mark.parametrize("path", ["/", "/account", "/papers?tag=nlp&page=2", "/papers/attention#ratings"])
def test_local_paths_are_kept(path: str) -> None:
    assert safe_next_path(path) == path


@pytest.mark.parametrize(
    "evil",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/ /evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        "/" + "a" * 3000,
    ],
)
def test_anything_else_falls_back(evil: str | None) -> None:
    assert safe_next_path(evil, default="/account") == "/account"


def test_login_url_quotes_the_query() -> None:
    assert login_url("/papers?tag=nlp&page=2") == "/login?next=/papers%3Ftag%3Dnlp%26page%3D2"
    assert login_url("//evil.example") == "/login?next=/"

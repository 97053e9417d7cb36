"""link_to(): the same paths as url_for, worked out once per route, with parameters quoted."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request

from app.web.links import build_link


def _request(app: FastAPI, root_path: str = "") -> Request:
    return Request({"type": "http", "app": app, "root_path": root_path, "headers": [], "path": "/"})


def test_links_match_url_for_and_quote_their_parameters(app: FastAPI) -> None:
    request = _request(app)
    assert build_link(request, "paper_detail", slug="attention-is-all-you-need") == str(
        app.url_path_for("paper_detail", slug="attention-is-all-you-need")
    )
    assert build_link(request, "paper_list") == "/papers"
    assert build_link(request, "source_detail", name="a/b?c") == "/sources/a%2Fb%3Fc"
    assert build_link(request, "tag_detail", slug="微调") == "/tags/%E5%BE%AE%E8%B0%83"


def test_each_route_is_looked_up_once(app: FastAPI, monkeypatch) -> None:
    request = _request(app)
    lookups: list[str] = []
    original = app.url_path_for

    def counting(name: str, /, **params: str):
        lookups.append(name)
        return original(name, **params)

    monkeypatch.setattr(app, "url_path_for", counting)
    for number in range(50):
        assert build_link(request, "paper_detail", slug=f"paper-{number}") == f"/papers/paper-{number}"
    assert lookups == ["paper_detail"]


def test_links_keep_the_mount_prefix(app: FastAPI) -> None:
    assert build_link(_request(app, root_path="/atlas"), "paper_detail", slug="x") == "/atlas/papers/x"

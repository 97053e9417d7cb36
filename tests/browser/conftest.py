"""Browser journeys: Debian's Chromium through Playwright, against a live server on its own database."""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import ConsoleMessage, Page, Request, Response, ViewportSize

from app.config import PROJECT_ROOT, Settings
from app.db import make_engine, make_session_factory, transaction
from app.main import create_app
from tests.browser.catalogue import SeededCatalogue, fill_catalogue
from tests.databases import migrate_to_head, temporary_database

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
PHONE = ViewportSize(width=390, height=844)
_DOCUMENT_STATUS_MESSAGE = "Failed to load resource: the server responded with a status of"


@dataclass
class LiveServer:
    url: str
    settings: Settings
    catalogue: SeededCatalogue


@dataclass
class PageWatch:
    """What a page asked the network for and complained about, so tests can insist on none of either."""

    foreign_requests: list[str] = field(default_factory=list)
    failed_resources: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Playwright's sync API marks an asyncio loop as running in the main thread while it is alive, which would
    # break later tests that run their own loop: so the browser journeys go last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        with temporary_database(server_url) as url:
            yield url
        return
    path: Path = tmp_path_factory.mktemp("live") / "paper-atlas-live.db"
    yield f"sqlite:///{path}"


@pytest.fixture(scope="session")
def live_server(live_database_url: str) -> Iterator[LiveServer]:
    """The whole app served by uvicorn in a thread, on a migrated database holding the seeded catalogue."""
    settings = Settings(
        environment="test",
        database_url=live_database_url,
        secret_key=secrets.token_urlsafe(32),
        fast_password_hashing=True,
        log_level="WARNING",
    )
    engine = make_engine(settings)
    migrate_to_head(engine)
    # The app first: creating it installs what keeps the search index in step with the rows filled below.
    app = create_app(settings)
    with transaction(make_session_factory(engine)) as session:
        catalogue = fill_catalogue(session, settings)
    engine.dispose()

    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield LiveServer(f"http://127.0.0.1:{port}", settings, catalogue)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    return live_server.url


@pytest.fixture
def watch(page: Page, base_url: str) -> Iterator[PageWatch]:
    """Fail the test if the page fetched from another host or logged an error (a CSP refusal, say)."""
    seen = PageWatch()
    page.set_default_timeout(10_000)

    def on_request(request: Request) -> None:
        if not request.url.startswith((base_url, "data:", "about:")):
            seen.foreign_requests.append(request.url)

    def on_response(response: Response) -> None:
        # Pages answer 404 or 422 on purpose; a stylesheet, script or image that fails is a bug.
        if response.status >= 400 and response.request.resource_type != "document":
            seen.failed_resources.append(f"{response.status} {response.url}")

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(_DOCUMENT_STATUS_MESSAGE):
            seen.console_errors.append(message.text)

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
    yield seen
    assert seen.foreign_requests == []
    assert seen.failed_resources == []
    assert seen.console_errors == []


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save what the page looks like now as test-artifacts/screenshots/NAME.png, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


_ACCESSIBILITY_PROBLEMS = """
() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const control of document.querySelectorAll("input, select, textarea")) {
    if (control.type === "hidden") continue;
    const named = control.labels.length || control.getAttribute("aria-label")
      || control.getAttribute("aria-labelledby");
    if (!named) problems.push(`unlabelled ${control.tagName.toLowerCase()} ${control.name}`);
  }
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].filter(visible);
  if (document.querySelectorAll("h1").length !== 1) problems.push("not exactly one h1");
  let previous = 0;
  for (const heading of headings) {
    const level = Number(heading.tagName[1]);
    if (level > previous + 1) problems.push(`h${level} after h${previous}: ${heading.textContent.trim()}`);
    previous = level;
  }
  for (const image of document.querySelectorAll("img, [role=img]")) {
    const name = image.getAttribute("alt") ?? image.getAttribute("aria-label")
      ?? image.getAttribute("aria-labelledby");
    if (!name) problems.push(`image without a name: ${image.outerHTML.slice(0, 60)}`);
  }
  for (const link of document.querySelectorAll("a[href], button")) {
    if (visible(link) && !link.textContent.trim() && !link.getAttribute("aria-label")) {
      problems.push(`control without text: ${link.outerHTML.slice(0, 80)}`);
    }
  }
  if (!document.documentElement.lang) problems.push("no lang on <html>");
  return problems;
}
"""


def accessibility_problems(page: Page) -> list[str]:
    """What a quick audit finds: unlabelled inputs, skipped heading levels, unnamed images and controls."""
    problems: list[str] = page.evaluate(_ACCESSIBILITY_PROBLEMS)
    return problems

"""The fake arXiv and Crossref server (one per session, emptied for each test) and settings that use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.config import Settings
from tests.metadata.fake_sources import FakeSources


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeSources]:
    server = FakeSources().start()
    yield server
    server.stop()


@pytest.fixture
def fake_sources(fake_server: FakeSources) -> Iterator[FakeSources]:
    fake_server.reset()
    yield fake_server
    fake_server.reset()


def fetching_settings(settings: Settings, base_url: str, **overrides: object) -> Settings:
    """Fetching on, pointed at the fake, with no politeness pause and a short backoff."""
    return settings.model_copy(
        update={
            "metadata_fetch": True,
            "metadata_contact": "atlas@example.org",
            "metadata_arxiv_url": f"{base_url}/arxiv/query",
            "metadata_crossref_url": f"{base_url}/crossref",
            "metadata_connect_timeout_seconds": 5.0,
            "metadata_timeout_seconds": 5.0,  # generous: a busy machine is not a slow source
            "metadata_retries": 2,
            "metadata_backoff_seconds": 0.01,
            "metadata_max_wait_seconds": 1.0,
            "metadata_arxiv_interval_seconds": 0.0,
            "metadata_unreachable_pause_seconds": 0.0,
            **overrides,
        }
    )


@pytest.fixture
def fetching(settings: Settings, fake_sources: FakeSources) -> Settings:
    return fetching_settings(settings, fake_sources.base_url)

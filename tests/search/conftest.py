"""Search tests call the services without an app, so they install the search themselves."""

from __future__ import annotations

import pytest

from app.search import service as search


@pytest.fixture(autouse=True)
def _search_installed() -> None:
    search.install()

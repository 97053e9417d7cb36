"""`papers enrich` end to end: a throwaway SQLite database, the fake sources, the progress bar and summary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from tests.factories import make_paper
from tests.metadata.fake_sources import ArxivPaper, FakeSources

runner = CliRunner()


@pytest.fixture
def cli_database(tmp_path, monkeypatch: pytest.MonkeyPatch, fake_sources: FakeSources) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'enrich.db'}"
    for name, value in {
        "DATABASE_URL": url,
        "METADATA_FETCH": "on",
        "METADATA_ARXIV_URL": f"{fake_sources.base_url}/arxiv/query",
        "METADATA_CROSSREF_URL": f"{fake_sources.base_url}/crossref",
        "METADATA_ARXIV_INTERVAL_SECONDS": "0",
        "METADATA_BACKOFF_SECONDS": "0.01",
        "METADATA_TIMEOUT_SECONDS": "1",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    engine = create_engine(url)
    with Session(engine) as session:
        make_paper(session, "Language Models are Few-Shot Learners", year=None).arxiv_id = "2005.14165"
        make_paper(session, "Unknown to arXiv", year=None).arxiv_id = "2101.00001"
        session.commit()
    engine.dispose()
    yield url
    get_settings.cache_clear()


def test_enrich_reports_what_it_filled_and_a_second_run_fills_nothing(
    cli_database: str, fake_sources: FakeSources
) -> None:
    fake_sources.add_arxiv(
        ArxivPaper("2005.14165", "Language Models are Few-Shot Learners", ["Tom B. Brown"])
    )

    first = runner.invoke(cli, ["enrich", "--missing", "authors,abstract,year"])

    assert first.exit_code == 0, first.output
    assert "filled" in first.output
    assert "not found" in first.output
    summary_row = next(line for line in first.output.splitlines() if line.count("│") == 5 and "1" in line)
    assert [cell.strip() for cell in summary_row.split("│")[1:-1]] == ["1", "0", "1", "0"]
    assert "abstract" in first.output
    second = runner.invoke(cli, ["enrich", "--missing", "authors,abstract,year"])
    assert second.exit_code == 0, second.output
    assert "Fields filled" not in second.output
    every_field = runner.invoke(cli, ["enrich"])  # the cached answer fills the other empty fields
    assert "published" in every_field.output
    assert len(fake_sources.requests) == 1


def test_enrich_refuses_unknown_fields_and_says_when_fetching_is_off(
    cli_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = runner.invoke(cli, ["enrich", "--missing", "authors,colour"])
    assert bad.exit_code == 1
    assert "colour" in bad.output
    monkeypatch.setenv("METADATA_FETCH", "off")
    get_settings.cache_clear()
    off = runner.invoke(cli, ["enrich"])
    assert off.exit_code == 1
    assert "METADATA_FETCH=off" in off.output

"""The `papers` command end to end on a throwaway SQLite database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.accounts.models import ApiToken, User
from app.accounts.service import sha256_hex
from app.browse.queries import related_papers, stored_or_computed
from app.catalog.models import RelatedList
from app.cli import app as cli
from app.config import get_settings
from tests.factories import make_paper, make_tag

runner = CliRunner()


@pytest.fixture
def cli_database(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("FAST_PASSWORD_HASHING", "true")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_help_lists_every_command() -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "seed", "import", "serve", "user", "token"):
        assert command in result.output
    for group in (["db"], ["user"], ["token"], ["db", "upgrade"], ["user", "create"], ["token", "create"]):
        assert runner.invoke(cli, [*group, "--help"]).exit_code == 0


def test_user_and_token_creation(cli_database: str) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    created = runner.invoke(
        cli, ["user", "create", "ada", "--role", "admin", "--password-stdin"], input="correct horse battery\n"
    )
    assert created.exit_code == 0, created.output
    duplicate = runner.invoke(cli, ["user", "create", "ADA", "--password-stdin"], input="another password\n")
    assert duplicate.exit_code == 1
    assert "taken" in duplicate.output

    issued = runner.invoke(cli, ["token", "create", "ada"])
    assert issued.exit_code == 0, issued.output
    token = issued.stdout.strip().splitlines()[-1]
    assert token.startswith("pa_")

    engine = create_engine(cli_database)
    with Session(engine) as session:
        user = session.scalars(select(User)).one()
        assert user.role == "admin"
        assert user.password_hash.startswith("$argon2id$")
        stored = session.scalars(select(ApiToken)).one()
        assert stored.token_hash == sha256_hex(token)
        assert token not in stored.prefix + stored.token_hash
    engine.dispose()


def test_short_password_is_refused(cli_database: str) -> None:
    runner.invoke(cli, ["db", "upgrade"])
    result = runner.invoke(cli, ["user", "create", "bob", "--password-stdin"], input="short\n")
    assert result.exit_code == 1
    assert "8 characters" in result.output


def test_token_for_unknown_user_fails_clearly(cli_database: str) -> None:
    runner.invoke(cli, ["db", "upgrade"])
    result = runner.invoke(cli, ["token", "create", "nobody"])
    assert result.exit_code == 1
    assert "No user" in result.output


def test_serve_starts_one_worker_per_core_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **options: started.append(options))
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert runner.invoke(cli, ["serve"]).exit_code == 0
    assert runner.invoke(cli, ["serve", "--workers", "1"]).exit_code == 0
    assert runner.invoke(cli, ["serve", "--reload"]).exit_code == 0
    assert [options["workers"] for options in started] == [3, 1, 1]


def test_related_refresh_stores_the_missing_lists(cli_database: str) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    engine = create_engine(cli_database)
    with Session(engine) as session:
        tag = make_tag(session, "lora")
        ids = [make_paper(session, f"Paper {n}", tags=[tag]).id for n in range(3)]
        session.commit()
    result = runner.invoke(cli, ["related", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Stored the related papers of 3 papers" in result.output
    with Session(engine) as session:
        for paper_id in ids:
            assert stored_or_computed(session, paper_id) == related_papers(session, paper_id)
            assert len(related_papers(session, paper_id)) == 2
        assert session.scalar(select(func.count()).select_from(RelatedList)) == 3
    assert "of 0 papers" in runner.invoke(cli, ["related", "refresh"]).output
    assert "of 3 papers" in runner.invoke(cli, ["related", "refresh", "--all"]).output
    engine.dispose()

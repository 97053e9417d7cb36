"""The `papers` command end to end on a throwaway SQLite database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.accounts.models import ApiToken, User
from app.accounts.service import sha256_hex
from app.cli import app as cli
from app.config import get_settings

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

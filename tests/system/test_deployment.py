"""docker-compose.yml and the Dockerfile describe the same start-up as the README."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_postgres_and_the_app() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "app"}
    assert services["db"]["image"].startswith("postgres:")
    assert "healthcheck" in services["db"]
    app = services["app"]
    assert app["build"] == "."
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    env = app["environment"]
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@db:5432/" in env["DATABASE_URL"]
    assert env["ENVIRONMENT"] == "production"
    assert "SECRET_KEY" in env


def test_dockerfile_migrates_seeds_and_serves_like_the_readme() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    readme = (ROOT / "README.md").read_text()
    for step in ("papers db upgrade", "papers seed", "papers serve"):
        assert step in dockerfile
        assert step in makefile
    assert "make run" in readme
    assert "make test" in readme

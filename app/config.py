"""Settings read from the environment, and the one cached instance the app uses."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 - the known default that is refused in production


class Settings(BaseSettings):
    """Everything that differs between a laptop, CI and production."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(default=f"sqlite:///{PROJECT_ROOT / 'data' / 'paper-atlas.db'}")
    secret_key: str = DEVELOPMENT_SECRET
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = False
    db_pool_size: int = Field(default=5, ge=1, le=100)
    db_max_overflow: int = Field(default=10, ge=0, le=100)
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    registration_open: bool = True
    session_idle_minutes: int = Field(default=60 * 24 * 7, ge=1)
    session_absolute_hours: int = Field(default=24 * 30, ge=1)
    max_import_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    # The largest request body any other route reads; imports take max_import_bytes plus the form around it.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Anonymous GET answers kept per process until the catalogue changes; 0 entries turns the cache off.
    response_cache_entries: int = Field(default=2048, ge=0)
    response_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    response_cache_answer_bytes: int = Field(default=1024 * 1024, ge=0)
    seeds_dir: Path = PROJECT_ROOT / "seeds"
    fast_password_hashing: bool = False
    rate_limits_enabled: bool = True
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated addresses or networks,
    # "*" for any); none by default, so a client cannot pick the address its limits are counted under.
    forwarded_allow_ips: str = ""
    login_attempts_per_account: int = Field(default=10, ge=1)  # per client address and username, per window
    login_attempts_per_address: int = Field(default=50, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    registrations_per_address: int = Field(default=5, ge=1)
    registration_window_seconds: int = Field(default=60 * 60, ge=1)
    writes_per_user: int = Field(default=120, ge=1)  # unsafe requests per user (or address), per window
    ratings_per_user: int = Field(default=30, ge=1)
    write_window_seconds: int = Field(default=60, ge=1)
    # Bibliographic records from arXiv and Crossref. Fetching happens only when someone asks (the add form's
    # "Fill in", the API with just an identifier, `papers enrich`); None means on, except in tests.
    metadata_fetch: bool | None = None
    metadata_contact: str = Field(default="", max_length=200)  # an e-mail or URL for the User-Agent
    metadata_arxiv_url: str = "https://export.arxiv.org/api/query"
    metadata_crossref_url: str = "https://api.crossref.org"
    metadata_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    metadata_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    metadata_retries: int = Field(default=2, ge=0, le=10)
    metadata_backoff_seconds: float = Field(default=1.0, ge=0, le=60)
    metadata_max_wait_seconds: float = Field(default=30.0, ge=0, le=600)  # longest Retry-After honoured
    metadata_arxiv_interval_seconds: float = Field(default=3.0, ge=0, le=60)  # arXiv asks for one per 3 s
    metadata_unreachable_pause_seconds: float = Field(default=60.0, ge=0, le=3600)
    metadata_negative_cache_days: int = Field(default=7, ge=0, le=365)

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "SECRET_KEY must be set to a random string of at least 32 characters in production"
            )
        return self

    @property
    def fetches_metadata(self) -> bool:
        if self.metadata_fetch is None:
            return self.environment != "test"
        return self.metadata_fetch

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix) or self.database_url.endswith(":memory:"):
            return None
        return Path(self.database_url.removeprefix(prefix))


@lru_cache
def get_settings() -> Settings:
    return Settings()

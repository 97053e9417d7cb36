"""What /healthz and /api/v1/meta answer."""

from __future__ import annotations

from pydantic import BaseModel


class DatabaseHealth(BaseModel):
    ok: bool
    dialect: str
    revision: str | None = None
    writable: bool | None = None
    latency_ms: float | None = None
    error: str | None = None


class Health(BaseModel):
    status: str
    version: str
    database: DatabaseHealth


class Counts(BaseModel):
    papers: int
    authors: int
    categories: int
    tags: int
    sources: int
    ratings: int


class Meta(BaseModel):
    name: str
    version: str
    api_version: str
    database: str
    counts: Counts

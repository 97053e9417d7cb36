"""seeds/manifest.toml: the lists the catalogue seeds itself from, in order of precedence."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SeedList:
    name: str
    path: Path
    title: str
    origin: str | None
    language: str | None


def load_manifest(seeds_dir: Path) -> list[SeedList]:
    data = tomllib.loads((seeds_dir / "manifest.toml").read_text(encoding="utf-8"))
    return [
        SeedList(
            name=item["name"],
            path=seeds_dir / item["file"],
            title=item["title"],
            origin=item.get("origin"),
            language=item.get("language"),
        )
        for item in data["list"]
    ]

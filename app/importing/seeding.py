"""`papers seed`: import every list named in the seeds manifest."""

from __future__ import annotations

from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from app.config import get_settings


def seed_catalogue(factory: sessionmaker[Session], *, console: Console) -> None:
    lists = sorted(get_settings().seeds_dir.glob("*.md"))
    console.print(
        f"Found {len(lists)} lists in seeds/, but the importer is not built yet: nothing was loaded."
    )

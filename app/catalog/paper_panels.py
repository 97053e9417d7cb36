"""Parts of a paper's page that higher features contribute (your rating and others' comments).

The catalogue sits below ratings, so ratings registers a panel instead of being imported:

    register_paper_panel(PaperPanel(
        key="rating", template="ratings/_paper_panel.html", slot="aside",
        load=lambda session, paper, user, state: {"mine": ...},
    ))

`load` gets the loaded paper, the visitor (or None) and the page state a failed form left (errors, values);
its result is included under `panel` in the template, which runs no queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.catalog.schemas import PaperDetail

PanelLoader = Callable[[Session, PaperDetail, User | None, Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class PaperPanel:
    key: str
    template: str
    load: PanelLoader
    slot: Literal["main", "aside"] = "main"
    order: int = 100


@dataclass(frozen=True)
class LoadedPanel:
    key: str
    template: str
    slot: str
    context: dict[str, Any]


_panels: dict[str, PaperPanel] = {}


def register_paper_panel(panel: PaperPanel) -> None:
    """Add (or replace, by key) a panel of the paper page."""
    _panels[panel.key] = panel


def load_paper_panels(
    session: Session, paper: PaperDetail, user: User | None, state: Mapping[str, Any] | None = None
) -> list[LoadedPanel]:
    """Every registered panel loaded for PAPER, in order; STATE carries a failed form's errors and values."""
    return [
        LoadedPanel(panel.key, panel.template, panel.slot, panel.load(session, paper, user, state or {}))
        for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))
    ]

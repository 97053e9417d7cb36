"""N_() marks interface text written below the web layer (domain errors, validators) for the message catalog.

The text stays English where it is raised; the page that shows it looks it up in the reader's language.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - gettext's conventional name for a no-op marker
    """MESSAGE unchanged; `make messages` collects it so pages can translate it when they show it."""
    return message

"""Parts of the /account page that other features contribute (your ratings, papers you added).

Accounts is the lowest layer and imports no higher domain, so those features register a section instead:

    register_account_section(AccountSection(
        key="ratings", title="Your ratings", template="ratings/_account_section.html",
        load=lambda session, user: {"ratings": ratings_service.ratings_by_user(session, user.id)},
    ))

The template is included with the loaded context under `section`; it runs no queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User


@dataclass(frozen=True)
class AccountSection:
    key: str
    title: str
    template: str
    load: Callable[[Session, User], dict[str, Any]]
    order: int = 100


_sections: dict[str, AccountSection] = {}


def register_account_section(section: AccountSection) -> None:
    """Add (or replace, by key) a section of the account page."""
    _sections[section.key] = section


def account_sections() -> list[AccountSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))

"""Who may do what: checked in the service layer, whatever door the request came in by."""

from __future__ import annotations

from app.accounts.models import Role, User
from app.errors import Forbidden, Unauthorized
from app.translatable import N_

_NEEDS_ROLE = {
    Role.MEMBER: N_("This needs the member role."),
    Role.EDITOR: N_("This needs the editor role."),
    Role.ADMIN: N_("This needs the admin role."),
}


def require_user(user: User | None) -> User:
    if user is None:
        raise Unauthorized(N_("Log in, or send an API token as 'Authorization: Bearer <token>'."))
    if not user.is_active:
        raise Forbidden(N_("This account is disabled."))
    return user


def require_role(user: User | None, role: Role) -> User:
    user = require_user(user)
    if not user.role_enum.at_least(role):
        raise Forbidden(_NEEDS_ROLE[role])
    return user


def can_edit_owned(user: User | None, owner_id: int | None) -> bool:
    """Editors and admins edit anything; members edit what they added themselves."""
    if user is None or not user.is_active:
        return False
    return user.role_enum.at_least(Role.EDITOR) or (owner_id is not None and owner_id == user.id)


def require_edit_owned(user: User | None, owner_id: int | None) -> User:
    user = require_user(user)
    if not can_edit_owned(user, owner_id):
        raise Forbidden(N_("Only editors, or the member who added it, may change this."))
    return user

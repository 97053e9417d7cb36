"""Users (registration, sign-in, passwords, roles) and API tokens: the account rules for every door."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.common_passwords import is_common_password
from app.accounts.models import ApiToken, Role, User
from app.accounts.passwords import hash_password, password_hasher, verify_password
from app.accounts.permissions import require_role, require_user
from app.accounts.sessions import end_user_sessions
from app.db import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.translatable import N_

TOKEN_PREFIX = "pa_"  # noqa: S105 - a public marker, not a secret
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024


def username_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def validate_new_password(password: str, *, username: str | None = None, field: str = "password") -> None:
    """8–1024 characters (any characters, never truncated), not a common password, not the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.",
            fields={field: f"At least {MIN_PASSWORD_LENGTH} characters."},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(N_("That password is too long."), fields={field: N_("At most 1024 characters.")})
    if is_common_password(password):
        raise InvalidInput(
            N_("That password is one of the most common ones; choose another."),
            fields={field: N_("Too common: it is on a list of the passwords people pick most.")},
        )
    if username is not None and username_key(password.strip()) == username_key(username):
        raise InvalidInput(
            N_("The password may not be the username."), fields={field: N_("Not your username.")}
        )


def create_user(
    session: Session, username: str, password: str, *, role: Role = Role.MEMBER, fast_hash: bool = False
) -> User:
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInput(
            N_("Usernames are 3–40 letters, digits, dots, dashes or underscores."),
            fields={"username": N_("3–40 letters, digits, '.', '-' or '_'.")},
        )
    validate_new_password(password, username=username)
    key = username_key(username)
    # Hashed before the first statement, which in a writing transaction takes SQLite's write lock.
    password_hash = hash_password(password, fast=fast_hash)
    if session.scalar(select(User.id).where(User.username_key == key)) is not None:
        raise Conflict(
            N_("That username is taken."), extra={"fields": {"username": N_("That username is taken.")}}
        )
    user = User(username=username, username_key=key, password_hash=password_hash, role=role.value)
    session.add(user)
    session.flush()
    return user


def get_user_by_name(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username_key == username_key(username)))
    if user is None:
        raise NotFound(f"No user named {username!r}.")
    return user


def create_api_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; the plain token is returned once and never stored."""
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise InvalidInput(N_("Name the token in 1–80 characters."), fields={"name": N_("1–80 characters.")})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=sha256_hex(plain), prefix=plain[:10])
    session.add(token)
    session.flush()
    return token, plain


def token_owner(session: Session, plain: str) -> tuple[ApiToken, User] | None:
    """A live bearer token and its active user; None for unknown or revoked tokens (nothing is written)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 128:
        return None
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == sha256_hex(plain), ApiToken.revoked_at.is_(None), User.is_active)
    ).first()
    if row is None:
        return None
    token, user = row
    return token, user


def register(
    session: Session, username: str, password: str, *, registration_open: bool, fast_hash: bool = False
) -> User:
    """Self-service sign-up as a member, when the site allows it."""
    if not registration_open:
        raise Forbidden(N_("Registration is closed; ask an administrator for an account."))
    return create_user(session, username, password, role=Role.MEMBER, fast_hash=fast_hash)


def authenticate(session: Session, username: str, password: str, *, fast_hash: bool = False) -> User | None:
    """The active user with these credentials, or None; an unknown name costs as long as a wrong password."""
    user = session.scalar(select(User).where(User.username_key == username_key(username)))
    if user is None or len(password) > MAX_PASSWORD_LENGTH:
        # Hash anyway, so response time does not tell which usernames exist.
        password_hasher(fast=fast_hash).verify(password[:MAX_PASSWORD_LENGTH], _dummy_hash(fast_hash))
        return None
    valid, updated_hash = verify_password(password, user.password_hash, fast=fast_hash)
    if not valid or not user.is_active:
        return None
    if updated_hash is not None:
        user.password_hash = updated_hash
    return user


_dummy_hashes: dict[bool, str] = {}


def _dummy_hash(fast: bool) -> str:
    if fast not in _dummy_hashes:
        _dummy_hashes[fast] = hash_password(secrets.token_urlsafe(16), fast=fast)
    return _dummy_hashes[fast]


def change_password(
    session: Session,
    user: User,
    current_password: str,
    new_password: str,
    *,
    keep_session_id: int | None = None,
    fast_hash: bool = False,
) -> None:
    """Set a new password after checking the current one; every other session of the user ends."""
    require_user(user)
    valid, _ = verify_password(current_password[:MAX_PASSWORD_LENGTH], user.password_hash, fast=fast_hash)
    if not valid:
        raise InvalidInput(
            N_("The current password is not right."),
            fields={"current_password": N_("Not your current password.")},
        )
    validate_new_password(new_password, username=user.username, field="new_password")
    if new_password == current_password:
        raise InvalidInput(
            "The new password is the same as the current one.",
            fields={"new_password": N_("Choose a password different from the current one.")},
        )
    user.password_hash = hash_password(new_password, fast=fast_hash)
    end_user_sessions(session, user.id, keep_id=keep_session_id)
    session.flush()


def set_role(session: Session, actor: User | None, username: str, role: Role) -> User:
    """Give USERNAME a role; only admins may, and an admin cannot demote themselves (someone must remain)."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    user = get_user_by_name(session, username)
    if actor is not None and actor.id == user.id and role != Role.ADMIN:
        raise Forbidden(N_("You cannot take away your own admin role."))
    if user.role != role.value:
        user.role = role.value
        # Open sessions were granted under the old role; start afresh.
        end_user_sessions(session, user.id)
    session.flush()
    return user


def set_active(session: Session, actor: User | None, username: str, *, active: bool) -> User:
    """Disable or re-enable USERNAME; disabling ends their sessions and stops their tokens at once."""
    if actor is not None:
        require_role(actor, Role.ADMIN)
    user = get_user_by_name(session, username)
    if actor is not None and actor.id == user.id and not active:
        raise Forbidden("You cannot disable your own account.")
    user.is_active = active
    if not active:
        end_user_sessions(session, user.id)
    session.flush()
    return user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """USER's tokens, newest first, revoked ones included (they show when they stopped)."""
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    )


def revoke_token(session: Session, actor: User | None, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens; another's answers 404 as if it did not exist (admins: any)."""
    actor = require_user(actor)
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.role_enum.at_least(Role.ADMIN)):
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def revoke_token_by_id(session: Session, token_id: int) -> ApiToken:
    """For the operator's command line: revoke any token."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token

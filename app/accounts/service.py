"""Creating users and API tokens, and finding who a bearer token belongs to."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import ApiToken, Role, User
from app.accounts.passwords import hash_password
from app.db import utcnow
from app.errors import Conflict, InvalidInput, NotFound

TOKEN_PREFIX = "pa_"  # noqa: S105 - a public marker, not a secret
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,40}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024


def username_key(username: str) -> str:
    return unicodedata.normalize("NFKC", username).casefold()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def validate_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.",
            fields={"password": f"At least {MIN_PASSWORD_LENGTH} characters."},
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("That password is too long.", fields={"password": "At most 1024 characters."})


def create_user(
    session: Session, username: str, password: str, *, role: Role = Role.MEMBER, fast_hash: bool = False
) -> User:
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInput(
            "Usernames are 3–40 letters, digits, dots, dashes or underscores.",
            fields={"username": "3–40 letters, digits, '.', '-' or '_'."},
        )
    validate_new_password(password)
    key = username_key(username)
    if session.scalar(select(User.id).where(User.username_key == key)) is not None:
        raise Conflict("That username is taken.", extra={"fields": {"username": "That username is taken."}})
    user = User(
        username=username,
        username_key=key,
        password_hash=hash_password(password, fast=fast_hash),
        role=role.value,
    )
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
        raise InvalidInput("Name the token in 1–80 characters.", fields={"name": "1–80 characters."})
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=sha256_hex(plain), prefix=plain[:10])
    session.add(token)
    session.flush()
    return token, plain


def user_for_token(session: Session, plain: str) -> User | None:
    """The active user a bearer token belongs to, recording its use; None for unknown or revoked tokens."""
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
    token.last_used_at = utcnow()
    return user

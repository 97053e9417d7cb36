"""What crosses the accounts boundary: sign-in, registration, password and token forms; the user as read."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.accounts.service import MAX_PASSWORD_LENGTH


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginForm(_Form):
    username: str = Field(min_length=1, max_length=100)
    # Never stripped or truncated: every character counts. The length rules apply when a password is chosen.
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    next: str | None = Field(default=None, max_length=2000)


class RegisterForm(_Form):
    username: str = Field(min_length=3, max_length=40)
    password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    password_confirm: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class PasswordChangeForm(_Form):
    current_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)
    new_password_confirm: str = Field(min_length=1, max_length=MAX_PASSWORD_LENGTH)


class TokenCreateForm(_Form):
    name: str = Field(min_length=1, max_length=80)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: str
    created_at: datetime
    last_login_at: datetime | None


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

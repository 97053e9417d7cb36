"""JSON: who the API token (or session) belongs to."""

from __future__ import annotations

from fastapi import APIRouter

from app.accounts.dependencies import CurrentUser
from app.accounts.schemas import UserRead

router = APIRouter(prefix="/api/v1", tags=["accounts"])


@router.get("/me", response_model=UserRead, summary="The user behind the token")
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)

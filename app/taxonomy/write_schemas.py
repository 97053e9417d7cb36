"""What editors send to create, rename, move and merge categories and tags, and what they get back."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# PostgreSQL refuses NUL in text, and no name needs control characters.
PRINTABLE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
MAX_POSITION = 100_000


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


Slug = Annotated[
    str,
    BeforeValidator(_lower),
    StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN),
]
CategoryName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120, pattern=PRINTABLE_PATTERN)
]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=PRINTABLE_PATTERN)
]
TagName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=PRINTABLE_PATTERN)
]
Position = Annotated[int, Field(ge=0, le=MAX_POSITION)]


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be changed but not cleared with null")
    return value


class CategoryCreate(BaseModel):
    """A new category, at the top or under a parent (by slug)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"slug": "agents", "name_en": "Agents", "name_zh": "智能体", "parent": "applications"}
            ]
        },
    )

    slug: Slug
    name_en: CategoryName
    name_zh: CategoryName | None = None
    description: Description | None = None
    parent: Slug | None = Field(default=None, description="The parent's slug; omit for a top-level category.")
    position: Position = Field(default=0, description="Order among its siblings, smallest first.")


class CategoryUpdate(BaseModel):
    """Rename or move a category; only the fields sent change, `parent: null` makes it top-level."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name_en": "LLM Agents", "parent": None}]}
    )

    slug: Slug | None = None
    name_en: CategoryName | None = None
    name_zh: CategoryName | None = None
    description: Description | None = None
    parent: Slug | None = None
    position: Position | None = None

    @field_validator("slug", "name_en", "position", mode="before")
    @classmethod
    def _required_when_sent(cls, value: Any) -> Any:
        return _refuse_null(value)


class TagCreate(BaseModel):
    """A new tag; its slug follows from the name unless given."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "Chain of Thought"}]})

    name: TagName
    slug: Slug | None = None


class TagUpdate(BaseModel):
    """Rename a tag (its display name, its slug, or both)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "Chain-of-Thought", "slug": "cot"}]}
    )

    name: TagName | None = None
    slug: Slug | None = None

    @field_validator("name", "slug", mode="before")
    @classmethod
    def _required_when_sent(cls, value: Any) -> Any:
        return _refuse_null(value)


class MergeRequest(BaseModel):
    """The slug of the duplicate to fold into the category or tag in the path; it is deleted after."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"duplicate": "llm-agents"}]})

    duplicate: Slug


class CategoryRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "slug": "agents",
                    "name_en": "Agents",
                    "name_zh": "智能体",
                    "description": None,
                    "parent": "applications",
                    "position": 0,
                    "paper_count": 42,
                }
            ]
        }
    )

    id: int
    slug: str
    name_en: str
    name_zh: str | None
    description: str | None
    parent: str | None = Field(description="The parent's slug, null at the top.")
    position: int
    paper_count: int


class TagRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={"examples": [{"id": 7, "slug": "rlhf", "name": "RLHF", "paper_count": 12}]},
    )

    id: int
    slug: str
    name: str
    paper_count: int

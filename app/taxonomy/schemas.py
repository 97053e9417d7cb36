"""What the taxonomy's read side answers: the category tree with counts, and tags with counts."""

from __future__ import annotations

import enum

from pydantic import BaseModel, ConfigDict, Field


class CategoryNode(BaseModel):
    """A category, its papers (`paper_count` filed here, `total` here and below) and its subcategories."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "slug": "agents",
                    "name_en": "Agents",
                    "name_zh": "智能体",
                    "description": None,
                    "paper_count": 12,
                    "total": 30,
                    "children": [],
                }
            ]
        }
    )

    slug: str
    name_en: str
    name_zh: str | None
    description: str | None
    paper_count: int
    total: int = Field(description="Papers filed here and in every subcategory (a paper in two counts twice)")
    children: list[CategoryNode]


class CategoryTreeParams(BaseModel):
    """The tree takes no parameters; unknown ones are refused rather than ignored."""

    model_config = ConfigDict(extra="forbid")


class CategoryTree(BaseModel):
    categories: list[CategoryNode]


class TagSort(enum.StrEnum):
    COUNT = "count"
    NAME = "name"


class TagListParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    q: str | None = Field(
        default=None,
        min_length=1,
        max_length=80,
        pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$",  # no NUL or other control characters
        description="Only tags whose slug or name starts with this",
    )
    sort: TagSort = Field(default=TagSort.COUNT, description="Most used first, or by name")
    limit: int = Field(default=100, ge=1, le=1000, description="At most this many tags")


class TagCount(BaseModel):
    slug: str
    name: str
    paper_count: int


class TagList(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [{"slug": "rlhf", "name": "RLHF", "paper_count": 42}], "total": 1}]
        }
    )

    items: list[TagCount]
    total: int = Field(description="How many tags match q (all of them may not fit in the page)")

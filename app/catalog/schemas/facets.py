"""Facet counts: values with their counts and the query that toggles them, categories as a tree."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.catalog.schemas.examples import FACETS_EXAMPLE


class FacetValue(BaseModel):
    """One value of a facet: how many matching papers have it, and the filters that toggle it."""

    value: str = Field(description="The filter value (a slug, a year, a venue, a list name)")
    label: str
    count: int
    selected: bool
    toggle_query: str = Field(description="The URL query of the current filters with this value toggled")


class CategoryFacet(FacetValue):
    """A category with the papers filed in it (`count`) and in it or below it (`total`)."""

    name_zh: str | None
    total: int
    children: list[CategoryFacet]


class Facets(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [FACETS_EXAMPLE]})

    categories: list[CategoryFacet]
    tags: list[FacetValue]
    years: list[FacetValue]
    venues: list[FacetValue]
    sources: list[FacetValue]
    matched: int = Field(description="How many papers match (a lower bound when matched_is_approximate)")
    matched_is_approximate: bool
    is_approximate: bool = Field(
        description="True when the counts cover only the first matched papers, not all of them"
    )

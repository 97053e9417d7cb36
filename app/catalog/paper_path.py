"""The `{paper_id:paper}` path segment: anything but the names of the routes beside it (`facets`, `lookup`).

So `PATCH /api/v1/papers/facets` is a method that path does not take (405, with the methods it does), not a
paper id that fails validation; a malformed id such as `abc` still reaches the route and gets its 422.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

SIBLING_ROUTES = ("facets", "lookup")


class PaperIdSegment(Convertor[str]):
    regex = "(?!(?:" + "|".join(SIBLING_ROUTES) + ")(?:/|$))[^/]+"

    def convert(self, value: str) -> str:
        return value  # FastAPI validates it as the route's integer parameter

    def to_string(self, value: str) -> str:
        return str(value)


register_url_convertor("paper", PaperIdSegment())

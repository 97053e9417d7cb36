"""How paper lists are laid out for this reader: cards (the default) or compact rows, remembered in a cookie.

`?view=compact` (or `cards`) chooses and the cookie remembers the choice for the next list. The response
cache never stores an answer to a request carrying a cookie or setting one, so a remembered choice never
reaches another reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from app.web.cookies import queue_cookie, read_cookie

VIEWS = ("cards", "compact")
DEFAULT_VIEW = "cards"
COOKIE = "list_view"
REMEMBERED_FOR = 365 * 24 * 3600


@dataclass(frozen=True)
class ListView:
    current: str
    urls: dict[str, str]  # each view's address for this very list

    @property
    def is_compact(self) -> bool:
        return self.current == "compact"


def list_view(request: Request) -> ListView:
    """The layout this request asks for (remembering a new choice), else the remembered one, else cards."""
    asked = request.query_params.get("view")
    if asked in VIEWS:
        if asked != read_cookie(request, COOKIE):
            queue_cookie(request, COOKIE, asked, max_age=REMEMBERED_FOR)
        current = asked
    else:
        remembered = read_cookie(request, COOKIE)
        current = remembered if remembered in VIEWS else DEFAULT_VIEW
    urls = {view: str(request.url.include_query_params(view=view)) for view in VIEWS}
    return ListView(current=current, urls=urls)

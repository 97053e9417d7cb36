"""The table of rights: every write route × {anonymous, member, another member, editor, admin}.

Each cell is one request on a fresh database, sent the way that door is used: pages with a signed-in session
and its CSRF token, the JSON API with the actor's bearer token. The resource belongs to "member"; "other" is
another member. A write route that is not in the table fails `test_every_write_route_is_in_the_table`, so a
new route cannot ship without its row; a row whose route does not exist (yet) is skipped, naming the route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import sessions
from app.accounts.models import ApiToken, Role, User
from app.config import PROJECT_ROOT
from app.importing.classification import load_import_rules
from app.importing.service import ListToImport, import_list
from app.web import csrf
from tests.factories import make_category, make_paper, make_rating, make_tag, make_token, make_user, unique
from tests.web.browsing import csrf_from

ACTORS = ("anonymous", "member", "other", "editor", "admin")
OK, LOGIN, FORBIDDEN, HIDDEN = "ok", "sign in first", "forbidden", "not found"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
PASSWORD = "correct-horse"
RIGHTS_LIST = "rights-tools"
TOOLS_MARKDOWN = "# Tools\n\n## Frameworks\n\n- [vLLM](https://github.com/vllm-project/vllm) - serving\n"
IMPORT_MARKDOWN = (
    "# Rights test list\n\n## Models\n\n- [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
)


@dataclass
class World:
    """What the requests act on: users with tokens, and a paper, token, category and tags of `member`."""

    users: dict[str, User]
    tokens: dict[str, str]
    paper_slug: str
    paper_id: int
    duplicate_paper_id: int
    member_token_id: int
    category_slug: str
    other_category_slug: str
    tag_slug: str
    other_tag_slug: str
    resource_key: str


@dataclass(frozen=True)
class Call:
    path: str
    form: dict[str, Any] | None = None
    json: dict[str, Any] | None = None
    files: dict[str, Any] | None = None


@dataclass(frozen=True)
class Right:
    method: str
    route: str
    expect: tuple[str, str, str, str, str]  # in the order of ACTORS
    call: Callable[[World, str], Call] = field(compare=False)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("/api/")


def everyone(anonymous: str = LOGIN) -> tuple[str, str, str, str, str]:
    return (anonymous, OK, OK, OK, OK)


OWNER_OR_EDITOR = (LOGIN, OK, FORBIDDEN, OK, OK)
EDITORS = (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)
ADMINS = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
OWNER_ONLY_PRIVATE = (LOGIN, OK, HIDDEN, HIDDEN, OK)  # another person's private data does not exist for you


def _paper_form(title: str) -> dict[str, Any]:
    return {"title": title, "authors": "Ada Lovelace\nGrace Hopper", "year": "2021", "tags": "rights-test"}


TABLE: tuple[Right, ...] = (
    # accounts
    Right(
        "POST",
        "/login",
        everyone(OK),
        lambda w, a: Call("/login", form={"username": "visitor", "password": PASSWORD}),
    ),
    Right(
        "POST",
        "/register",
        everyone(OK),
        lambda w, a: Call(
            "/register",
            form={
                "username": unique("newcomer"),
                "password": "a long pass phrase",
                "password_confirm": "a long pass phrase",
            },
        ),
    ),
    Right("POST", "/logout", everyone(OK), lambda w, a: Call("/logout", form={})),
    Right(
        "POST",
        "/account/password",
        everyone(),
        lambda w, a: Call(
            "/account/password",
            form={
                "current_password": PASSWORD,
                "new_password": "a new pass phrase",
                "new_password_confirm": "a new pass phrase",
            },
        ),
    ),
    Right(
        "POST",
        "/account/tokens",
        everyone(),
        lambda w, a: Call("/account/tokens", form={"name": "from the table"}),
    ),
    Right(
        "POST",
        "/account/tokens/{token_id}/revoke",
        OWNER_ONLY_PRIVATE,
        lambda w, a: Call(f"/account/tokens/{w.member_token_id}/revoke", form={}),
    ),
    # catalogue pages
    Right(
        "POST",
        "/papers/new",
        everyone(),
        lambda w, a: Call("/papers/new", form=_paper_form(unique("A new paper "))),
    ),
    Right(
        "POST",
        "/papers/new/fill",
        everyone(),
        lambda w, a: Call("/papers/new/fill", form={"lookup": "1706.03762"}),
    ),
    Right(
        "POST",
        "/papers/{slug}/edit",
        OWNER_OR_EDITOR,
        lambda w, a: Call(f"/papers/{w.paper_slug}/edit", form=_paper_form("An edited title")),
    ),
    Right(
        "POST",
        "/papers/{slug}/delete",
        OWNER_OR_EDITOR,
        lambda w, a: Call(f"/papers/{w.paper_slug}/delete", form={}),
    ),
    # ratings pages
    Right(
        "POST",
        "/papers/{slug}/rating",
        everyone(),
        lambda w, a: Call(f"/papers/{w.paper_slug}/rating", form={"score": "4", "comment": "Solid."}),
    ),
    Right(
        "POST",
        "/papers/{slug}/rating/delete",
        everyone(),
        lambda w, a: Call(f"/papers/{w.paper_slug}/rating/delete", form={}),
    ),
    # imports
    Right(
        "POST",
        "/import",
        ADMINS,
        lambda w, a: Call("/import", form={"name": unique("rights-list-"), "markdown": IMPORT_MARKDOWN}),
    ),
    Right(
        "POST",
        "/api/v1/imports",
        ADMINS,
        lambda w, a: Call(
            "/api/v1/imports", form={"name": unique("rights-list-"), "markdown": IMPORT_MARKDOWN}
        ),
    ),
    # a list's entries: paper or resource
    Right(
        "POST",
        "/api/v1/sources/{name}/kinds",
        EDITORS,
        lambda w, a: Call(
            f"/api/v1/sources/{RIGHTS_LIST}/kinds", json={"entry_key": w.resource_key, "kind": "paper"}
        ),
    ),
    Right(
        "POST",
        "/sources/{name}/kinds",
        EDITORS,
        lambda w, a: Call(
            f"/sources/{RIGHTS_LIST}/kinds", form={"entry_key": w.resource_key, "kind": "paper"}
        ),
    ),
    # catalogue API
    Right(
        "POST",
        "/api/v1/papers",
        everyone(),
        lambda w, a: Call(
            "/api/v1/papers", json={"title": unique("An API paper "), "authors": ["Ada Lovelace"]}
        ),
    ),
    Right(
        "PATCH",
        "/api/v1/papers/{paper_id}",
        OWNER_OR_EDITOR,
        lambda w, a: Call(f"/api/v1/papers/{w.paper_id}", json={"title": "Patched title"}),
    ),
    Right(
        "DELETE",
        "/api/v1/papers/{paper_id}",
        OWNER_OR_EDITOR,
        lambda w, a: Call(f"/api/v1/papers/{w.paper_id}"),
    ),
    Right(
        "POST",
        "/api/v1/papers/{paper_id}/merge",
        EDITORS,
        lambda w, a: Call(f"/api/v1/papers/{w.paper_id}/merge", json={"duplicate_id": w.duplicate_paper_id}),
    ),
    # ratings API
    Right(
        "PUT",
        "/api/v1/papers/{paper_id}/rating",
        everyone(),
        lambda w, a: Call(f"/api/v1/papers/{w.paper_id}/rating", json={"score": 5}),
    ),
    Right(
        "DELETE",
        "/api/v1/papers/{paper_id}/rating",
        everyone(),
        lambda w, a: Call(f"/api/v1/papers/{w.paper_id}/rating"),
    ),
    # taxonomy API
    Right(
        "POST",
        "/api/v1/categories",
        EDITORS,
        lambda w, a: Call("/api/v1/categories", json={"slug": unique("cat-"), "name_en": "A category"}),
    ),
    Right(
        "PATCH",
        "/api/v1/categories/{slug}",
        EDITORS,
        lambda w, a: Call(f"/api/v1/categories/{w.category_slug}", json={"name_en": "Renamed"}),
    ),
    Right(
        "POST",
        "/api/v1/categories/{slug}/merge",
        EDITORS,
        lambda w, a: Call(
            f"/api/v1/categories/{w.category_slug}/merge", json={"duplicate": w.other_category_slug}
        ),
    ),
    Right("POST", "/api/v1/tags", EDITORS, lambda w, a: Call("/api/v1/tags", json={"name": unique("tag-")})),
    Right(
        "PATCH",
        "/api/v1/tags/{slug}",
        EDITORS,
        lambda w, a: Call(f"/api/v1/tags/{w.tag_slug}", json={"name": "renamed"}),
    ),
    Right(
        "POST",
        "/api/v1/tags/{slug}/merge",
        EDITORS,
        lambda w, a: Call(f"/api/v1/tags/{w.tag_slug}/merge", json={"duplicate": w.other_tag_slug}),
    ),
)


def write_routes(app: FastAPI) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        for method in (route.methods or set()) - SAFE:
            if route.path_format is not None:
                found.add((method, route.path_format))
    return found


def test_every_write_route_is_in_the_table(app: FastAPI) -> None:
    listed = {(right.method, right.route) for right in TABLE}
    missing = sorted(write_routes(app) - listed)
    assert missing == [], f"add these write routes to the table of rights: {missing}"


def _world(db: Session) -> World:
    users = {
        "member": make_user(db, "member"),
        "other": make_user(db, "other"),
        "editor": make_user(db, "editor", role=Role.EDITOR),
        "admin": make_user(db, "admin", role=Role.ADMIN),
    }
    make_user(db, "visitor")
    tokens = {name: make_token(db, user) for name, user in users.items()}
    member_token_id = db.scalars(
        select(ApiToken.id).where(ApiToken.user_id == users["member"].id).order_by(ApiToken.id)
    ).first()
    assert member_token_id is not None
    category, other_category = make_category(db), make_category(db)
    tag, other_tag = make_tag(db), make_tag(db)
    paper = make_paper(db, "The member's paper", added_by=users["member"], categories=[category], tags=[tag])
    duplicate = make_paper(db, "The member's paper, again", added_by=users["member"])
    for user in users.values():
        make_rating(db, paper, user, score=3)
    rules = load_import_rules(PROJECT_ROOT / "seeds")
    import_list(db, ListToImport(RIGHTS_LIST, TOOLS_MARKDOWN.encode()), rules=rules, max_bytes=1 << 20)
    db.commit()
    return World(
        users=users,
        tokens=tokens,
        paper_slug=paper.slug,
        paper_id=paper.id,
        duplicate_paper_id=duplicate.id,
        member_token_id=member_token_id,
        category_slug=category.slug,
        other_category_slug=other_category.slug,
        tag_slug=tag.slug,
        other_tag_slug=other_tag.slug,
        resource_key="title:vllm",
    )


def _signed_in(client: TestClient, db: Session, user: User) -> str:
    """Put a session for USER in the client's cookie jar; returns a CSRF token for its forms."""
    secret = csrf.new_session_secret()
    policy = sessions.SessionPolicy(idle=timedelta(hours=1), absolute=timedelta(hours=2))
    plain = sessions.start_session(db, user, policy, csrf_secret=secret)
    db.commit()
    client.cookies.set(sessions.SESSION_COOKIE, plain)
    return csrf.mask(secret)


def outcome(status: int, location: str | None) -> str:
    if status == 401 or (status == 303 and (location or "").startswith("/login")):
        return LOGIN
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    if 200 <= status < 300 or status == 303:
        return OK
    return f"unexpected {status}"


def _cells() -> Iterator[Any]:
    for right in TABLE:
        for actor, expected in zip(ACTORS, right.expect, strict=True):
            yield pytest.param(right, actor, expected, id=f"{right.method} {right.route} as {actor}")


@pytest.mark.parametrize(("right", "actor", "expected"), list(_cells()))
def test_rights(
    app: FastAPI, client: TestClient, db: Session, right: Right, actor: str, expected: str
) -> None:
    if (right.method, right.route) not in write_routes(app):
        pytest.skip(f"{right.method} {right.route} does not exist yet")
    world = _world(db)
    call = right.call(world, actor)
    headers: dict[str, str] = {}
    form = dict(call.form) if call.form is not None else None
    if right.is_api:
        if actor != "anonymous":
            headers["Authorization"] = f"Bearer {world.tokens[actor]}"
    else:
        token = (
            csrf_from(client.get("/login").text)
            if actor == "anonymous"
            else _signed_in(client, db, world.users[actor])
        )
        form = {"csrf_token": token, **(form or {})}
    response = client.request(
        right.method,
        call.path,
        data=form,
        json=call.json,
        files=call.files,
        headers=headers,
        follow_redirects=False,
    )
    got = outcome(response.status_code, response.headers.get("location"))
    assert got == expected, (
        f"{right.method} {call.path} as {actor}: {response.status_code} {response.text[:300]}"
    )

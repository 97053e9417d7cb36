"""The `papers` command: database, seeding, importing, users, tokens and the server."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from app import schema
from app.accounts import service as accounts
from app.accounts.models import Role
from app.config import Settings, get_settings
from app.db import make_engine, make_session_factory, transaction
from app.errors import DomainError
from app.search import service as search

app = typer.Typer(
    help="Paper Atlas: the catalogue of papers behind large language models.", no_args_is_help=True
)
db_app = typer.Typer(help="Create and migrate the database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Manage people who sign in.", no_args_is_help=True)
token_app = typer.Typer(help="Manage API tokens for scripts.", no_args_is_help=True)
search_app = typer.Typer(help="Maintain the full-text search index.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(search_app, name="search")

# Reports are tables; give them room even when the output is a pipe or a log rather than a terminal.
console = Console(width=max(Console().width, 120))
errors = Console(stderr=True)


def _session_factory() -> sessionmaker[Session]:
    search.install()  # every command's writes keep the search index in step
    return make_session_factory(make_engine(get_settings()))


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]error:[/red] {message}")
    return typer.Exit(code=1)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    schema.upgrade(revision)
    console.print(f"Database at revision [bold]{revision}[/bold].")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1.")]) -> None:
    """Step the schema back to REVISION."""
    schema.downgrade(revision)
    console.print(f"Database downgraded to [bold]{revision}[/bold].")


@db_app.command("current")
def db_current() -> None:
    """Show the revision the database is at."""
    schema.current()


@db_app.command("check")
def db_check() -> None:
    """Fail when the models and the migrations disagree."""
    schema.check()
    console.print("Models and migrations agree.")


@app.command()
def seed() -> None:
    """Import every list in seeds/ (safe to run again: unchanged lists change nothing)."""
    from app.importing.seeding import seed_catalogue

    settings = get_settings()
    try:
        seed_catalogue(
            _session_factory(),
            seeds_dir=settings.seeds_dir,
            max_bytes=settings.max_import_bytes,
            console=console,
        )
    except DomainError as exc:
        raise _fail(exc.detail) from exc


@app.command("import")
def import_file(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="A markdown list.")
    ],
    source: Annotated[
        str | None,
        typer.Option("--source", help="The name the list is kept under (default: the file's name)."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="The list's title (default: its first heading).")] = None,
    origin: Annotated[
        str | None, typer.Option(help="Where the list comes from, e.g. its repository.")
    ] = None,
) -> None:
    """Import an awesome list; importing a newer version of it again updates it."""
    from app.catalog.identifiers import slugify
    from app.importing.classification import load_import_rules
    from app.importing.seeding import print_reports
    from app.importing.service import ListToImport, import_list

    settings = get_settings()
    name = source or slugify(file.stem)
    upload = ListToImport(name=name, content=file.read_bytes(), title=title, origin=origin)
    try:
        with console.status(f"Importing {file.name}…"), transaction(_session_factory()) as session:
            report = import_list(
                session,
                upload,
                rules=load_import_rules(settings.seeds_dir),
                max_bytes=settings.max_import_bytes,
            )
    except DomainError as exc:
        raise _fail(exc.detail) from exc
    print_reports([report], console)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Serve the site and the API with uvicorn."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        reload=reload,
        **uvicorn_options(settings),
    )


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `papers serve` runs uvicorn, beyond where it listens."""
    return {
        # Forwarded headers only from the proxies configured (none by default): rate limits count by
        # client address, which a client must not be able to choose.
        "proxy_headers": bool(settings.forwarded_allow_ips),
        "forwarded_allow_ips": settings.forwarded_allow_ips or "",
        "log_level": settings.log_level.lower(),
        "access_log": False,  # our own access log carries the request id
    }


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("create")
def user_create(
    name: Annotated[str, typer.Argument(help="Username (3–40 letters, digits, '.', '-', '_').")],
    role: Annotated[Role, typer.Option(help="What the user may do.")] = Role.MEMBER,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create a user; the password is asked for, or read from stdin."""
    password = _read_password(password_stdin)
    settings = get_settings()
    try:
        with transaction(_session_factory()) as session:
            user = accounts.create_user(
                session, name, password, role=role, fast_hash=settings.fast_password_hashing
            )
            console.print(f"Created {user.role} [bold]{user.username}[/bold].")
    except DomainError as exc:
        raise _fail(exc.detail) from exc


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Argument(help="The user the token acts for.")],
    label: Annotated[str, typer.Option("--label", help="What the token is for.")] = "command line",
) -> None:
    """Create an API token for user NAME and print it once."""
    try:
        with transaction(_session_factory()) as session:
            user = accounts.get_user_by_name(session, name)
            _token, plain = accounts.create_api_token(session, user, label)
    except DomainError as exc:
        raise _fail(exc.detail) from exc
    errors.print("Store this token now; it is not shown again.")
    print(plain)


@user_app.command("set-role")
def user_set_role(
    name: Annotated[str, typer.Argument(help="The user.")],
    role: Annotated[Role, typer.Argument(help="member, editor or admin.")],
) -> None:
    """Give user NAME a role (their open sessions end)."""
    try:
        with transaction(_session_factory()) as session:
            user = accounts.set_role(session, None, name, role)
            console.print(f"[bold]{user.username}[/bold] is now {user.role}.")
    except DomainError as exc:
        raise _fail(exc.detail) from exc


@user_app.command("disable")
def user_disable(name: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Disable user NAME: their sessions end and their tokens stop working at once."""
    try:
        with transaction(_session_factory()) as session:
            user = accounts.set_active(session, None, name, active=False)
            console.print(f"[bold]{user.username}[/bold] is disabled.")
    except DomainError as exc:
        raise _fail(exc.detail) from exc


@token_app.command("list")
def token_list(name: Annotated[str, typer.Argument(help="The user whose tokens to list.")]) -> None:
    """List user NAME's tokens: id, name, prefix, created, last used, state; never the tokens themselves."""
    try:
        with transaction(_session_factory(), writes=False) as session:
            tokens = accounts.list_tokens(session, accounts.get_user_by_name(session, name))
    except DomainError as exc:
        raise _fail(exc.detail) from exc
    for token in tokens:
        used = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "never"
        state = f"revoked {token.revoked_at.isoformat(timespec='seconds')}" if token.revoked_at else "active"
        print(f"{token.id}\t{token.name}\t{token.prefix}…\t{token.created_at:%Y-%m-%d}\t{used}\t{state}")


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `papers token list`).")],
) -> None:
    """Revoke token ID at once."""
    try:
        with transaction(_session_factory()) as session:
            token = accounts.revoke_token_by_id(session, token_id)
            console.print(f"Token {token.id} ({token.name}) revoked.")
    except DomainError as exc:
        raise _fail(exc.detail) from exc


@search_app.command("reindex")
def search_reindex() -> None:
    """Rebuild the full-text search index from the catalogue (writes keep it in step on their own)."""
    with console.status("Indexing…"), transaction(_session_factory()) as session:
        indexed = search.reindex_all(session)
    console.print(f"Indexed {indexed:,} papers.")


def main() -> None:
    app()

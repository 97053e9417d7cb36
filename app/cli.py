"""The `papers` command: database, seeding, importing, users, tokens and the server."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import schema
from app.accounts import service as accounts
from app.accounts.models import Role
from app.catalog import enrichment
from app.catalog.models import Paper
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
related_app = typer.Typer(help="Maintain the stored related papers.", no_args_is_help=True)
app.add_typer(search_app, name="search")
app.add_typer(related_app, name="related")

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
    from app.importing.classification import load_import_rules
    from app.importing.seeding import print_reports
    from app.importing.service import ListToImport, import_list
    from app.slugs import slugify

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


def default_workers() -> int:
    """One worker per core: the answer cache and its generation check work per process, sessions, tokens
    and the catalogue live in the database; only the rate limits still count per process."""
    return max(
        1, min(16, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
    )


@app.command()
def enrich(
    missing: Annotated[
        str | None,
        typer.Option(
            "--missing",
            help="Which empty fields to fill, comma-separated (default: all): authors, abstract, year, "
            "published, venue, url, pdf_url, doi, arxiv_id.",
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Enrich at most N papers.")] = None,
) -> None:
    """Fill papers' empty fields from arXiv and Crossref; fields that have a value are never changed."""
    from app.metadata.errors import FetchingOff

    fields = [name.strip() for name in (missing or ",".join(enrichment.FIELDS)).split(",") if name.strip()]
    unknown = sorted(set(fields) - set(enrichment.FIELDS))
    if unknown or not fields:
        raise _fail(f"--missing takes {', '.join(enrichment.FIELDS)}; not {', '.join(unknown) or 'nothing'}.")
    settings = get_settings()
    factory = _session_factory()
    with transaction(factory, writes=False) as session:
        candidates = enrichment.plan(session, fields, limit=limit)
    outcomes: dict[int, enrichment.Outcome] = {}
    try:
        with _progress() as progress:
            task = progress.add_task("Looking papers up", total=len(candidates))
            # One request per transaction, which only reads until the answer is stored: no write lock is
            # held while a source is asked, and what was fetched is kept even if a later request fails.
            for unit in enrichment.lookup_units(candidates):
                with transaction(factory, writes=False) as session:
                    outcomes |= enrichment.find_records(
                        session, settings, unit, advance=lambda n: progress.advance(task, n)
                    )
    except FetchingOff as exc:
        raise _fail(exc.detail) from exc
    with transaction(factory) as session:
        report = enrichment.apply(session, outcomes, fields)
    _print_enrichment(report, len(candidates))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _print_enrichment(report: enrichment.EnrichmentReport, considered: int) -> None:
    summary = Table(title=f"Enriched papers ({considered} missing a field)")
    for column in ("filled", "unchanged", "not found", "failed"):
        summary.add_column(column, justify="right")
    summary.add_row(str(report.filled), str(report.unchanged), str(report.not_found), str(report.failed))
    console.print(summary)
    if report.fields:
        fields = Table(title="Fields filled")
        fields.add_column("field")
        fields.add_column("papers", justify="right")
        for name, count in sorted(report.fields.items()):
            fields.add_row(name, str(count))
        console.print(fields)
    if report.found_by_title:
        console.print(f"{report.found_by_title} paper(s) found on arXiv by their exact title.")
    for failure in report.failures:
        console.print(f"[yellow]failed:[/yellow] {failure}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=16, help="Worker processes (default: one per CPU core this process may use)."
        ),
    ] = None,
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
        workers=1 if reload else (workers or default_workers()),
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
        # uvicorn kills a worker that has not answered its health ping within this; on a busy host a worker
        # still starting can take longer than the default 5 s, and would be killed and restarted for ever.
        "timeout_worker_healthcheck": 60,
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


@related_app.command("refresh")
def related_refresh(
    every: Annotated[
        bool, typer.Option("--all", help="Recompute every list, not only missing ones.")
    ] = False,
) -> None:
    """Store the related papers of every paper without a list (a paper's own edits drop its list; other
    papers' changes reach it when it is refreshed: run this now and then, or with --all)."""
    from app.browse.queries import refresh_lists

    with console.status("Computing related papers…"), transaction(_session_factory()) as session:
        ids = list(session.scalars(select(Paper.id).order_by(Paper.id))) if every else None
        stored = refresh_lists(session, ids)
    console.print(f"Stored the related papers of {stored:,} papers.")


def main() -> None:
    app()


if __name__ == "__main__":
    main()

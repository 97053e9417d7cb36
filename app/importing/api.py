"""JSON routes: bring a list in (admins), read the lists and how each was organised."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.datastructures import UploadFile as StarletteUploadFile

from app.accounts.dependencies import OptionalUser
from app.db import DbSession
from app.errors import InvalidInput, PayloadTooLarge
from app.importing import sources
from app.importing.classification import load_import_rules
from app.importing.schemas import SOURCE_NAME_PATTERN, ImportReport, KindChoice, SourceOutline, SourceRead
from app.importing.service import ListToImport, choose_entry_kind, import_as_user

router = APIRouter(prefix="/api/v1", tags=["lists"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or an invalid API token"},
    403: {"description": "Only admins import lists"},
    413: {"description": "The list is larger than the limit"},
    422: {"description": "Not UTF-8 text, not a list of papers, or a bad name"},
}


def read_upload(file: StarletteUploadFile, max_bytes: int) -> bytes:
    with file.file:
        content = file.file.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise PayloadTooLarge(
            f"The list is larger than the limit of {max_bytes:,} bytes.", extra={"limit": max_bytes}
        )
    return content


@router.post(
    "/imports",
    response_model=ImportReport,
    status_code=201,
    summary="Import an awesome list (admins)",
    description=(
        "Send the list as a multipart upload (`file`) or as markdown text (`markdown`), with the `name` "
        "it is kept under. Importing a newer version of a list with the same name adds its new entries, "
        "updates changed ones and reports the ones that disappeared. The whole import is one transaction."
    ),
    responses=ERRORS,
)
def create_import(
    *,
    request: Request,
    session: DbSession,
    user: OptionalUser,
    name: Annotated[str, Form(pattern=SOURCE_NAME_PATTERN, examples=["awesome-llm-agents"])],
    file: Annotated[UploadFile | None, File(description="The list as a markdown file")] = None,
    markdown: Annotated[str | None, Form(max_length=5 * 1024 * 1024, description="The list as text")] = None,
    title: Annotated[str | None, Form(max_length=300)] = None,
    origin: Annotated[str | None, Form(max_length=2000)] = None,
    language: Annotated[str | None, Form(max_length=16)] = None,
) -> ImportReport:
    settings = request.app.state.settings
    if (file is None) == (markdown is None):
        raise InvalidInput(
            "Send either a file or markdown text.", fields={"file": "A file or markdown, not both."}
        )
    content = read_upload(file, settings.max_import_bytes) if file is not None else (markdown or "").encode()
    upload = ListToImport(name=name, content=content, title=title, origin=origin, language=language)
    return import_as_user(
        session,
        upload,
        user=user,
        rules=load_import_rules(settings.seeds_dir),
        max_bytes=settings.max_import_bytes,
    )


@router.get("/sources", response_model=list[SourceRead], summary="Every imported list")
def list_sources(session: DbSession) -> list[SourceRead]:
    return sources.list_sources(session)


@router.get(
    "/sources/{name}",
    response_model=SourceOutline,
    summary="One list as it was organised, section by section",
    responses={404: {"description": "No list of that name"}},
)
def get_source(session: DbSession, name: str) -> SourceOutline:
    if len(name) > 80:
        raise InvalidInput("A list's name has at most 80 characters.", fields={"name": "Too long."})
    return sources.source_outline(session, name)


@router.post(
    "/sources/{name}/kinds",
    response_model=ImportReport,
    summary="Say whether an entry of a list is a paper or a resource (editors)",
    description=(
        "Turn a resource of the list (software, a model, a course, ...) into a paper, or a paper's entry "
        "into a resource of the given kind. `entry_key` is the entry's key from `GET /sources/{name}`. "
        "The list is imported again with the choice, which stays for every later import of the list."
    ),
    responses={
        401: {"description": "No or an invalid API token"},
        403: {"description": "Only editors choose"},
        404: {"description": "No list of that name, or no entry with that key"},
        422: {"description": "An unknown kind or key"},
    },
)
def choose_kind(
    request: Request, session: DbSession, user: OptionalUser, name: str, choice: KindChoice
) -> ImportReport:
    settings = request.app.state.settings
    return choose_entry_kind(
        session,
        name,
        choice,
        user=user,
        rules=load_import_rules(settings.seeds_dir),
        max_bytes=settings.max_import_bytes,
    )

"""HTML form posts parsed into Pydantic models, with per-field messages and the values kept for re-rendering.

Pages use it as::

    @router.post("/things/new")
    def create(request: Request, form: PostedForm, session: DbSession) -> Response:
        data, errors, values = parse_form(ThingForm, form)
        if data is None:
            return render(request, "things/_form.html", {"errors": errors, "values": values}, status_code=422)
        ...
        flash(request, "Added.")
        return RedirectResponse(url, status_code=303)
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from app.errors import DomainError
from app.web.i18n import N_, _

ModelT = TypeVar("ModelT", bound=BaseModel)

FORM_ERROR = "__all__"
"""The key of a message about the form as a whole rather than one field."""

CSRF_FIELD = "csrf_token"
_FORM_STATE = "posted_form"
_IGNORED_FIELDS = frozenset({CSRF_FIELD})
_MESSAGES = {
    "missing": N_("This field is required."),
    "string_too_short": N_("Too short: at least %(min_length)s characters."),
    "string_too_long": N_("Too long: at most %(max_length)s characters."),
    "int_parsing": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "greater_than_equal": N_("Must be at least %(ge)s."),
    "less_than_equal": N_("Must be at most %(le)s."),
    "url_parsing": N_("Enter a full web address starting with http:// or https://."),
    "url_scheme": N_("Only http:// and https:// addresses are accepted."),
    "extra_forbidden": N_("This field is not expected here."),
    "literal_error": N_("Choose one of the offered values."),
    "enum": N_("Choose one of the offered values."),
    "string_pattern_mismatch": N_("Use only printable characters."),
}


async def read_form(request: Request) -> FormData:
    """The posted form; Starlette caches it, so the CSRF check and the page read it once.

    A text field may be as large as an import (a pasted list), beyond Starlette's 1 MB default per part.
    """
    largest: int = request.app.state.settings.max_import_bytes
    form = await request.form(max_part_size=max(1024 * 1024, largest))
    request.scope.setdefault("state", {})[_FORM_STATE] = form
    return form


async def close_posted_form(request: Request) -> None:
    """Close the uploaded files of a form read by read_form (called once the request is done)."""
    form = request.scope.get("state", {}).pop(_FORM_STATE, None)
    if isinstance(form, FormData):
        await form.close()


PostedForm = Annotated[FormData, Depends(read_form)]


def _accepts_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, set, frozenset, tuple):
        return True
    if origin in (Union, types.UnionType):
        return any(_accepts_list(arg) for arg in get_args(annotation) if arg is not type(None))
    return False


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "string_too_short" and context.get("min_length") == 1:
        kind = "missing"
    template = _MESSAGES.get(kind)
    if template is not None:
        try:
            return _(template) % dict(context)
        except (KeyError, IndexError, TypeError, ValueError):
            pass
    message = str(error.get("msg", N_("Invalid value.")))
    # Custom validators raise ValueError(N_("...")); Pydantic prefixes the text with "Value error, ".
    return translated(message.removeprefix("Value error, ").removeprefix("Assertion failed, "))


def translated(message: str) -> str:
    """A message marked with N_() below the web layer, in the reader's language (as it is, if unknown)."""
    return _(message) if message else message


def _gather(
    model_cls: type[BaseModel], form_data: FormData | Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    data: dict[str, Any] = {}
    values: dict[str, Any] = {}
    fields = model_cls.model_fields
    keys = list(dict.fromkeys(form_data.keys()))
    for key in keys:
        if key in _IGNORED_FIELDS:
            continue
        field = fields.get(key)
        if isinstance(form_data, FormData):
            raw: list[Any] = list(form_data.getlist(key))
        else:
            item = form_data[key]
            raw = list(item) if isinstance(item, list | tuple) else [item]
        if field is not None and _accepts_list(field.annotation):
            kept = [item for item in raw if not (isinstance(item, str) and item.strip() == "")]
            data[key] = kept
            values[key] = [item for item in kept if isinstance(item, str)]
            continue
        value = raw[-1] if raw else None
        if isinstance(value, UploadFile):
            data[key] = value
            continue
        values[key] = value
        if isinstance(value, str) and value.strip() == "" and field is not None and not field.is_required():
            continue  # an empty optional input means "not given": the model's default applies
        data[key] = value
    return data, values


def parse_form(
    model_cls: type[ModelT], form_data: FormData | Mapping[str, Any]
) -> tuple[ModelT | None, dict[str, str], dict[str, Any]]:
    """Validate a form into MODEL_CLS: (model or None, {field: message}, the submitted values to re-show).

    Empty optional inputs fall back to the model's defaults; list-typed fields take every value of a repeated
    name (checkboxes, multiple selects); the CSRF token is not part of the model.
    """
    data, values = _gather(model_cls, form_data)
    try:
        model = model_cls.model_validate(data)
    except ValidationError as exc:
        field_errors: dict[str, str] = {}
        for error in exc.errors():
            loc = error.get("loc", ())
            name = str(loc[0]) if loc else FORM_ERROR
            field_errors.setdefault(name, _message(error))
        return None, field_errors, values
    return model, {}, values


def domain_field_errors(exc: DomainError) -> dict[str, str]:
    """The per-field messages a service put on a domain error, or the detail as a whole-form message."""
    fields = exc.extra.get("fields")
    if isinstance(fields, dict) and fields:
        return {str(name): translated(str(message)) for name, message in fields.items()}
    return {FORM_ERROR: translated(exc.detail)}


@contextmanager
def form_action(session: Session) -> Iterator[None]:
    """Run a form's service calls in a savepoint: a domain error undoes whatever they had already flushed.

    The page then re-renders with the error while the request's transaction commits normally, so nothing
    half-made (a paper without its categories) may be left in it.
    """
    savepoint = session.begin_nested()
    try:
        yield
    except DomainError:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    savepoint.commit()

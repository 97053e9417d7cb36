"""parse_form and the form macros: errors per field, values kept, accessible markup."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator
from starlette.datastructures import FormData

from app.errors import Conflict, InvalidInput
from app.web.forms import FORM_ERROR, domain_field_errors, parse_form
from app.web.templating import templates


class PaperForm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=20)
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: HttpUrl | None = None
    tags: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("title")
    @classmethod
    def no_shouting(cls, value: str) -> str:
        if value.isupper():
            raise ValueError("Please do not write the title in capitals.")
        return value


def test_a_valid_form() -> None:
    form = FormData(
        [("csrf_token", "t"), ("title", "Attention"), ("year", "2017"), ("tags", "nlp"), ("tags", "mt")]
    )
    model, errors, values = parse_form(PaperForm, form)
    assert errors == {}
    assert model == PaperForm(title="Attention", year=2017, tags=["nlp", "mt"])
    assert values == {"title": "Attention", "year": "2017", "tags": ["nlp", "mt"]}


def test_empty_optional_inputs_take_the_default() -> None:
    model, errors, _ = parse_form(
        PaperForm, FormData([("title", "Attention"), ("year", ""), ("url", " "), ("tags", "")])
    )
    assert errors == {}
    assert model is not None
    assert model.year is None
    assert model.url is None
    assert model.tags == []


def test_errors_are_per_field_readable_and_values_are_kept() -> None:
    form = FormData([("title", "AB"), ("year", "soon"), ("url", "javascript:alert(1)"), ("bogus", "x")])
    model, errors, values = parse_form(PaperForm, form)
    assert model is None
    assert errors["title"] == "Too short: at least 3 characters."
    assert errors["year"] == "Enter a whole number."
    assert "url" in errors
    assert errors["bogus"] == "This field is not expected here."
    assert values["title"] == "AB"
    assert values["year"] == "soon"


def test_missing_required_and_custom_validator_messages() -> None:
    assert parse_form(PaperForm, {})[1] == {"title": "This field is required."}
    assert parse_form(PaperForm, {"title": ""})[1] == {"title": "Too short: at least 3 characters."}
    assert parse_form(PaperForm, {"title": "LOUD TITLE"})[1] == {
        "title": "Please do not write the title in capitals."
    }


def test_domain_errors_become_field_errors() -> None:
    assert domain_field_errors(InvalidInput("bad", fields={"title": "Taken."})) == {"title": "Taken."}
    assert domain_field_errors(Conflict("Exists already.")) == {FORM_ERROR: "Exists already."}


def _render(source: str, **context: object) -> str:
    return templates.env.from_string(
        '{% import "_macros/forms.html" as forms with context %}' + source
    ).render(**context)


def test_field_macro_is_accessible_and_escapes() -> None:
    html = _render(
        '{{ forms.field("title", "Title", value, "Too short.", required=true, help="As printed.") }}',
        value='"><script>alert(1)</script>',
    )
    assert '<label for="field-title">' in html
    assert 'id="field-title"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="field-title-error field-title-help"' in html
    assert '<p class="field-error" id="field-title-error">Too short.</p>' in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_password_fields_never_carry_a_value() -> None:
    html = _render('{{ forms.field("password", "Password", "secret-value", type="password") }}')
    assert "secret-value" not in html
    assert "aria-invalid" not in html


def test_textarea_select_checkbox_and_summary() -> None:
    html = _render(
        '{{ forms.textarea("note", "Note", "<b>hi</b>", "Bad.") }}'
        '{{ forms.select("kind", "Kind", [("a", "A"), ("b", "B")], "b") }}'
        '{{ forms.select("tags", "Tags", [("x", "X"), ("y", "Y")], ["x", "y"], multiple=true) }}'
        '{{ forms.checkbox("agree", "Agree", checked=true) }}'
        "{{ forms.error_summary(errors) }}{{ forms.csrf_input() }}",
        errors={"note": "Bad.", "__all__": "Whole form."},
        csrf_token="abc123",
    )
    assert "&lt;b&gt;hi&lt;/b&gt;</textarea>" in html
    assert '<option value="b" selected>B</option>' in html
    assert '<option value="a">A</option>' in html
    assert '<option value="x" selected>X</option>' in html
    assert '<option value="y" selected>Y</option>' in html
    assert 'type="checkbox" value="true" checked' in html
    assert 'role="alert"' in html
    assert '<a href="#field-note">Bad.</a>' in html
    assert "<li>Whole form.</li>" in html
    assert '<input type="hidden" name="csrf_token" value="abc123">' in html

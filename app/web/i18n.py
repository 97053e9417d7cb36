"""The reader's language: gettext for templates and Python, looked up through the language of the request.

Catalogs live as `app/translations/<locale>/LC_MESSAGES/messages.po` and are compiled in memory the first time
a language is asked for, so a fresh checkout, an install and a container all serve them with no build step
and never a stale compiled copy. `make messages` extracts new text and updates the catalogs.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import io
from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from app.translatable import N_

__all__ = ["DEFAULT_LOCALE", "LOCALES", "N_", "current_locale", "gettext", "ngettext"]

DEFAULT_LOCALE = "en"
CHINESE = "zh_Hans"
LOCALES = (DEFAULT_LOCALE, CHINESE)
"""The interface languages, as catalog names."""

TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def language_tag(locale: str) -> str:
    """The BCP 47 tag for <html lang> and Content-Language: zh-Hans, en."""
    return locale.replace("_", "-")


@cache
def translations_for(locale: str) -> stdlib_gettext.NullTranslations:
    """The catalog for LOCALE compiled from its .po file (fuzzy entries left out); English text otherwise."""
    path = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale not in LOCALES or not path.is_file():
        return stdlib_gettext.NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return stdlib_gettext.GNUTranslations(compiled)


def is_catalog_message(message: str) -> bool:
    """Whether MESSAGE is interface text from the catalogs (marked, so naming no data such as a slug)."""
    return bool(message) and translations_for(CHINESE).gettext(message) != message


def gettext(message: str) -> str:
    """MESSAGE in the request's language, without placeholders filled (Jinja2 fills them itself)."""
    if not message:  # gettext("") is the catalog's header, never a message
        return message
    return translations_for(current_locale.get()).gettext(message)


def _(message: str, /, **variables: Any) -> str:
    """MESSAGE in the request's language, with %(name)s placeholders filled from VARIABLES."""
    text = gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, count: int, /, **variables: Any) -> str:
    """The singular or plural form for COUNT in the request's language; %(num)s is COUNT."""
    text = translations_for(current_locale.get()).ngettext(singular, plural, count)
    return text % {"num": count, **variables}


def _babel_locale() -> Locale:
    return Locale.parse(current_locale.get())


def format_number(value: float) -> str:
    """1,234 in English, 1,234 in Chinese too, each by its own locale's rules."""
    return format_decimal(value, locale=_babel_locale())


def format_decimal1(value: float) -> str:
    """An average such as 4.3, with the locale's decimal sign."""
    return format_decimal(value, format="0.0", locale=_babel_locale())


def format_day(value: date | datetime | None) -> str:
    """A calendar date in the reader's style: 'Dec 2, 2026' or '2026年12月2日'."""
    if value is None:
        return ""
    return babel_format_date(value, format="medium", locale=_babel_locale())


def format_moment(value: datetime | None) -> str:
    """A date and time (UTC) in the reader's style."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return babel_format_datetime(value, format="short", tzinfo=UTC, locale=_babel_locale()) + " UTC"


def format_ago(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago VALUE was, in words: '3 days ago', '3天前'."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    delta: timedelta = value - (now or datetime.now(UTC))
    return format_timedelta(delta, add_direction=True, locale=_babel_locale())

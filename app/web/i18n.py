"""The reader's language: gettext for templates and Python, looked up through the language of the request."""

from __future__ import annotations

import gettext as stdlib_gettext
from contextvars import ContextVar
from typing import Any

DEFAULT_LOCALE = "en"

current_locale: ContextVar[str] = ContextVar("current_locale", default=DEFAULT_LOCALE)


def translations_for(locale: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalog for LOCALE; English text stands for itself until catalogs are loaded."""
    return stdlib_gettext.NullTranslations()


def _(message: str, **variables: Any) -> str:
    """MESSAGE in the request's language, with %(name)s placeholders filled from VARIABLES."""
    text = translations_for(current_locale.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, count: int, **variables: Any) -> str:
    """The singular or plural form for COUNT in the request's language; %(num)s is COUNT."""
    text = translations_for(current_locale.get()).ngettext(singular, plural, count)
    return text % {"num": count, **variables}

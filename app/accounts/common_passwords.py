"""The passwords people pick most often, refused at registration and password change.

The list is zxcvbn's `passwords` frequency list (MIT licence): the 30,000 most frequent passwords in Mark
Burnett's corpus of 10 million leaked passwords (Xato, 2015), most frequent first. A package rather than a
copied file, so the data keeps its provenance and licence; it is loaded on first use.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    """Whether PASSWORD, ignoring case and surrounding spaces, is on the list."""
    return password.strip().casefold() in common_passwords()

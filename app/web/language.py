"""Tell Chinese text from the rest, so pages can mark it lang="zh" for fonts and screen readers."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def is_mostly_chinese(text: object) -> bool:
    """True when Han characters at least match Latin words in number.

    '用RLHF微调GPT-3' is Chinese; 'Attention Is All You Need（注意力）' is not.
    """
    if not isinstance(text, str):
        return False
    han = len(_HAN.findall(text))
    return han > 0 and han >= len(_LATIN_WORD.findall(text))

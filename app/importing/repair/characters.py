"""Which characters may fill a hole, and how likely each kind is before the context is read."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Kind(Enum):
    HANZI = "hanzi"  # scored by the Chinese character model
    RADICAL = "radical"  # a Kangxi or supplement radical pasted for an ordinary ideograph: scored as that one
    SYMBOL = "symbol"  # punctuation, letters, emoji: a prior of its own, a word boundary to the model


@dataclass(frozen=True)
class Plausible:
    kind: Kind
    stands_for: str  # what the character model should read: the character itself or its ideograph
    prior: float  # for SYMBOL: its share of symbol tokens; for RADICAL: how rare the radical form is


# Radicals of the supplement block with no compatibility mapping, as Unicode's list of equivalent
# unified ideographs pairs them; only the ones met in simplified Chinese.
_SUPPLEMENT_IDEOGRAPHS = {
    "⺠": "民",
    "⺩": "王",
    "⺨": "犭",
    "⺰": "纟",
    "⻁": "虎",
    "⻂": "衤",
    "⻄": "西",
    "⻅": "见",
    "⻆": "角",
    "⻈": "讠",
    "⻉": "贝",
    "⻋": "车",
    "⻌": "辶",
    "⻏": "阝",
    "⻐": "钅",
    "⻑": "長",
    "⻓": "长",
    "⻔": "门",
    "⻖": "阝",
    "⻗": "雨",
    "⻘": "青",
    "⻙": "韦",
    "⻚": "页",
    "⻛": "风",
    "⻜": "飞",
    "⻝": "食",
    "⻠": "饣",
    "⻢": "马",
    "⻣": "骨",
    "⻤": "鬼",
    "⻥": "鱼",
    "⻦": "鸟",
    "⻧": "卤",
    "⻨": "麦",
    "⻩": "黄",
    "⻪": "黾",
    "⻬": "齐",
    "⻮": "齿",
    "⻰": "龙",
    "⻳": "龟",
}

# Share of each symbol among the non-ideograph tokens of Chinese markdown, set by hand from common usage;
# anything unlisted gets the floor of its block below.
_SYMBOL_PRIORS = {
    "，": 0.25,
    "。": 0.12,
    "、": 0.05,
    "：": 0.04,
    "（": 0.03,
    "）": 0.03,
    "；": 0.01,
    "？": 0.01,
    "！": 0.01,
    "“": 0.02,
    "”": 0.02,
    "‘": 0.003,
    "’": 0.003,
    "《": 0.005,
    "》": 0.005,
    "【": 0.004,
    "】": 0.004,
    "「": 0.002,
    "」": 0.002,
    "『": 0.0005,
    "』": 0.0005,
    "—": 0.005,
    "…": 0.003,
    "·": 0.002,
    "～": 0.001,
    "／": 0.0005,
    "－": 0.0005,
    "％": 0.0005,
    "＋": 0.0003,
    "＝": 0.0002,
    "＞": 0.0002,
    "＜": 0.0002,
    "０": 0.0002,
    "１": 0.0002,
    "２": 0.0002,
    "３": 0.0002,
    "‐": 0.0002,
    "→": 0.0005,
    "✡": 0.0005,
}

_FLOOR_PRIORS = (
    # (first, last, prior) by block; the first block that holds the character decides
    (0x3000, 0x303F, 1e-5),  # CJK symbols and punctuation
    (0xFF00, 0xFFEF, 1e-5),  # full-width forms
    (0x2000, 0x206F, 1e-5),  # general punctuation
    (0x3040, 0x30FF, 1e-5),  # kana
    (0xAC00, 0xD7A3, 1e-6),  # hangul
    (0x00A0, 0x024F, 1e-5),  # Latin letters and signs
    (0x0370, 0x04FF, 1e-6),  # Greek, Cyrillic
    (0x2190, 0x27BF, 1e-6),  # arrows, technical, dingbats
    (0x1F000, 0x1FAFF, 1e-6),  # emoji
)
_DEFAULT_SYMBOL_PRIOR = 1e-7
_RADICAL_RARITY = 0.05
_REJECTED_CATEGORIES = frozenset({"Cc", "Cn", "Co", "Cs", "Zl", "Zp"})


def is_hanzi(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F


@lru_cache(maxsize=65536)
def plausibility(char: str) -> Plausible | None:
    """None for what no text would hold (controls, unassigned, private use); else how to score it."""
    if unicodedata.category(char) in _REJECTED_CATEGORIES:
        return None
    if is_hanzi(char):
        return Plausible(Kind.HANZI, char, 1.0)
    ideograph = _radical_ideograph(char)
    if ideograph is not None:
        return Plausible(Kind.RADICAL, ideograph, _RADICAL_RARITY)
    return Plausible(Kind.SYMBOL, char, symbol_prior(char))


def symbol_prior(char: str) -> float:
    prior = _SYMBOL_PRIORS.get(char)
    if prior is not None:
        return prior
    code = ord(char)
    for first, last, floor in _FLOOR_PRIORS:
        if first <= code <= last:
            return floor
    return _DEFAULT_SYMBOL_PRIOR


def _radical_ideograph(char: str) -> str | None:
    code = ord(char)
    if 0x2F00 <= code <= 0x2FDF:
        folded = unicodedata.normalize("NFKC", char)
        return folded if folded != char and is_hanzi(folded) else None
    if 0x2E80 <= code <= 0x2EFF:
        return _SUPPLEMENT_IDEOGRAPHS.get(char)
    return None

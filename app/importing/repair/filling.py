"""Choosing the character for each hole: best segmentation of the text into words and symbols, with
max-marginals telling how sure each choice is."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from app.importing.repair.characters import Kind, plausibility
from app.importing.repair.language_model import RepairModel, running_key

# A hole is filled confidently when its best character beats every rival by this factor.
CONFIDENCE_RATIO = 20.0
_CONFIDENCE_MARGIN = math.log(CONFIDENCE_RATIO)
# Share of tokens that are symbols (punctuation, Latin, digits) rather than words in Chinese notes.
SYMBOL_SHARE = 0.15
_LOG_SYMBOL_SHARE = math.log(SYMBOL_SHARE)
_LOG_WORD_SHARE = math.log(1 - SYMBOL_SHARE)
# Two lost bytes can leave up to 64 spellings per hole; a word spanning several holes keeps the likeliest few.
_MAX_SPELLINGS = 256
# Candidates of a hole weighed in context, at most; the rest, rarer on their own, follow them in the ranking.
SHORTLIST = 12
# A candidate this much rarer than the commonest one of its hole is not weighed at all, unless it spells a
# word with its neighbours, starting at most this many characters before it.
RESCUE_REACH = 3
NEGLIGIBLE_SHARE = 1e-4


@dataclass(frozen=True)
class Choice:
    chosen: str
    ranked: tuple[str, ...]  # every candidate, best first
    confident: bool


@dataclass(frozen=True)
class _Reading:
    text: str  # what the word list reads: the ideograph, for a radical
    in_words: bool  # may be part of a word
    log_weight: float  # symbol share and prior for symbols; rarity of the radical form for radicals


@lru_cache(maxsize=65536)
def reading_of(char: str) -> _Reading:
    plausible = plausibility(char)
    if plausible is None:
        return _Reading(char, in_words=False, log_weight=_LOG_SYMBOL_SHARE + math.log(1e-7))
    if plausible.kind is Kind.SYMBOL:
        return _Reading(char, in_words=False, log_weight=_LOG_SYMBOL_SHARE + math.log(plausible.prior))
    return _Reading(plausible.stands_for, in_words=True, log_weight=math.log(plausible.prior))


def is_word_char(char: str) -> bool:
    return reading_of(char).in_words


_State = tuple[str | None, str | None]  # a character at a token's edge and the token's word class


class _Token(NamedTuple):
    start: int
    end: int
    chars: tuple[str, ...]
    log_probability: float
    entry: _State  # what the token before sees of this one: its first character and its class
    state: _State  # what the token after sees: its last character and its class


def _token(start: int, chars: tuple[str, ...], log_probability: float, word_class: str | None) -> _Token:
    return _Token(
        start, start + len(chars), chars, log_probability, (chars[0], word_class), (chars[-1], word_class)
    )


@lru_cache(maxsize=1 << 17)
def _link(model: RepairModel, previous: _State, following: _State) -> float:
    """How well a token follows what stands before it, in running text: characters and word classes."""
    characters = model.association(_key(previous[0]), _key(following[0]))
    return characters + model.class_association(previous[1], following[1])


@lru_cache(maxsize=1 << 16)
def _key(char: str | None) -> str:
    return running_key(None if char is None else reading_of(char).text)


def choose_segment(
    model: RepairModel,
    before: str | None,
    slots: Sequence[Sequence[str]],
    after: str | None,
    bonuses: Sequence[Mapping[str, float]] | None = None,
) -> list[Choice]:
    """Best character for every slot (one candidate for a known character, several for a hole) of a stretch
    of text between two symbols or ASCII runs (None: the line's edge). `bonuses` add, per slot, log-weights
    to candidates for what the wider line says of them."""
    shortlists = rescue_word_characters(model, slots, [shortlist(model, slot) for slot in slots])
    slots = [candidates for candidates, _ in shortlists]
    tokens = _tokens(model, slots)
    if bonuses is not None:
        tokens = [_with_bonus(token, bonuses) for token in tokens]
    count = len(slots)
    start: _State = (before, _outside_class(model, before))
    end: _State = (after, _outside_class(model, after))
    # what can stand just before each slot: the states of the search
    states: list[set[_State]] = [set() for _ in range(count + 1)]
    states[0].add(start)
    for token in tokens:
        states[token.end].add(token.state)
    # every way into a token: (state before it, link to it plus its own weight)
    arcs = [
        [(last, _link(model, last, token.entry) + token.log_probability) for last in states[token.start]]
        for token in tokens
    ]
    forward = [dict.fromkeys(states[index], -math.inf) for index in range(count + 1)]
    forward[0][start] = 0.0
    reached = []  # the best score with which each token is entered, plus its own weight
    for token, ways in zip(tokens, arcs, strict=True):  # tokens come ordered by start
        scores = forward[token.start]
        best_in = max(scores[last] + weight for last, weight in ways)
        reached.append(best_in)
        forward[token.end][token.state] = max(forward[token.end][token.state], best_in)
    backward = [dict.fromkeys(states[index], -math.inf) for index in range(count + 1)]
    backward[count] = {last: _link(model, last, end) for last in states[count]}
    for token, ways in zip(reversed(tokens), reversed(arcs), strict=True):
        tail = backward[token.end][token.state]
        leaving = backward[token.start]
        for last, weight in ways:
            leaving[last] = max(leaving[last], weight + tail)
    best: list[dict[str, float]] = [{} for _ in slots]
    for token, best_in in zip(tokens, reached, strict=True):
        total = best_in + backward[token.end][token.state]
        for offset, char in enumerate(token.chars):
            marginals = best[token.start + offset]
            if total > marginals.get(char, -math.inf):
                marginals[char] = total
    return [
        _choice(slot, best[index], rest)
        for index, (slot, (_, rest)) in enumerate(zip(slots, shortlists, strict=True))
    ]


def _with_bonus(token: _Token, bonuses: Sequence[Mapping[str, float]]) -> _Token:
    extra = sum(bonuses[token.start + offset].get(char, 0.0) for offset, char in enumerate(token.chars))
    return token._replace(log_probability=token.log_probability + extra) if extra else token


def _outside_class(model: RepairModel, char: str | None) -> str | None:
    """The class of what stands just outside the stretch (None: the line's edge); unknown (None) for an
    ideograph, whose word reaches beyond what is read."""
    if char is not None and is_word_char(char):
        return None
    return model.symbol_class(None if char is None else unicodedata.normalize("NFKC", char))


def shortlist(model: RepairModel, candidates: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The candidates worth weighing in context (the SHORTLIST commonest on their own, none of them
    negligible), and the others, commonest first."""
    if len(candidates) == 1:
        return tuple(candidates), ()
    ordered = sorted(candidates, key=lambda char: (-_share(model, char), char))
    floor = _share(model, ordered[0]) * NEGLIGIBLE_SHARE
    kept = [char for char in ordered[:SHORTLIST] if _share(model, char) >= floor]
    return tuple(kept), tuple(ordered[len(kept) :])


def rescue_word_characters(
    model: RepairModel,
    slots: Sequence[Sequence[str]],
    shortlists: list[tuple[tuple[str, ...], tuple[str, ...]]],
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Shortlists with every left-out candidate put back that spells a dictionary word with the candidates
    around it: a character rare on its own may be the only one that makes a word (吞 in 吞吐量)."""
    rescued = list(shortlists)
    for index, (kept, rest) in enumerate(shortlists):
        if not rest:
            continue
        view = [*slots[:index], rest, *slots[index + 1 :]]
        found: set[str] = set()
        for start in range(max(0, index - RESCUE_REACH), index + 1):
            for token in _word_tokens(model, start, view):
                if token.end > index:
                    found.add(token.chars[index - start])
        if found:
            rescued[index] = (
                kept + tuple(char for char in rest if char in found),
                tuple(char for char in rest if char not in found),
            )
    return rescued


@lru_cache(maxsize=1 << 16)
def _share(model: RepairModel, char: str) -> float:
    reading = reading_of(char)
    if reading.in_words:
        return model.char_share(reading.text) * math.exp(reading.log_weight)
    return math.exp(reading.log_weight)


def _choice(candidates: Sequence[str], marginals: dict[str, float], rest: tuple[str, ...]) -> Choice:
    ranked = sorted(candidates, key=lambda char: (-marginals.get(char, -math.inf), char)) + list(rest)
    if len(ranked) == 1:
        return Choice(ranked[0], tuple(ranked), confident=True)
    margin = marginals.get(ranked[0], -math.inf) - marginals.get(ranked[1], -math.inf)
    return Choice(ranked[0], tuple(ranked), confident=margin >= _CONFIDENCE_MARGIN)


def _tokens(model: RepairModel, slots: Sequence[Sequence[str]]) -> list[_Token]:
    """Every symbol, single character and dictionary word the slots can spell, ordered by start."""
    tokens: list[_Token] = []
    for start, candidates in enumerate(slots):
        tokens.extend(_single_tokens(model, start, candidates))
        tokens.extend(_word_tokens(model, start, slots))
    return tokens


def _single_tokens(model: RepairModel, start: int, candidates: Sequence[str]) -> Iterator[_Token]:
    for char in candidates:
        log_probability, word_class = _single_weight(model, char)
        yield _token(start, (char,), log_probability, word_class)


@lru_cache(maxsize=1 << 16)
def _single_weight(model: RepairModel, char: str) -> tuple[float, str | None]:
    """Log-probability and class of a character standing alone as a token."""
    reading = reading_of(char)
    if not reading.in_words:
        return reading.log_weight, model.symbol_class(char)
    log_probability = reading.log_weight + _LOG_WORD_SHARE + model.single_log_probability(reading.text)
    return log_probability, model.word_class(reading.text)


def _word_tokens(model: RepairModel, start: int, slots: Sequence[Sequence[str]]) -> Iterator[_Token]:
    """Words of two characters or more from `start` on, one per spelling the candidates allow."""
    spellings: list[tuple[tuple[str, ...], str, float]] = [((), "", 0.0)]
    for end in range(start, min(len(slots), start + model.longest_word)):
        extended = [
            ((*chars, char), text + reading.text, weight + reading.log_weight)
            for chars, text, weight in spellings
            for char in slots[end]
            if (reading := reading_of(char)).in_words
        ]
        if end > start:
            for chars, text, weight in extended:
                log_probability = model.word_log_probability(text)
                if log_probability is not None:
                    word_class = model.word_class(text)
                    yield _token(start, chars, _LOG_WORD_SHARE + log_probability + weight, word_class)
        spellings = [spelling for spelling in extended if model.may_extend(spelling[1])]
        if not spellings:
            return
        if len(spellings) > _MAX_SPELLINGS:
            spellings.sort(key=lambda spelling: -spelling[2])
            del spellings[_MAX_SPELLINGS:]

"""Merging the entries of one paper: a lone entry merges as the general rules would merge it."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.importing.merging import EntryView, merge_entries

_TEXT = st.one_of(st.none(), st.sampled_from(["", "arXiv", "NeurIPS", "ICLR 2024", "大语言模型", "x"]))
_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "short_name": _TEXT,
        "url": _TEXT,
        "pdf_url": _TEXT,
        "code_url": _TEXT,
        "arxiv_id": _TEXT,
        "doi": _TEXT,
        "year": st.one_of(st.none(), st.integers(1990, 2030)),
        "published": _TEXT,
        "venue": _TEXT,
        "authors": st.lists(st.sampled_from(["Ada", "Bo", "赵鑫"]), max_size=3),
    },
)


@settings(max_examples=200, deadline=None)
@given(
    title=st.sampled_from(["Attention Is All You Need", "ATTENTION", "attention", "注意力", "LoRA: x"]),
    note=_TEXT,
    stars=st.one_of(st.none(), st.integers(0, 5)),
    fields=_FIELDS,
)
def test_one_entry_merges_as_the_general_rules_merge_it(
    title: str, note: str | None, stars: int | None, fields: dict[str, Any]
) -> None:
    view = EntryView(title, note, stars, fields)
    # Two copies of one entry go through the general rules and must agree with the lone entry.
    assert merge_entries([view]) == merge_entries([view, view])

"""Notes as plain text for snippets, exports and the search index: markup gone, every word kept."""

from __future__ import annotations

import pytest

from app.note_text import note_plain_text


@pytest.mark.parametrize(
    ("note", "text"),
    [
        ("**InstructGPT原始论文**", "InstructGPT原始论文"),
        ("[简要解读之一](https://zhuanlan.zhihu.com/p/1)，另见 __粗体__", "简要解读之一，另见 粗体"),
        (
            "代码 https://github.com/openai/lm-human-preferences相关论文",
            "代码 https://github.com/openai/lm-human-preferences 相关论文",
        ),
        ("*italic* `code` ~~gone~~ snake_case_name", "italic code gone snake_case_name"),
        ("![logo](https://x.org/l.png) <b>bold</b><br>next", "logo bold\nnext"),
        (
            "(Knox 2008)[Deep TAMER](https://a.org/t)[WebGPT](https://b.org/w)",
            "(Knox 2008) Deep TAMER WebGPT",
        ),
        ("## Heading\n> quoted &amp; done", "Heading\nquoted & done"),
        (None, ""),
    ],
)
def test_plain_text_of_a_note(note: str | None, text: str) -> None:
    assert note_plain_text(note) == text

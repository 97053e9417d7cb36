"""Example bodies shown in the OpenAPI document (each one validates against its schema in the tests)."""

from __future__ import annotations

from typing import Any

SUMMARY_EXAMPLE: dict[str, Any] = {
    "id": 1,
    "slug": "attention-is-all-you-need",
    "title": "Attention Is All You Need",
    "short_name": "Transformer",
    "authors": ["Ashish Vaswani", "Noam Shazeer"],
    "year": 2017,
    "published": "2017-06",
    "venue": "NeurIPS",
    "arxiv_id": "1706.03762",
    "doi": None,
    "url": "https://arxiv.org/abs/1706.03762",
    "pdf_url": None,
    "code_url": "https://github.com/tensorflow/tensor2tensor",
    "importance": 5,
    "rating_avg": 4.5,
    "rating_count": 2,
    "categories": [{"slug": "architectures", "name_en": "Architectures", "name_zh": "架构"}],
    "tags": [{"slug": "transformer", "name": "transformer"}],
    "created_at": "2026-01-01T00:00:00Z",
    "snippets": None,
}
SNIPPET_EXAMPLE: dict[str, Any] = {
    "field": "note",
    "snippet": "低秩适配，参数高效微调的代表方法",
    "snippet_html": "低秩适配，参数高效<mark>微调</mark>的代表方法",
    "marks": [[9, 11]],
}

PAGE_EXAMPLE: dict[str, Any] = {
    "items": [{**SUMMARY_EXAMPLE, "snippets": [SNIPPET_EXAMPLE]}],
    "next_cursor": "eyJzIjoicmVsZXZhbmNlIiwiZiI6IjEyMyIsInYiOi0zLjIsImkiOjEsIm4iOmZhbHNlfQ",
    "total": 42,
    "total_is_approximate": False,
    "sort": "relevance",
}

FACETS_EXAMPLE: dict[str, Any] = {
    "categories": [
        {
            "value": "agents",
            "label": "Agents",
            "name_zh": "智能体",
            "count": 3,
            "total": 5,
            "selected": False,
            "toggle_query": "q=planning&category=agents",
            "children": [],
        }
    ],
    "tags": [
        {
            "value": "rlhf",
            "label": "RLHF",
            "count": 4,
            "selected": True,
            "toggle_query": "q=planning",
        }
    ],
    "years": [
        {
            "value": "2023",
            "label": "2023",
            "count": 2,
            "selected": False,
            "toggle_query": "q=planning&tag=rlhf&year_from=2023&year_to=2023",
        }
    ],
    "venues": [],
    "sources": [],
    "matched": 5,
    "matched_is_approximate": False,
    "is_approximate": False,
}

DETAIL_EXAMPLE: dict[str, Any] = {
    **SUMMARY_EXAMPLE,
    "summary": "提出 Transformer 架构，完全基于注意力机制。",
    "is_curated": False,
    "updated_at": "2026-01-02T00:00:00Z",
    "links": [{"kind": "arxiv", "url": "https://arxiv.org/abs/1706.03762"}],
    "provenance": [
        {
            "source": "awesome-llm",
            "source_title": "Awesome LLM",
            "section_path": ["Milestone Papers"],
            "position": 0,
            "line": 12,
            "list_number": None,
            "title": "Attention Is All You Need",
            "note": "经典",
            "stars": 5,
            "is_present": True,
        }
    ],
    "rating": {
        "paper_id": 1,
        "average": 4.5,
        "count": 2,
        "distribution": [{"score": n, "count": int(n >= 4)} for n in range(1, 6)],
    },
    "related": [
        {
            "id": 7,
            "slug": "bert",
            "title": "BERT: Pre-training of Deep Bidirectional Transformers",
            "year": 2018,
            "score": 3.2,
            "reasons": ["tag: transformer"],
        }
    ],
}

"""Search with varied queries, computed from the database (no answer cache): the time of each kind of query.

    python -m bench.search_timing --database-url sqlite:///bench/data/papers-100k.db

Every query is a different one (English words and phrases of the synthetic titles, Chinese words of its notes,
glossary terms, misspellings), so no index page or plan stays hot for one repeated word.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy.orm import Session

from app.browse.queries import list_papers
from app.catalog.schemas import PaperListParams
from app.config import Settings
from app.db import make_engine
from app.search import service as search

QUERIES: dict[str, list[str]] = {
    "english word": [
        "robust",
        "sparse",
        "hierarchical",
        "contrastive",
        "federated",
        "quantized",
        "verifier",
        "retriever",
        "planner",
        "curriculum",
        "calibration",
        "watermarking",
        "theorem",
        "navigation",
        "merging",
        "estimator",
    ],
    "english phrase": [
        "question answering",
        "code generation",
        "machine translation",
        "mathematical reasoning",
        "speculative decoding",
        "knowledge distillation",
        "sparse attention",
        "model editing",
        "tool use",
        "program synthesis",
        "protein design",
        "fact verification",
    ],
    "chinese": [
        "微调",
        "对齐",
        "推理",
        "量化",
        "蒸馏",
        "检索",
        "评测",
        "数据集",
        "多语言",
        "智能体",
        "幻觉",
        "长文本",
    ],
    "glossary term": ["思维链", "RLHF", "LoRA", "上下文学习", "混合专家", "chain of thought", "RAG", "PEFT"],
    "misspelt": ["halucination", "distilation", "recomendation", "robotcs", "calibraton", "watermakring"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=3, help="passes over the queries (the first warms up)")
    args = parser.parse_args()
    engine = make_engine(Settings(database_url=args.database_url, environment="development"))
    search.install()
    timings: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    with Session(engine) as session:
        for round_number in range(args.rounds):
            for kind, queries in QUERIES.items():
                for query in queries:
                    started = time.perf_counter()
                    list_papers(session, PaperListParams(q=query, limit=20))
                    elapsed = (time.perf_counter() - started) * 1000
                    if round_number:
                        timings[kind].append(elapsed)
                    session.rollback()
    print(f"{'kind':<16} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'max ms':>8}")
    every = [value for kind_values in timings.values() for value in kind_values]
    for kind, values in [*timings.items(), ("all", every)]:
        p90 = statistics.quantiles(values, n=10)[-1]
        median = statistics.median(values)
        print(f"{kind:<16} {len(values):>7} {median:>10.1f} {p90:>8.1f} {max(values):>8.1f}")
    engine.dispose()


if __name__ == "__main__":
    main()

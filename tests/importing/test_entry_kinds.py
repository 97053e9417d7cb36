"""Papers told apart from the rest of a list: the evidence, the counts on lists shaped like real ones, the
resources kept beside the list (never in the catalogue) and an editor's choice that survives re-imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.catalog.models import Paper
from app.config import PROJECT_ROOT
from app.errors import Forbidden, NotFound
from app.importing.classification import ImportRules, load_import_rules
from app.importing.entry_kinds import link_evidence
from app.importing.models import ListResource, SourceEntry
from app.importing.schemas import ImportReport, KindChoice
from app.importing.service import ListToImport, choose_entry_kind, import_list
from app.importing.sources import source_outline
from tests.factories import make_token, make_user

KINDS = Path(__file__).parent / "fixtures" / "kinds"
LIMIT = 1024 * 1024


@pytest.fixture(scope="module")
def rules() -> ImportRules:
    return load_import_rules(PROJECT_ROOT / "seeds")


def run(db: Session, rules: ImportRules, content: bytes, name: str) -> ImportReport:
    return import_list(db, ListToImport(name=name, content=content), rules=rules, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://arxiv.org/abs/2305.11206", "paper"),
        ("https://aclanthology.org/N19-1423.pdf", "paper"),
        ("https://openreview.net/forum?id=abc", "paper"),
        ("https://doi.org/10.1145/3442188.3445922", "paper"),
        ("https://www.cs.ubc.ca/~someone/papers/radford2018improving.pdf", "paper"),
        ("https://huggingface.co/papers/2305.11206", "paper"),
        ("https://github.com/vllm-project/vllm", "software"),
        ("https://github.com/Hannibal046/Awesome-LLM", "list"),
        ("https://huggingface.co/collections/Qwen/qwen-65c0e50c3f1ab89cb8704144", "model"),
        ("https://huggingface.co/datasets/EleutherAI/pile", "dataset"),
        ("https://huggingface.co/spaces/open-llm-leaderboard/open_llm_leaderboard", "leaderboard"),
        ("https://www.youtube.com/@AndrejKarpathy", "course"),
        ("https://www.coursera.org/learn/generative-ai", "course"),
        ("https://www.manning.com/books/build-a-large-language-model-from-scratch", "book"),
        ("https://lilianweng.github.io/posts/2023-06-23-agent/", "article"),
        ("https://zhuanlan.zhihu.com/p/338817680", "article"),
        ("https://www.cursor.com", "software"),
    ],
)
def test_a_link_says_what_it_points_at(url: str, kind: str) -> None:
    evidence = link_evidence(url)
    assert evidence is not None
    assert evidence.kind == kind


def test_a_list_shaped_like_awesome_llm_keeps_its_papers_and_the_rest_as_resources(
    db: Session, rules: ImportRules
) -> None:
    report = run(db, rules, (KINDS / "awesome_llm_like.md").read_bytes(), "awesome-llm-like")
    # The eleven milestone papers and LIMA; everything else is kept, but not as a paper.
    assert report.papers_created == 12
    assert report.resources == {
        "software": 11,
        "model": 4,
        "dataset": 1,
        "course": 3,
        "leaderboard": 3,
        "article": 3,
        "book": 2,
        "list": 3,
        "other": 1,
    }
    assert report.resources_total == report.entries - report.papers
    titles = set(db.scalars(select(Paper.title)))
    assert "LIMA: Less Is More for Alignment" in titles
    assert titles.isdisjoint({"TinyZero", "Axolotl", "Cursor", "Qwen-1.8B|7B|14B|72B", "Phi1-1.3B"})
    assert {(item.line, item.kind) for item in report.uncertain} == {
        (38, "list"),
        (86, "article"),
        (93, "other"),
    }
    assert all(item.evidence for item in report.uncertain)
    again = run(db, rules, (KINDS / "awesome_llm_like.md").read_bytes(), "awesome-llm-like")
    assert (again.status, again.entries, again.resources_total) == ("unchanged", 43, 31)


def test_chinese_headings_and_a_table_of_models(db: Session, rules: ImportRules) -> None:
    report = run(db, rules, (KINDS / "chinese_mixed.md").read_bytes(), "chinese-mixed")
    assert report.papers_created == 4
    assert report.resources == {
        "software": 2,
        "model": 3,
        "dataset": 2,
        "course": 2,
        "leaderboard": 2,
        "article": 2,
        "book": 2,
        "list": 1,
    }
    assert [item.line for item in report.uncertain] == [45]
    outline = source_outline(db, "chinese-mixed")
    models = next(section for section in outline.sections if section.path == ["开源模型"])
    assert (models.entries, [r.title for r in models.resources]) == (
        [],
        ["ChatGLM3-6B", "Qwen-7B", "Baichuan2-13B"],
    )
    assert outline.resource_counts["model"] == 3


def test_paper_titles_linked_to_their_code_stay_papers_and_named_repositories_are_software(
    db: Session, rules: ImportRules
) -> None:
    report = run(db, rules, (KINDS / "code_linked_papers.md").read_bytes(), "instruction-tuning")
    assert (report.papers_created, report.resources) == (6, {"software": 3, "dataset": 2})
    assert [item.line for item in report.uncertain] == [7, 8]
    assert "Self-Instruct: Aligning Language Models with Self-Generated Instructions" in set(
        db.scalars(select(Paper.title))
    )


def test_an_editors_choice_turns_a_resource_into_a_paper_and_back_and_survives_reimports(
    db: Session, rules: ImportRules
) -> None:
    markdown = "# Tools\n\n## Frameworks\n- [DeepSpeed](https://github.com/microsoft/DeepSpeed) - training\n"
    markdown += "- [Axolotl](https://github.com/axolotl-ai-cloud/axolotl) - fine-tuning\n"
    assert run(db, rules, markdown.encode(), "tools").resources == {"software": 2}
    editor = make_user(db, role=Role.EDITOR)
    key = db.scalars(select(ListResource.entry_key).where(ListResource.title == "DeepSpeed")).one()

    def choose(kind: str, user: User = editor) -> ImportReport:
        choice = KindChoice.model_validate({"entry_key": key, "kind": kind})
        return choose_entry_kind(db, "tools", choice, user=user, rules=rules, max_bytes=LIMIT)

    with pytest.raises(Forbidden):
        choose("paper", make_user(db, role=Role.MEMBER))
    assert choose("paper").papers_created == 1
    assert db.scalars(select(Paper.title)).all() == ["DeepSpeed"]
    newer = markdown + "- [TRL](https://github.com/huggingface/trl) - RLHF\n"
    again = run(db, rules, newer.encode(), "tools")
    assert (again.papers, again.resources) == (1, {"software": 2})
    assert choose("book").papers_removed == 1
    assert db.scalar(select(func.count(Paper.id))) == 0
    assert db.scalar(select(ListResource.kind).where(ListResource.entry_key == key)) == "book"
    assert db.scalar(select(func.count(SourceEntry.id)).where(SourceEntry.is_present)) == 0
    with pytest.raises(NotFound):
        choose_entry_kind(
            db,
            "tools",
            KindChoice(entry_key="title:nothing", kind="paper"),
            user=editor,
            rules=rules,
            max_bytes=LIMIT,
        )


def test_the_api_shows_resources_and_takes_an_editors_choice(client: TestClient, db: Session) -> None:
    admin = {"Authorization": f"Bearer {make_token(db, make_user(db, role=Role.ADMIN))}"}
    markdown = "# L\n\n## Papers\n- [LIMA: Less Is More for Alignment](https://arxiv.org/abs/2305.11206)\n"
    markdown += "\n## Courses\n- [Stanford CS324 - Large Language Models](https://stanford-cs324.github.io/winter2022/)\n"
    created = client.post("/api/v1/imports", headers=admin, data={"name": "mini", "markdown": markdown})
    assert created.status_code == 201, created.text
    assert (created.json()["papers"], created.json()["resources"]) == (1, {"course": 1})
    outline = client.get("/api/v1/sources/mini").json()
    assert outline["resource_counts"] == {"course": 1}
    course = outline["sections"][1]["resources"][0]
    assert (course["kind"], course["title"]) == ("course", "Stanford CS324 - Large Language Models")
    member = {"Authorization": f"Bearer {make_token(db, make_user(db, role=Role.MEMBER))}"}
    body = {"entry_key": course["entry_key"], "kind": "paper"}
    assert client.post("/api/v1/sources/mini/kinds", headers=member, json=body).status_code == 403
    bad = client.post("/api/v1/sources/mini/kinds", headers=admin, json={**body, "kind": "poem"})
    assert bad.status_code == 422
    missing = client.post("/api/v1/sources/mini/kinds", headers=admin, json={**body, "entry_key": "title:x"})
    assert missing.status_code == 404
    chosen = client.post("/api/v1/sources/mini/kinds", headers=admin, json=body)
    assert chosen.status_code == 200, chosen.text
    assert (chosen.json()["papers"], chosen.json()["resources"]) == (2, {})
    page = client.get("/sources/mini")
    assert page.status_code == 200
    assert "Stanford CS324" in page.text, page.text[page.text.find("<main") :][:3000]


def test_an_editor_can_set_apart_one_entry_of_a_paper_listed_twice(db: Session, rules: ImportRules) -> None:
    markdown = "# L\n\n## Papers\n- [Efficient Memory Management for LLM Serving with PagedAttention](https://arxiv.org/abs/2309.06180)\n"
    markdown += "\n## Serving\n- [vLLM](https://arxiv.org/abs/2309.06180) - the engine, filed by its paper\n"
    first = run(db, rules, markdown.encode(), "serving")
    assert (first.papers, first.merged_within_list, first.resources) == (1, 1, {})
    editor = make_user(db, role=Role.EDITOR)
    choice = KindChoice.model_validate({"entry_key": "arxiv:2309.06180#2", "kind": "software"})
    report = choose_entry_kind(db, "serving", choice, user=editor, rules=rules, max_bytes=LIMIT)
    assert (report.papers, report.resources) == (1, {"software": 1})
    assert db.scalar(select(ListResource.title)) == "vLLM"
    entries = db.scalars(select(SourceEntry.title).where(SourceEntry.is_present)).all()
    assert entries == ["Efficient Memory Management for LLM Serving with PagedAttention"]

"""A list's page shows its resources apart from its papers; editors turn one into the other there."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.catalog.models import Paper
from app.config import PROJECT_ROOT
from app.importing.classification import load_import_rules
from app.importing.models import ListResource
from app.importing.service import ListToImport, import_list
from tests.factories import make_user
from tests.pages.conftest import sign_in

LIST = """# Awesome mini

## Papers
- [LIMA: Less Is More for Alignment](https://arxiv.org/abs/2305.11206) - 少即是多

## LLM Training Frameworks
- [Axolotl](https://github.com/axolotl-ai-cloud/axolotl) - A tool to fine-tune models.
"""


def test_resources_show_on_the_list_page_and_an_editor_makes_one_a_paper(
    client: TestClient, db: Session
) -> None:
    rules = load_import_rules(PROJECT_ROOT / "seeds")
    import_list(db, ListToImport(name="mini", content=LIST.encode()), rules=rules, max_bytes=1 << 20)
    db.commit()
    anonymous = client.get("/sources/mini")
    assert "Axolotl" in anonymous.text
    assert 'class="badge kind-software"' in anonymous.text
    assert "This is a paper" not in anonymous.text  # only editors choose
    editor = sign_in(client, db, make_user(db, role=Role.EDITOR))
    page = editor.get("/sources/mini")
    assert "This is a paper" in page.text
    key = db.scalars(select(ListResource.entry_key)).one()
    answer = editor.post("/sources/mini/kinds", {"entry_key": key, "kind": "paper"})
    assert answer.status_code == 303
    assert "Axolotl" in set(db.scalars(select(Paper.title)))
    refused = editor.post("/sources/mini/kinds", {"entry_key": key, "kind": "poem"})
    assert refused.status_code == 422

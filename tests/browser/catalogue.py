"""The live server's catalogue: the real seed lists through the importer, then readers and a few ratings."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role, User
from app.catalog.models import Paper
from app.config import Settings
from app.importing.seeding import seed_lists
from tests.factories import make_paper, make_rating, make_token, make_user

PASSWORD = "correct-horse-battery"
READERS = {
    "curator": Role.EDITOR,
    "lin": Role.MEMBER,
    "mei": Role.MEMBER,
    "omar": Role.MEMBER,
    "ada": Role.MEMBER,
}
# Ada has added a paper of her own and rated it, so her account page lists both (long titles, dates).
OWN_PAPER_TITLE = "A Field Guide to Reproducible Benchmark Reporting Practices for Evaluating Assistants"
# Scores by lin, mei and omar in that order, so that "top rated" and the rating chart have something to show.
RATINGS = {
    "attention-is-all-you-need": (5, 5, 4),
    "language-models-are-few-shot-learners": (5, 4),
    "lora-low-rank-adaptation-of-large-language-models": (4,),
    "chain-of-thought-prompting-elicits-reasoning-in-large-language-models": (5, 4, 3),
    "training-language-models-to-follow-instructions-with-human-feedback": (4, 2),
}


@dataclass
class SeededCatalogue:
    users: dict[str, User] = field(default_factory=dict)
    papers: int = 0


def fill_catalogue(session: Session, settings: Settings) -> SeededCatalogue:
    """Import every seed list as `papers seed` does, add the readers and their ratings; the caller commits."""
    reports = seed_lists(session, settings.seeds_dir, max_bytes=settings.max_import_bytes)
    catalogue = SeededCatalogue(papers=sum(report.papers_created for report in reports))
    for name, role in READERS.items():
        catalogue.users[name] = make_user(session, name, role=role, password=PASSWORD)
    raters = [catalogue.users[name] for name in ("lin", "mei", "omar")]
    for slug, scores in RATINGS.items():
        paper = session.scalars(select(Paper).where(Paper.slug == slug)).one()
        for user, score in zip(raters, scores, strict=False):
            make_rating(session, paper, user, score=score)
    ada = catalogue.users["ada"]
    own = make_paper(session, title=OWN_PAPER_TITLE, year=2026, added_by=ada)
    make_token(session, ada, name="import script on my laptop")
    make_rating(
        session, own, ada, score=3
    ).comment = "Useful checklists; the appendix on seeds is the best part."
    return catalogue

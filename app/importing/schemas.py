"""What an import reports, and what the API takes and gives for lists and their entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.importing.provenance import NoteSegment, note_segments

SOURCE_NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"


class ProvenanceEntry(BaseModel):
    """Where a list mentions the paper, as its curator wrote it."""

    source: str = Field(description="The list's name")
    source_title: str
    section_path: list[str]
    position: int
    line: int
    list_number: str | None
    title: str
    note: str | None
    stars: int | None
    is_present: bool = Field(description="False when the newest version of the list dropped the entry")
    # For the paper page only: the text before repair, and the characters a guess filled.
    raw_original: str | None = Field(default=None, exclude=True)
    uncertain_chars: list[dict[str, Any]] = Field(default_factory=list, exclude=True)

    @property
    def is_repaired(self) -> bool:
        return self.raw_original is not None

    @property
    def note_segments(self) -> list[NoteSegment]:
        return note_segments(self.note or "", self.uncertain_chars)


class WarningItem(BaseModel):
    line: int
    code: str
    message: str


class RepairSummary(BaseModel):
    codepage: str = Field(description="The code page the text had been garbled with.")
    lines_repaired: int
    restored: int = Field(description="Characters whose bytes all survived, restored exactly.")
    filled: int = Field(description="Characters that had lost bytes, filled with confidence.")
    uncertain: int = Field(description="Characters filled with the best guess but marked uncertain.")


class DisappearedEntry(BaseModel):
    title: str
    section: list[str]
    paper_id: int | None
    paper_kept: bool = Field(description="False when the paper had nothing else and was removed.")


class UncertainEntry(BaseModel):
    """An entry whose kind (paper or which resource) rests on weak evidence: worth a person's look."""

    line: int
    title: str
    kind: str = Field(description="What the importer decided: paper, or the kind of resource.")
    section: list[str]
    evidence: list[str] = Field(description="Each reason that counted, with its weight.")


class ImportReport(BaseModel):
    source: str
    title: str
    status: Literal["created", "updated", "unchanged"]
    formats: list[str] = []
    entries: int = Field(description="Entries read from the list.")
    papers: int = Field(description="Distinct papers those entries describe.")
    papers_created: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    papers_removed: int = 0
    merged_within_list: int = Field(0, description="Entries that repeat a paper already listed above them.")
    matched_other_lists: int = Field(
        0, description="Papers that were already in the catalogue from another list."
    )
    entries_new: int = 0
    entries_updated: int = 0
    entries_unchanged: int = 0
    entries_disappeared: list[DisappearedEntry] = []
    resources: dict[str, int] = Field(
        default_factory=dict,
        description="Entries kept as the list's resources, not papers, by kind (software, model, ...).",
    )
    resources_total: int = 0
    resources_new: int = 0
    resources_removed: int = 0
    uncertain: list[UncertainEntry] = Field(
        default_factory=list,
        description="Entries decided paper or resource on weak evidence, with their lines.",
    )
    warnings: list[WarningItem] = []
    repair: RepairSummary | None = None
    duration_ms: float = 0.0
    run_id: int | None = Field(
        None, description="The stored report's number, when the import wrote anything."
    )


class ImportText(BaseModel):
    """A list sent as JSON: its markdown and the name it is kept under."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=SOURCE_NAME_PATTERN, examples=["awesome-llm-agents"])
    markdown: str = Field(min_length=1, max_length=5 * 1024 * 1024)
    title: str | None = Field(None, max_length=300)
    origin: str | None = Field(None, max_length=2000, examples=["https://github.com/owner/awesome-list"])
    language: str | None = Field(None, max_length=16, examples=["zh", "en"])


class ImportForm(BaseModel):
    """The upload page's fields; the list itself comes as a file or pasted markdown."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(pattern=SOURCE_NAME_PATTERN, max_length=80)
    title: str | None = Field(None, max_length=300)
    origin: str | None = Field(None, max_length=2000)
    language: str | None = Field(None, max_length=16)
    markdown: str | None = Field(None, max_length=5 * 1024 * 1024)


class SourceRead(BaseModel):
    name: str
    title: str
    origin: str | None
    language: str | None
    format: str
    entry_count: int
    repaired_from: str | None
    last_imported_at: datetime


class SourceEntryRead(BaseModel):
    entry_key: str
    position: int
    list_number: str | None
    title: str
    note: str | None
    stars: int | None
    line: int
    paper_id: int | None
    paper_slug: str | None
    is_repaired: bool


class ResourceRead(BaseModel):
    """An entry of the list that is not a paper."""

    entry_key: str
    kind: str
    title: str
    url: str | None
    note: str | None
    stars: int | None
    line: int
    is_uncertain: bool
    evidence: list[str]


class SourceSection(BaseModel):
    path: list[str]
    entries: list[SourceEntryRead]
    resources: list[ResourceRead] = []


class SourceOutline(SourceRead):
    sections: list[SourceSection]
    resource_counts: dict[str, int] = Field(default_factory=dict, description="The list's resources by kind.")


class KindChoice(BaseModel):
    """An editor's word on one entry of a list: a paper, or a kind of resource. It survives re-imports."""

    model_config = ConfigDict(extra="forbid")

    entry_key: str = Field(min_length=1, max_length=300)
    kind: Literal[
        "paper", "software", "model", "dataset", "course", "leaderboard", "article", "book", "list", "other"
    ]

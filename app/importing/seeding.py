"""`papers seed`: import every list of the seeds manifest in one transaction, and say what changed."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from app.db import transaction
from app.importing.classification import load_import_rules
from app.importing.manifest import load_manifest
from app.importing.schemas import ImportReport
from app.importing.service import ListToImport, import_list


def seed_lists(session: Session, seeds_dir: Path, *, max_bytes: int) -> list[ImportReport]:
    rules = load_import_rules(seeds_dir)
    reports = []
    for seed in load_manifest(seeds_dir):
        upload = ListToImport(
            name=seed.name,
            content=seed.path.read_bytes(),
            title=seed.title,
            origin=seed.origin,
            language=seed.language,
        )
        reports.append(import_list(session, upload, rules=rules, max_bytes=max_bytes))
    return reports


def report_table(reports: list[ImportReport]) -> Table:
    table = Table(title="Import")
    for column in (
        "list",
        "status",
        "entries",
        "papers",
        "created",
        "updated",
        "unchanged",
        "merged",
        "resources",
        "uncertain",
        "warnings",
    ):
        table.add_column(column, justify="left" if column in ("list", "status") else "right")
    for report in reports:
        table.add_row(
            report.source,
            report.status,
            str(report.entries),
            str(report.papers),
            str(report.papers_created),
            str(report.papers_updated),
            str(report.papers_unchanged),
            str(report.merged_within_list + report.matched_other_lists),
            str(report.resources_total),
            str(len(report.uncertain)),
            str(len(report.warnings)),
        )
    return table


def print_reports(reports: list[ImportReport], console: Console) -> None:
    console.print(report_table(reports))
    for report in reports:
        if report.repair:
            console.print(
                f"{report.source}: repaired text garbled as {report.repair.codepage}: "
                f"{report.repair.restored} characters restored exactly, {report.repair.filled} filled, "
                f"{report.repair.uncertain} uncertain."
            )
        for item in report.entries_disappeared:
            kept = "paper kept" if item.paper_kept else "paper removed"
            console.print(f"{report.source}: gone from the list: {item.title} ({kept})")
        if report.resources:
            kinds = ", ".join(f"{count} {kind}" for kind, count in report.resources.items())
            console.print(f"{report.source}: kept as the list's resources, not papers: {kinds}.")
        for weak in report.uncertain:
            console.print(
                f"[yellow]{report.source}:{weak.line}[/yellow] decided on weak evidence: "
                f"{weak.title} → {weak.kind} ({'; '.join(weak.evidence)})"
            )
        for warning in report.warnings:
            console.print(
                f"[yellow]{report.source}:{warning.line}[/yellow] {warning.code}: {warning.message}"
            )


def seed_catalogue(
    factory: sessionmaker[Session], *, seeds_dir: Path, max_bytes: int, console: Console
) -> list[ImportReport]:
    started = time.perf_counter()
    with console.status("Importing the seed lists…"), transaction(factory) as session:
        reports = seed_lists(session, seeds_dir, max_bytes=max_bytes)
    print_reports(reports, console)
    if all(report.status == "unchanged" for report in reports):
        console.print("Every list is unchanged since the last seed: nothing was written.")
    console.print(f"Done in {time.perf_counter() - started:.2f} s.")
    return reports

"""Undoing mojibake: UTF-8 text read with a single-byte code page, with the bytes it dropped filled back in.

Pure functions, no database: detect the code page, restore what survived, fill the holes by a character model.
"""

from app.importing.repair.codepages import CANDIDATE_CODEPAGES, damage_text, lost_bytes
from app.importing.repair.detection import detect_mojibake
from app.importing.repair.repairing import LineRepair, RepairReport, UncertainChar, repair_text

__all__ = [
    "CANDIDATE_CODEPAGES",
    "LineRepair",
    "RepairReport",
    "UncertainChar",
    "damage_text",
    "detect_mojibake",
    "lost_bytes",
    "repair_text",
]

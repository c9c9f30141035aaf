"""Which screen a dropped file goes to: a letter (the review dialog) or a transcript.

A cheap guess, made before anything is parsed: a folder is a folder of letters; a file whose name says
"transcript" is a transcript; a text file (.txt, .md, .rst) is read (its first few kilobytes) for the
shape of a transcript, speaker turns like ``Sir Mark Rowley QPM (Commissioner …):`` or
``**Lady Hallett**:``, and no "Dear …" salutation.
Everything else is a letter. The importer the file reaches still checks it properly.
"""

from __future__ import annotations

import re
from pathlib import Path

LETTER = "letter"
TRANSCRIPT = "transcript"

_TURN = re.compile(r"^[A-Z][^\n:()]{1,80}(\([^\n)]{2,160}\))?\s*:\s+\S", re.MULTILINE)
_SALUTATION = re.compile(r"^\s*Dear\s+\S", re.MULTILINE)
_SNIFF_BYTES = 8192


def guess_kind(path: Path) -> str:
    if path.is_dir():
        return LETTER
    if "transcript" in path.name.lower():
        return TRANSCRIPT
    if path.suffix.lower() in (".txt", ".md", ".rst"):
        try:
            with open(path, "rb") as handle:
                head = handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
        except OSError:
            return LETTER
        head = head.replace("**", "")  # Markdown and reStructuredText turns: "**Name**: …"
        if not _SALUTATION.search(head) and len(_TURN.findall(head)) >= 2:
            return TRANSCRIPT
    return LETTER


def group_by_kind(paths: list[Path]) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(guess_kind(Path(path)), []).append(Path(path))
    return groups


IMPORTABLE_SUFFIXES = (".docx", ".pdf", ".md", ".txt", ".rst")


def dropped_paths(mime) -> list[Path]:
    """The files (and folders) dropped on the window that an import can read."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.is_dir() or p.suffix.lower() in IMPORTABLE_SUFFIXES]

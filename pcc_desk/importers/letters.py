"""One entry point for every letter-like file: pick the reader by content, letter or minutes."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.letter_structure import Block, RawNote, build_letter
from pcc_desk.importers.safety import check_file
from pcc_desk.letter_values import ParsedLetter

log = logging.getLogger(__name__)


def read_blocks(path: Path) -> tuple[list[Block], dict[int, RawNote], str, tuple[str, ...]]:
    """The safety checks, then the reader the file's content calls for: (blocks, notes, kind, and
    what the reader could not read with confidence)."""
    path = Path(path)
    checked = check_file(path)
    unsure: tuple[str, ...] = ()
    if checked.kind == "docx":
        from pcc_desk.importers.letter_docx import docx_blocks

        blocks, notes = docx_blocks(path)
    elif checked.kind == "pdf":
        from pcc_desk.importers import pdf_sandbox
        from pcc_desk.importers.letter_pdf import read_pdf_letter

        layout = pdf_sandbox.run(read_pdf_letter, path)  # bounded in memory, time and size
        blocks, notes, unsure = layout.blocks, layout.notes, layout.warnings
    else:
        from pcc_desk.importers.letter_text import text_blocks
        from pcc_desk.importers.text import decode_text

        blocks, notes = text_blocks(decode_text(path.read_bytes(), path.name))
    if not any(b.text.strip() or b.notes for b in blocks):
        raise ImportRejected(f"{path.name}: the file has no text to import.")
    return blocks, notes, checked.kind, unsure


def read_letter(path: Path, *, minutes: bool | None = None) -> ParsedLetter:
    """A letter, or minutes of a meeting (``minutes=None``: decided by the content)."""
    from pcc_desk.importers import minutes as minutes_reader

    name = Path(path).name
    try:
        blocks, notes, kind, unsure = read_blocks(path)
        if minutes or (minutes is None and minutes_reader.looks_like_minutes(blocks)):
            letter = minutes_reader.build_minutes(blocks, notes, kind, name)
        else:
            letter = build_letter(blocks, notes, kind)
        if unsure:
            letter = dataclasses.replace(letter, warnings=(*letter.warnings, *unsure))
        return letter
    except ImportRejected:
        raise
    except (
        Exception,
        RecursionError,
    ) as exc:  # a file no rule foresaw: one line, never a traceback
        log.warning(
            "reading %s failed: %s",
            kind_of(path),
            type(exc).__name__,
            exc_info=log.isEnabledFor(logging.DEBUG),
        )
        raise ImportRejected(
            f"{name}: the file could not be read as a letter ({type(exc).__name__})."
        ) from None


def kind_of(path: Path) -> str:
    return Path(path).suffix.lower() or "file"

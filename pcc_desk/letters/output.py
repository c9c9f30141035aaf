"""Writing a file the clerk may have open in Word: atomically, or not at all.

Word keeps an owner file ``~$name.docx`` beside a document it has open (for long names it drops the
first one or two characters: ``~$tter.docx`` for ``Letter.docx``) and, on Windows, refuses to let the
file be replaced (``PermissionError``). Either way the clerk is told to close it, and the old file
stays as it was: the new one is written to a temporary file beside it and swapped in only when whole.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from pcc_desk.errors import FileLocked, InvalidInput
from pcc_desk.storage.files import atomic_output


def owner_files(target: Path) -> list[Path]:
    """The names Word's owner ("lock") file for ``target`` can have."""
    name = target.name
    candidates = [f"~${name}", f"~${name[1:]}", f"~${name[2:]}"]
    return [
        target.with_name(c) for c in dict.fromkeys(candidates) if len(c) > 2 + len(target.suffix)
    ]


def locked_message(target: Path) -> str:
    return (
        f"{target.name} is open in another program (Word?): close the file in Word and try again."
    )


def check_writable(target: Path) -> None:
    target = Path(target)
    if any(owner.exists() for owner in owner_files(target)):
        raise FileLocked(locked_message(target))
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; give a file name to write.")


@contextlib.contextmanager
def output_file(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write to; it replaces ``target`` only if everything succeeded."""
    target = Path(target)
    check_writable(target)
    try:
        with atomic_output(target) as tmp:
            yield tmp
    except PermissionError as exc:
        folder = target.parent
        if not os.access(folder, os.W_OK):
            raise InvalidInput(f"Cannot write to the folder {folder}: permission denied.") from None
        raise FileLocked(locked_message(target)) from exc

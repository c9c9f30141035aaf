"""Writing a file the clerk may have open in Word: atomically, or not at all.

Word keeps an owner file ``~$name.docx`` beside a document it has open (for long names it drops the
first one or two characters: ``~$tter.docx`` for ``Letter.docx``) and, on Windows, refuses to let the
file be replaced (``PermissionError``). Either way the clerk is told to close it, and the old file
stays as it was: the new one is written to a temporary file beside it and swapped in only when whole.
A disk that is full, a read-only folder or any other failure of the file system is one line
(:class:`OutputFailed`), and the old file is untouched too.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from pcc_desk.errors import FileLocked, InvalidInput, OutputFailed
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
    except OSError as exc:
        raise OutputFailed(failed_message(target, exc)) from None


def write_output(target: str | os.PathLike[str], data: bytes) -> None:
    """Write a file made in memory (a .docx, .xlsx or .csv is a few MB at most) atomically: one write
    that succeeds or fails whole, so that a full disk leaves no half-closed zip behind to complain."""
    with output_file(target) as tmp, open(tmp, "wb") as handle:
        handle.write(data)


_REASONS = {
    errno.ENOSPC: "the disk is full",
    getattr(errno, "EDQUOT", -1): "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only disk",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.EIO: "the disk reported an error",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "the folder does not exist",
}


def failed_message(target: Path, exc: OSError) -> str:
    """One line for a file that could not be written: which file, why, and that the old one is kept."""
    reason = _REASONS.get(exc.errno) or (exc.strerror or type(exc).__name__).lower()
    old = " The file there before is unchanged." if target.exists() else ""
    return f"{target.name} could not be written: {reason}.{old}"

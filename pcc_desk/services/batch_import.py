"""Importing many files at once: letters or transcripts, from the command line and the window alike.

One function per kind, :func:`import_letters` and :func:`import_transcripts`, takes the files and
folders the clerk named, a ``progress(done, total)`` callback and a :class:`CancelToken`. Folders are
walked (in name order, case-insensitive, sub-folders included) by :func:`collect`, which applies the
one set of skip rules every front end shares:

- the register's own files are never imported: its database file (and the files SQLite and the lock
  keep beside it), its files folder (the copies kept of imported files) and its backups folder;
- hidden files and folders (a name starting with "." or hidden by Windows), and Word's "~$" lock files;
- in a folder, files of a kind the importer does not read (a letter is .docx, .pdf, .md or .txt);
- the same file named twice (it is imported once).

A file named on its own is always read (unless it is one of the register's own files or named twice),
so that a file of the wrong kind is refused with the reader's reason. Each file is read and saved in
its own transaction, with its own journal row: a file that fails leaves nothing behind and does not
stop the others. Every file gets a :class:`FileResult` with an :class:`Outcome` and a one-line reason.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import os
import stat
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pcc_desk.errors import Cancelled, DuplicateImport, ImportRejected, InvalidInput, PccError
from pcc_desk.importers.reading_ahead import ReadingAhead
from pcc_desk.importers.safety import LETTER_SUFFIXES
from pcc_desk.importers.transcript import TRANSCRIPT_SUFFIXES, parse_transcript
from pcc_desk.services import letter_import
from pcc_desk.services import transcripts as transcript_service
from pcc_desk.services.desk import Desk
from pcc_desk.services.settings import get_settings
from pcc_desk.storage import Location, checked_record

Progress = Callable[[int, int], None]  # (files done, files in the batch)


class Cancellable(Protocol):
    @property
    def cancelled(self) -> bool: ...


class CancelToken:
    """Shared between whoever asks for the work and the loop doing it: set once, read between files.

    (The desktop's task runner hands its own token of the same shape.)"""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("Cancelled; nothing was saved.")


class Kind(enum.Enum):
    """What a batch imports."""

    LETTERS = "letter"
    TRANSCRIPTS = "transcript"

    @property
    def suffixes(self) -> tuple[str, ...]:
        """The files its importer reads (from the importer itself)."""
        if self is Kind.LETTERS:
            return LETTER_SUFFIXES

        return TRANSCRIPT_SUFFIXES

    @property
    def described(self) -> str:
        return ", ".join(self.suffixes)


class Outcome(enum.StrEnum):
    IMPORTED = "imported"  # saved
    REIMPORTED = "reimported"  # an edited version of a letter already imported: its new asks saved
    DUPLICATE = "duplicate"  # the very same file was imported before: nothing added
    SKIPPED = "skipped"  # not read, by the skip rules
    REFUSED = "refused"  # read and refused (damaged, of another kind, unreadable...): nothing saved
    CANCELLED = "cancelled"  # not read: the batch was cancelled first
    READ = "read"  # a dry run: read and compared, nothing saved

    @property
    def added(self) -> bool:
        return self in (Outcome.IMPORTED, Outcome.REIMPORTED)


@dataclass(frozen=True)
class FileResult:
    path: Path
    name: str  # as the clerk knows it: relative to the folder named, or the file's name
    outcome: Outcome
    reason: str  # one line, for people
    error: PccError | None = field(default=None, compare=False, repr=False)
    letter: letter_import.ImportResult | None = None  # letters, saved (or a duplicate)
    preview: letter_import.LetterPreview | None = None  # letters: what was read
    transcript: transcript_service.ImportResult | None = None  # transcripts

    @property
    def refs(self) -> tuple[str, ...]:
        return self.letter.refs if self.letter is not None and self.outcome.added else ()


@dataclass(frozen=True)
class Selection:
    """The files a batch will read, in order, and those the skip rules left out (with why)."""

    kind: Kind
    files: tuple[tuple[Path, str], ...]  # (path, name)
    skipped: tuple[FileResult, ...] = ()

    def nothing_found(self) -> str:
        text = f"No {self.kind.value} files ({self.kind.described}) were found there"
        if self.skipped:
            text += f"; {len(self.skipped)} skipped"
        return text + "; nothing was imported."


@dataclass(frozen=True)
class BatchResult:
    kind: Kind
    results: tuple[FileResult, ...]  # every file read or meant to be read, in order
    skipped: tuple[FileResult, ...] = ()  # left out by the skip rules

    def of(self, *outcomes: Outcome) -> list[FileResult]:
        return [r for r in self.results if r.outcome in outcomes]

    @property
    def added(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome.added]

    @property
    def refused(self) -> list[FileResult]:
        return self.of(Outcome.REFUSED)

    @property
    def cancelled(self) -> bool:
        return any(r.outcome is Outcome.CANCELLED for r in self.results)

    @property
    def refs(self) -> list[str]:
        return [ref for r in self.results for ref in r.refs]

    def summary(self) -> str:
        total = len(self.results)
        text = f"{len(self.added)} of {total} file(s) imported"
        if self.kind is Kind.LETTERS:
            text += f" ({len(self.refs)} recommendation(s))"
        duplicates = self.of(Outcome.DUPLICATE)
        if duplicates:
            text += f", {len(duplicates)} already imported"
        if self.refused:
            text += f", {len(self.refused)} could not be imported"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        if self.cancelled:
            done = total - len(self.of(Outcome.CANCELLED))
            text += f"; cancelled after {done} file(s), the rest were not read"
        return text + "."


# --- which files -----------------------------------------------------------------------------------


def _is_hidden(path: Path) -> bool:
    if path.name.startswith("."):
        return True
    try:
        attributes = getattr(path.lstat(), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


class _Rules:
    """The skip rules, for one register."""

    def __init__(self, location: Location, kind: Kind) -> None:
        self.kind = kind
        self.suffixes = kind.suffixes
        self.files_dir = location.files_dir.resolve()
        self.backups_dir = location.backups_dir.resolve()
        self.db = location.path.resolve() if location.path is not None else None
        self.record = checked_record(self.db).name if self.db is not None else None

    def register_part(self, path: Path) -> str:
        """Why ``path`` (a file or folder) belongs to the register, or ''."""
        real = path.resolve()
        if real == self.files_dir or real.is_relative_to(self.files_dir):
            return "the register's own files folder (copies of imported files)"
        if real == self.backups_dir or real.is_relative_to(self.backups_dir):
            return "the register's backups folder"
        if (
            self.db is not None
            and real.parent == self.db.parent
            and (
                real.name in (self.db.name, self.record)
                or real.name.startswith((f"{self.db.name}-", f"{self.db.name}."))
            )
        ):
            return "the register's own file"
        return ""

    def folder_skip(self, folder: Path) -> str:
        if _is_hidden(folder):
            return "a hidden folder"
        return self.register_part(folder)

    def file_skip(self, file: Path) -> str:
        if file.name.startswith("~$"):
            return "a lock file Word keeps while the document is open"
        if _is_hidden(file):
            return "a hidden file"
        part = self.register_part(file)
        if part:
            return part
        if file.suffix.lower() not in self.suffixes:
            return f"not a {self.kind.value} file ({self.kind.described})"
        return ""


def collect(location: Location, paths: Iterable[str | os.PathLike[str]], kind: Kind) -> Selection:
    """The files to read for ``paths`` (files and folders) and the ones the skip rules leave out."""
    rules = _Rules(location, kind)
    files: list[tuple[Path, str]] = []
    skipped: list[FileResult] = []
    seen: set[Path] = set()

    def skip(path: Path, name: str, reason: str) -> None:
        skipped.append(FileResult(path, name, Outcome.SKIPPED, f"{name}: {reason}."))

    def take(path: Path, name: str) -> None:
        real = path.resolve()
        if real in seen:
            skip(path, name, "named twice; read once")
            return
        seen.add(real)
        files.append((path, name))

    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            part = rules.register_part(path)
            if part:
                skip(path, path.name, part)
            else:
                take(path, path.name)
            continue
        reason = rules.register_part(path)
        if reason:
            skip(path, f"{path.name}/", reason)
            continue
        found: list[tuple[str, Path, str]] = []  # (sort key, path, reason to skip or '')
        for top, dirs, names in os.walk(path):
            here = Path(top)
            for d in list(dirs):
                why = rules.folder_skip(here / d)
                if why:
                    dirs.remove(d)
                    rel = (here / d).relative_to(path).as_posix() + "/"
                    found.append((rel.lower(), here / d, why))
            for n in names:
                file = here / n
                rel = file.relative_to(path).as_posix()
                if not file.is_file():
                    continue
                found.append((rel.lower(), file, rules.file_skip(file)))
        for key, file, why in sorted(found, key=lambda f: f[0]):
            name = file.relative_to(path).as_posix()
            if why:
                skip(file, name + ("/" if key.endswith("/") else ""), why)
            else:
                take(file, name)
    return Selection(kind, tuple(files), tuple(skipped))


# --- the loop ------------------------------------------------------------------------------------


def _refused(path: Path, name: str, error: BaseException) -> FileResult:
    if isinstance(error, PccError):
        message = str(error)
        pcc = error
    else:  # a file no rule foresaw: one line, never a traceback
        message = f"{path.name}: could not be imported ({type(error).__name__})."
        pcc = ImportRejected(message)
    if not message.startswith(path.name):
        message = f"{path.name}: {message}"
    return FileResult(path, name, Outcome.REFUSED, message, error=pcc)


def _run(
    desk: Desk,
    source: Sequence[str | os.PathLike[str]] | Selection,
    kind: Kind,
    one: Callable[[Path, str], FileResult],
    progress: Progress | None,
    cancel: Cancellable | None,
    reported: Callable[[FileResult], None] | None,
) -> BatchResult:
    selection = source if isinstance(source, Selection) else collect(desk.location, source, kind)
    if not selection.files:
        raise InvalidInput(selection.nothing_found())
    total = len(selection.files)
    results: list[FileResult] = []
    stopped = False
    for n, (path, name) in enumerate(selection.files):
        if not stopped and cancel is not None and cancel.cancelled:
            stopped = True
        if stopped:
            result = FileResult(
                path, name, Outcome.CANCELLED, f"{name}: not read (the import was cancelled)."
            )
        else:
            if progress is not None:
                progress(n, total)
            try:
                result = one(path, name)
            except Cancelled:
                stopped = True
                result = FileResult(
                    path, name, Outcome.CANCELLED, f"{name}: not read (the import was cancelled)."
                )
            except DuplicateImport as error:  # imported a moment ago by another window or process
                result = FileResult(path, name, Outcome.DUPLICATE, str(error), error=error)
            except Exception as error:
                result = _refused(path, name, error)
        results.append(result)
        if reported is not None:
            reported(result)
    if progress is not None:
        progress(total, total)
    return BatchResult(kind, tuple(results), selection.skipped)


def import_letters(
    desk: Desk,
    source: Sequence[str | os.PathLike[str]] | Selection,
    *,
    progress: Progress | None = None,
    cancel: Cancellable | None = None,
    reported: Callable[[FileResult], None] | None = None,
    minutes: bool | None = None,
    dry_run: bool = False,
) -> BatchResult:
    """Import every letter (or minutes) named or found in the folders named, each in its own
    transaction, without review. ``dry_run`` reads and compares only. ``reported`` is called with
    each file's result as soon as it is known. Raises InvalidInput when there is nothing to read."""

    def one(path: Path, name: str) -> FileResult:
        preview = letter_import.preview(desk, path, minutes=minutes)
        if dry_run:
            if preview.duplicate_of is not None:
                return FileResult(
                    path,
                    name,
                    Outcome.DUPLICATE,
                    f"{preview.file_name}: already imported on "
                    f"{preview.duplicate_of.imported_on.isoformat()}; nothing would be added.",
                    preview=preview,
                )
            return FileResult(
                path, name, Outcome.READ, f"{preview.file_name}: read.", preview=preview
            )
        result = letter_import.commit(desk, preview)
        outcome = Outcome(result.outcome)
        return FileResult(path, name, outcome, result.message, letter=result, preview=preview)

    return _run(desk, source, Kind.LETTERS, one, progress, cancel, reported)


def import_transcripts(
    desk: Desk,
    source: Sequence[str | os.PathLike[str]] | Selection,
    *,
    progress: Progress | None = None,
    cancel: Cancellable | None = None,
    reported: Callable[[FileResult], None] | None = None,
    date: dt.date | None = None,
    title: str | None = None,
    committee: str | None = None,
) -> BatchResult:
    """Import every transcript named or found in the folders named, each in its own transaction.
    ``date``, ``title`` and ``committee`` fill in only what neither a file's header nor its name
    gives. Raises InvalidInput when there is nothing to read."""

    selection = (
        source
        if isinstance(source, Selection)
        else collect(desk.location, source, Kind.TRANSCRIPTS)
    )
    read = functools.partial(
        parse_transcript,
        date=date,
        title=title,
        committee=committee or get_settings(desk).committee,
    )
    ahead = ReadingAhead(
        read,
        [path for path, _ in selection.files],
        for_child=lambda path: path.suffix.lower() != ".pdf",  # (read in a sandbox of its own)
        cancelled=lambda: cancel is not None and cancel.cancelled,
    )

    def one(path: Path, name: str) -> FileResult:
        result = transcript_service.import_parsed(desk, path, ahead.take(path))
        label = result.transcript.citation.removesuffix(" – transcript")
        turns = f"{label} – {len(result.segments)} turns"
        if result.created:
            return FileResult(
                path, name, Outcome.IMPORTED, f"{path.name}: imported: {turns}", transcript=result
            )
        return FileResult(
            path,
            name,
            Outcome.DUPLICATE,
            f"{path.name}: already imported; nothing added: {turns}",
            transcript=result,
        )

    with ahead:
        return _run(desk, selection, Kind.TRANSCRIPTS, one, progress, cancel, reported)

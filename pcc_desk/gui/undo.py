"""Undo/redo of the clerk's edits, through the services (never around them).

Each command calls a service to do and another to undo. The audit trail stays append-only: undoing a
status change *appends* a change back to the earlier status (both stay in the history); undoing a
due-date revision appends a revision back; undoing a logged response removes the response and, if it
had moved the status, appends a change back (``register.remove_response``).

Adding a recommendation (Ctrl+N), a letter imported through the review dialog and transcripts imported
from the window are undone by taking out what they added (``register.remove_recommendation``,
``letter_import.undo_import``, ``transcripts.delete_transcript``), and redone by adding it again. The
service refuses (``Conflict``) once the clerk has worked on what was added: the message is shown and
the command stays done on the stack (:class:`RefusableCommand`).

Use :func:`execute`: it runs the command's first "do" outside the stack, so an error (a PccError from
the service) leaves nothing on the stack and is shown to the clerk by the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from pcc_desk import storage
from pcc_desk.dates import house_date
from pcc_desk.errors import Conflict, DuplicateImport, ImportRejected, PccError
from pcc_desk.gui.workbench import Workbench
from pcc_desk.model import Status
from pcc_desk.services import letter_import, register, transcripts
from pcc_desk.services.dto import RecommendationSummary
from pcc_desk.services.letter_import import ImportResult, LetterPreview
from pcc_desk.services.transcripts import ImportResult as TranscriptImport


class ServiceCommand(QUndoCommand):
    def __init__(self, bench: Workbench, ref: str, text: str) -> None:
        super().__init__(text)
        self.bench = bench
        self.ref = ref
        self._first = True

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._first:  # already done by execute()
            self._first = False
            return
        self._guard(self.do)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, fn) -> None:
        self.bench.changes.note_refs(self.ref)
        try:
            fn()
        except PccError as error:
            self.setObsolete(True)  # the stack drops a command that can no longer apply
            self.bench.report_error(error)


def execute(bench: Workbench, command: ServiceCommand) -> None:
    """Do the command now (raising PccError if the service refuses) and put it on the undo stack."""
    bench.changes.note_refs(command.ref)
    command.do()
    bench.undo.push(command)


class EditFieldsCommand(ServiceCommand):
    def __init__(
        self, bench: Workbench, ref: str, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        super().__init__(bench, ref, f"Edit {ref}")
        self.before, self.after = dict(before), dict(after)

    def do(self) -> None:
        register.edit_recommendation(self.bench.desk, self.ref, **self.after)

    def revert(self) -> None:
        register.edit_recommendation(self.bench.desk, self.ref, **self.before)


class ChangeStatusCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, old: Status, new: Status, note: str) -> None:
        super().__init__(bench, ref, f"Change status of {ref} to {new.label}")
        self.old, self.new, self.note = old, new, note

    def do(self) -> None:
        register.change_status(self.bench.desk, self.ref, self.new, self.note)

    def revert(self) -> None:
        register.change_status(
            self.bench.desk, self.ref, self.old, f"Undo of the change to '{self.new.label}'"
        )


class ReviseDueCommand(ServiceCommand):
    def __init__(
        self, bench: Workbench, ref: str, old_due: dt.date, new_due: dt.date, reason: str
    ) -> None:
        super().__init__(bench, ref, f"Revise the due date of {ref}")
        self.old_due, self.new_due, self.reason = old_due, new_due, reason

    def do(self) -> None:
        register.revise_due(self.bench.desk, self.ref, self.new_due, self.reason)

    def revert(self) -> None:
        register.revise_due(
            self.bench.desk,
            self.ref,
            self.old_due,
            f"Undo of the revision to {house_date(self.new_due)}",
        )


class LogResponseCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, values: dict[str, Any]) -> None:
        super().__init__(bench, ref, f"Log a response to {ref}")
        self.values = dict(values)
        self.response_id: uuid.UUID | None = None

    def do(self) -> None:
        self.response_id = register.log_response(self.bench.desk, self.ref, **self.values).id

    def revert(self) -> None:
        if self.response_id is not None:
            register.remove_response(
                self.bench.desk, self.response_id, "Undo of logging the response"
            )
            self.response_id = None


class RefusableCommand(ServiceCommand):
    """A command whose undo the service may refuse with :class:`Conflict` (the clerk has worked on
    what it added since). Then nothing changed, so the command stays *done* on the stack: the stack
    is stepped forward over it again and the refusal shown politely. Its changes are announced
    without references, so the register reads itself again (rows come and go)."""

    def __init__(self, bench: Workbench, text: str) -> None:
        super().__init__(bench, "", text)
        self._refused = False

    def redo(self) -> None:
        if self._first or self._refused:  # done by execute(), or an undo that was refused
            self._first = self._refused = False
            return
        try:
            self.do()
        except PccError as error:
            self.setObsolete(True)
            self.bench.report_error(error)

    def undo(self) -> None:
        try:
            self.revert()
        except Conflict as error:
            self._refused = True
            QTimer.singleShot(0, lambda refused=error: self._stay_done(refused))
        except PccError as error:
            self.setObsolete(True)
            self.bench.report_error(error)

    def _stay_done(self, error: Conflict) -> None:
        stack = self.bench.undo
        if self._refused and stack.index() < stack.count() and stack.command(stack.index()) is self:
            stack.redo()  # our redo() sees the refusal and does nothing: only the index moves back
        self._refused = False
        self.bench.report_error(error)


class AddRecommendationCommand(RefusableCommand):
    """Ctrl+N. Undo removes the recommendation (``register.remove_recommendation``, refused once a
    response, quote, status change or due revision hangs on it); redo adds it again with the SAME
    reference."""

    def __init__(self, bench: Workbench, values: dict[str, Any]) -> None:
        super().__init__(bench, "Add a recommendation")
        self.values = dict(values)
        self.added: RecommendationSummary | None = None

    def do(self) -> None:
        ref = self.added.ref if self.added is not None else None
        self.added = register.add_recommendation(self.bench.desk, **self.values, ref=ref)
        self.ref = self.added.ref
        self.setText(f"Add {self.ref}")

    def revert(self) -> None:
        register.remove_recommendation(self.bench.desk, self.ref)


class ImportLetterCommand(RefusableCommand):
    """A letter imported through the review dialog. Undo takes the whole import out again
    (``letter_import.undo_import``); redo commits the same reviewed letter again, from the original file
    while it is unchanged, else from the copy the first import kept (``letter_import.recommit``)."""

    def __init__(self, bench: Workbench, preview: LetterPreview, result: ImportResult) -> None:
        super().__init__(bench, f"Import {result.file_name}")
        self.preview, self.result = preview, result

    def do(self) -> None:
        result = letter_import.recommit(self.bench.desk, self.preview, self.result.letter)
        if (
            result.outcome == letter_import.OUTCOME_DUPLICATE
        ):  # imported again meanwhile: that import is not ours
            raise DuplicateImport(result.message)
        self.result = result
        self.bench.message(result.message)

    def revert(self) -> None:
        self.bench.message(
            letter_import.undo_import(self.bench.desk, self.result.document_id).message
        )


class ImportTranscriptsCommand(RefusableCommand):
    """Transcripts imported from the window. Undo deletes them (``transcripts.delete_transcript``, never
    forced: refused while any of them is quoted, and then none is deleted); redo imports the same files
    again, refused if a file has gone or changed since."""

    def __init__(self, bench: Workbench, imported: list[tuple[Path, TranscriptImport]]) -> None:
        names = ", ".join(path.name for path, _ in imported)
        super().__init__(
            bench,
            f"Import {names}" if len(imported) == 1 else f"Import {len(imported)} transcripts",
        )
        self.imported = list(imported)

    def do(self) -> None:
        for path, result in self.imported:
            try:
                unchanged = storage.sha256_file(path) == result.transcript.sha256
            except OSError:
                unchanged = False
            if not unchanged:
                raise ImportRejected(
                    f"{path.name}: the file is gone or changed since; the import cannot be redone."
                )
        self.imported = [
            (path, transcripts.import_transcript(self.bench.desk, path))
            for path, _ in self.imported
        ]

    def revert(self) -> None:
        ids = {result.transcript.id for _, result in self.imported}
        quoted = [
            t
            for t in transcripts.list_transcripts(self.bench.desk)
            if t.id in ids and t.quote_count
        ]
        if quoted:
            raise Conflict(
                f"The transcript of {quoted[0].citation.removesuffix(' – transcript')} has {quoted[0].quote_count} "
                "quote(s) attached since it was imported; the import was not undone."
            )
        for _, result in reversed(self.imported):
            transcripts.delete_transcript(self.bench.desk, result.transcript.id)
        self.bench.message(f"Import undone: {len(self.imported)} transcript(s) removed.")

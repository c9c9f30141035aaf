"""The desktop's undo stack: thin wrappers over the services' undo and redo.

Every command does its work once through a service, and keeps the ids of the journal operations that
call wrote (``journal.capture``). Undo and redo are then ``services.undo.undo(ids)`` and
``services.undo.redo(ids)``, the very calls behind ``pcc-desk undo`` and ``pcc-desk redo``: the
inverses, the rules that refuse an undo and the history they append all live in the services.

A refused undo (the service raises :class:`Conflict`: the clerk has worked on what it added, or
someone changed the record since) changes nothing, so the command stays *done* on the stack: the
stack is stepped forward over it again and the one-line refusal is shown. Any other error, or a
refused redo, drops the command from the stack (it can no longer apply) and is shown.

Use :func:`execute`: it runs the command's first "do" outside the stack, so an error (a PccError from
the service) leaves nothing on the stack and is shown to the clerk by the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand

from pcc_desk.errors import Conflict, PccError
from pcc_desk.gui.errors import in_words
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import journal, register, tracker_paper
from pcc_desk.services import undo as undo_service
from pcc_desk.services.dto import RecommendationSummary
from pcc_desk.services.letter_import import ImportResult, LetterPreview
from pcc_desk.services.transcripts import ImportResult as TranscriptImport
from pcc_desk.vocabulary import Status


class ServiceCommand(QUndoCommand):
    """One step on the stack: ``do()`` calls a service once; undo/redo go through the journal.

    ``ref`` names the recommendation concerned, so the register refreshes just that row; empty when
    rows come and go (an addition, an import), and then the register reads itself again."""

    def __init__(
        self, bench: Workbench, ref: str, text: str, op_ids: Iterable[uuid.UUID] = ()
    ) -> None:
        super().__init__(text)
        self.bench = bench
        self.ref = ref
        self.op_ids: list[uuid.UUID] = list(op_ids)
        self._done_by_execute = True  # pushing it calls redo(): it is done already
        self._refused = False

    def do(self) -> None:
        """The first doing of the step: a service call (its journal rows are captured)."""
        raise NotImplementedError

    def perform(self) -> None:
        with journal.capture() as ids:
            self.do()
        self.op_ids = list(ids)

    def redo(self) -> None:
        if self._done_by_execute or self._refused:  # done by execute(), or an undo was refused
            self._done_by_execute = self._refused = False
            return
        if not self.op_ids:
            return
        self.bench.changes.note_refs(self.ref)
        try:
            with in_words(self.bench.desk.location.url):
                outcomes = undo_service.redo(self.bench.desk, self.op_ids)
        except PccError as error:
            self.setObsolete(True)  # the stack drops a command that can no longer apply
            self.bench.report_error(error)
            return
        self.redone(outcomes)

    def undo(self) -> None:
        if not self.op_ids:
            return
        self.bench.changes.note_refs(self.ref)
        try:
            with in_words(self.bench.desk.location.url):
                outcomes = undo_service.undo(self.bench.desk, self.op_ids)
        except Conflict as error:  # refused: nothing changed, the step stays done
            self._refused = True
            QTimer.singleShot(0, lambda refused=error: self._stay_done(refused))
            return
        except PccError as error:
            self.setObsolete(True)
            self.bench.report_error(error)
            return
        self.undone(outcomes)

    def undone(self, outcomes) -> None:
        """After an undo (the outcomes' messages may be shown)."""

    def redone(self, outcomes) -> None:
        """After a redo."""

    def _stay_done(self, error: Conflict) -> None:
        stack = self.bench.undo
        if self._refused and stack.index() < stack.count() and stack.command(stack.index()) is self:
            stack.redo()  # our redo() sees the refusal and does nothing: only the index moves back
        self._refused = False
        self.bench.report_error(error)


def execute(bench: Workbench, command: ServiceCommand) -> None:
    """Do the command now (raising PccError if the service refuses) and put it on the undo stack."""
    bench.changes.note_refs(command.ref)
    with in_words(bench.desk.location.url):
        command.perform()
    bench.undo.push(command)


class EditFieldsCommand(ServiceCommand):
    """An edit of the fields a clerk changed; ``expected_version``: the version the form showed (a
    change by someone else since is refused with a VersionConflict, and nothing is saved)."""

    def __init__(
        self,
        bench: Workbench,
        ref: str,
        before: dict[str, Any],
        after: dict[str, Any],
        expected_version: int | None = None,
    ) -> None:
        super().__init__(bench, ref, f"Edit {ref}")
        self.before, self.after = dict(before), dict(after)
        self.expected_version = expected_version

    def do(self) -> None:
        register.edit_recommendation(
            self.bench.desk, self.ref, expected_version=self.expected_version, **self.after
        )


class ChangeStatusCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, old: Status, new: Status, note: str) -> None:
        super().__init__(bench, ref, f"Change status of {ref} to {new.label}")
        self.old, self.new, self.note = old, new, note

    def do(self) -> None:
        register.change_status(self.bench.desk, self.ref, self.new, self.note)


class ReviseDueCommand(ServiceCommand):
    def __init__(
        self, bench: Workbench, ref: str, old_due: dt.date, new_due: dt.date, reason: str
    ) -> None:
        super().__init__(bench, ref, f"Revise the due date of {ref}")
        self.old_due, self.new_due, self.reason = old_due, new_due, reason

    def do(self) -> None:
        register.revise_due(self.bench.desk, self.ref, self.new_due, self.reason)


class ReviseTargetCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, target: dt.date | None, reason: str) -> None:
        super().__init__(bench, ref, f"Revise the target date of {ref}")
        self.target, self.reason = target, reason

    def do(self) -> None:
        register.revise_target(self.bench.desk, self.ref, self.target, self.reason)


class SetRagCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, rag: str | None, reason: str) -> None:
        super().__init__(bench, ref, f"Set the RAG rating of {ref}")
        self.rag, self.reason = rag, reason

    def do(self) -> None:
        tracker_paper.set_rag(self.bench.desk, self.ref, self.rag, self.reason)


class LogResponseCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, values: dict[str, Any]) -> None:
        super().__init__(bench, ref, f"Log a response to {ref}")
        self.values = dict(values)
        self.response_id: uuid.UUID | None = None

    def do(self) -> None:
        self.response_id = register.log_response(self.bench.desk, self.ref, **self.values).id


class AddRecommendationCommand(ServiceCommand):
    """Ctrl+N. Undo takes the recommendation out again (refused once a response, quote, status change
    or due revision hangs on it); redo adds it again with the SAME reference."""

    def __init__(self, bench: Workbench, values: dict[str, Any]) -> None:
        super().__init__(bench, "", "Add a recommendation")
        self.values = dict(values)
        self.added: RecommendationSummary | None = None

    def do(self) -> None:
        self.added = register.add_recommendation(self.bench.desk, **self.values)
        self.setText(f"Add {self.added.ref}")


class ImportLetterCommand(ServiceCommand):
    """A letter imported through the review dialog (already done when the command is made). Undo
    takes the whole import out again; redo saves the same reviewed letter again (from the copy the
    import kept, or from the original file while it is unchanged)."""

    def __init__(self, bench: Workbench, preview: LetterPreview, result: ImportResult) -> None:
        ids = [result.operation_id] if result.operation_id else []
        super().__init__(bench, "", f"Import {result.file_name}", ids)
        self.preview, self.result = preview, result

    def undone(self, outcomes) -> None:
        self.bench.message(" ".join(o.message for o in outcomes))

    def redone(self, outcomes) -> None:
        self.bench.message(" ".join(o.message for o in outcomes))


class ImportReplyCommand(ServiceCommand):
    """A reply imported through its review dialog (already done). Undo takes every response it
    logged out again; redo logs them again."""

    def __init__(self, bench: Workbench, result) -> None:
        ids = [result.operation_id] if result.operation_id else []
        super().__init__(bench, "", "Import a reply", ids)

    def undone(self, outcomes) -> None:
        self.bench.message(" ".join(o.message for o in outcomes))

    def redone(self, outcomes) -> None:
        self.bench.message(" ".join(o.message for o in outcomes))


class ImportTranscriptsCommand(ServiceCommand):
    """Transcripts imported from the window (already done). Undo takes them all out, or none (refused
    while any of them is quoted); redo imports them again from the copies kept of the files."""

    def __init__(self, bench: Workbench, imported: list[tuple[Path, TranscriptImport]]) -> None:
        names = ", ".join(path.name for path, _ in imported)
        ids = [r.operation_id for _, r in imported if r.operation_id]
        super().__init__(
            bench,
            "",
            f"Import {names}" if len(imported) == 1 else f"Import {len(imported)} transcripts",
            ids,
        )
        self.imported = list(imported)

    def undone(self, outcomes) -> None:
        self.bench.message(f"Import undone: {len(outcomes)} transcript(s) removed.")

    def redone(self, outcomes) -> None:
        self.bench.message(f"Import redone: {len(outcomes)} transcript(s) imported again.")

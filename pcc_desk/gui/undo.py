"""Undo/redo of the clerk's edits, through the services (never around them).

Each command calls a service to do and another to undo. The audit trail stays append-only: undoing a
status change *appends* a change back to the earlier status (both stay in the history); undoing a
due-date revision appends a revision back; undoing a logged response removes the response and, if it
had moved the status, appends a change back (``register.remove_response``).

Use :func:`execute`: it runs the command's first "do" outside the stack, so an error (a PccError from
the service) leaves nothing on the stack and is shown to the clerk by the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtGui import QUndoCommand

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui.workbench import Workbench
from pcc_desk.model import Status
from pcc_desk.services import register


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
    def __init__(self, bench: Workbench, ref: str, before: dict[str, Any], after: dict[str, Any]) -> None:
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
        register.change_status(self.bench.desk, self.ref, self.old, f"Undo of the change to '{self.new.label}'")


class ReviseDueCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, old_due: dt.date, new_due: dt.date, reason: str) -> None:
        super().__init__(bench, ref, f"Revise the due date of {ref}")
        self.old_due, self.new_due, self.reason = old_due, new_due, reason

    def do(self) -> None:
        register.revise_due(self.bench.desk, self.ref, self.new_due, self.reason)

    def revert(self) -> None:
        register.revise_due(
            self.bench.desk, self.ref, self.old_due, f"Undo of the revision to {house_date(self.new_due)}"
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
            register.remove_response(self.bench.desk, self.response_id, "Undo of logging the response")
            self.response_id = None

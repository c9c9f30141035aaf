"""The Committee's meeting, for its tracker paper and for recording what it agreed: the Letters
screen's **Tracker paper…** (the meeting's date) and **Close ticked…** (the date and the minute)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.errors import PccError
from pcc_desk.gui.dialogs.response_form import from_qdate, to_qdate
from pcc_desk.gui.undo import ServiceCommand, execute
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import tracker_paper


class CloseCommand(ServiceCommand):
    """The asks the Committee agreed to close (several rows: the register reads itself again)."""

    def __init__(self, bench: Workbench, refs: list[str], meeting: dt.date, minute: str) -> None:
        super().__init__(bench, "", f"Close {len(refs)} recommendation(s)")
        self.refs, self.meeting, self.minute = list(refs), meeting, minute

    def do(self) -> None:
        tracker_paper.close(self.bench.desk, self.refs, self.meeting, self.minute)


class MeetingDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None, *, minute: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout()
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMMM yyyy")
        self.date_edit.setDate(to_qdate(dt.date.today()))
        self.date_edit.setAccessibleName(self.tr("The meeting's date"))
        form.addRow(self.tr("&Meeting of:"), self.date_edit)
        self.minute_edit = QLineEdit(self)
        self.minute_edit.setAccessibleName(self.tr("Minute number"))
        if minute:
            form.addRow(self.tr("M&inute:"), self.minute_edit)
        else:
            self.minute_edit.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def meeting(self) -> dt.date:
        return from_qdate(self.date_edit.date())


def write_paper(bench: Workbench, parent: QWidget, meeting: dt.date, path: Path, on_done=None):
    """Write the tracker paper in the background; say where it went."""

    def done(written) -> None:
        bench.message(
            parent.tr("Tracker paper saved to %s (%d proposed for closure)")
            % (written.path.name, len(written.proposed_for_closure))
        )
        if on_done is not None:
            on_done(written)

    desk = bench.desk
    return bench.run(
        lambda _token, _p: tracker_paper.write_paper(desk, meeting, path),
        done,
        label=parent.tr("Writing the tracker paper"),
    )


def choose_tracker_paper(bench: Workbench, parent: QWidget) -> None:
    dialog = MeetingDialog(parent.tr("Tracker paper for a meeting"), parent)
    if not dialog.exec():
        return
    meeting = dialog.meeting()
    name, _ = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Save the tracker paper"),
        f"tracker-paper-{meeting.isoformat()}.docx",
        parent.tr("Word documents (*.docx)"),
    )
    if name:
        write_paper(bench, parent, meeting, Path(name).with_suffix(".docx"))


def close_ticked(bench: Workbench, parent: QWidget, refs: list[str]) -> bool:
    """Ask for the meeting and minute, and close the ticked asks; False when nothing was done."""
    if not refs:
        bench.message(parent.tr("Tick the recommendations the Committee agreed to close."))
        return False
    dialog = MeetingDialog(parent.tr("Close %d recommendation(s)") % len(refs), parent, minute=True)
    if not dialog.exec():
        return False
    try:
        execute(bench, CloseCommand(bench, refs, dialog.meeting(), dialog.minute_edit.text()))
    except PccError as error:
        bench.report_error(error)
        return False
    return True

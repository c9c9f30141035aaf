"""The tracker paper and closing asks from the Letters screen."""

from __future__ import annotations

import datetime as dt

import docx
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pcc_desk.gui.dialogs import meeting
from pcc_desk.gui.dialogs.response_form import to_qdate
from pcc_desk.model import Status
from pcc_desk.services import register


def _when_modal(act) -> None:
    def attempt():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, attempt)
            return
        act(dialog)

    QTimer.singleShot(0, attempt)


def test_the_paper_is_written_in_the_background(qtbot, window, sample_register, tmp_path):
    screen = window.show_screen("letters")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    written = []
    meeting.write_paper(
        window.bench, screen, dt.date(2024, 6, 30), tmp_path / "paper.docx", written.append
    )
    qtbot.waitUntil(lambda: bool(written), timeout=20_000)
    cells = [c.text for t in docx.Document(str(tmp_path / "paper.docx")).tables
             for row in t.rows for c in row.cells]  # fmt: skip
    assert all(ref in cells for ref in sample_register)


def test_closing_the_ticked_asks_at_a_meeting(qtbot, window, desk, sample_register):
    screen = window.show_screen("letters")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    screen.tick({sample_register[1]})

    def fill(dialog):
        dialog.date_edit.setDate(to_qdate(dt.date(2024, 7, 10)))
        dialog.minute_edit.setText("7")
        dialog.accept()

    _when_modal(fill)
    screen.close_button.click()
    detail = register.get_recommendation(desk, sample_register[1])
    assert detail.status is Status.CLOSED_IMPLEMENTED
    assert detail.history[-1].note.endswith("10 July 2024 (minute 7)")
    window.bench.undo.undo()
    assert register.get_recommendation(desk, sample_register[1]).status.is_open

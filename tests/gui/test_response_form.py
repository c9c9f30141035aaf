"""Log a response: validation, saving through the services, undo, and never losing a half-typed form."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from pcc_desk.gui import prompts
from pcc_desk.gui.dialogs.response_form import ResponseForm, to_qdate
from pcc_desk.model import Assessment, Position, Status
from pcc_desk.services import register

TODAY = dt.date(2024, 6, 1)


@pytest.fixture
def form(qtbot, window, sample_register, desk):
    rec = register.get_recommendation(desk, sample_register[0])
    dialog = ResponseForm(window.bench, rec, window, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_save_is_disabled_until_the_form_is_valid(qtbot, form):
    assert not form.save_button.isEnabled()
    assert "text of the response" in form.ui.problemLabel.text()
    qtbot.keyClicks(form.ui.textEdit, "We accept this recommendation.")
    assert form.save_button.isEnabled()
    assert form.ui.receivedEdit.maximumDate() == to_qdate(TODAY)  # the picker refuses the future
    assert form.ui.receivedEdit.calendarPopup()


def test_logging_a_response_writes_it_and_moves_the_status(
    qtbot, desk, window, form, sample_register
):
    ui = form.ui
    ui.receivedEdit.setDate(to_qdate(dt.date(2023, 5, 2)))
    ui.positionCombo.setCurrentIndex(ui.positionCombo.findData(Position.PARTLY_ACCEPTED))
    ui.assessmentCombo.setCurrentIndex(ui.assessmentCombo.findData(Assessment.NOT_ADDRESSED))
    form.set_text(
        "The Met will consider publishing timescales – in due course."
    )  # non-ASCII: set directly
    assert "Follow-up needed" in ui.statusCombo.itemText(0)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.result() == ResponseForm.DialogCode.Accepted
    stored = register.get_recommendation(desk, sample_register[0])
    assert [r.text for r in stored.responses] == [
        "The Met will consider publishing timescales – in due course."
    ]
    assert stored.responses[0].position is Position.PARTLY_ACCEPTED
    assert stored.responses[0].received == dt.date(2023, 5, 2)
    assert stored.status is Status.FOLLOW_UP_NEEDED

    window.bench.undo.undo()  # undo removes it; the history keeps both changes
    stored = register.get_recommendation(desk, sample_register[0])
    assert stored.responses == () and stored.status is Status.AWAITING_RESPONSE
    assert len(stored.history) == 3
    window.bench.undo.redo()
    assert len(register.get_recommendation(desk, sample_register[0]).responses) == 1


def test_a_chosen_status_and_note_are_recorded(qtbot, desk, form, sample_register):
    ui = form.ui
    ui.receivedEdit.setDate(to_qdate(dt.date(2023, 5, 2)))
    form.set_text("Done.")
    ui.statusCombo.setCurrentIndex(ui.statusCombo.findData(Status.CLOSED_IMPLEMENTED))
    qtbot.keyClicks(ui.noteEdit, "Verified at the June meeting")
    form.accept()
    stored = register.get_recommendation(desk, sample_register[0])
    assert stored.status is Status.CLOSED_IMPLEMENTED
    assert stored.history[-1].note == "Verified at the June meeting"


def test_escape_with_changes_asks_and_cancel_keeps_the_form(
    qtbot, desk, form, questions, sample_register
):
    form.set_text("Half-typed response")
    questions.set(prompts.CANCEL)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert questions.asked and form.isVisible()
    form.close()
    assert len(questions.asked) == 2 and form.isVisible()
    questions.set(prompts.DISCARD)
    form.close()
    assert not form.isVisible()
    assert register.get_recommendation(desk, sample_register[0]).responses == ()


def test_closing_with_changes_can_save(qtbot, desk, form, questions, sample_register):
    form.ui.receivedEdit.setDate(to_qdate(dt.date(2023, 5, 2)))
    form.set_text("We accept this.")
    questions.set(prompts.SAVE)
    form.close()
    assert not form.isVisible()
    assert [r.text for r in register.get_recommendation(desk, sample_register[0]).responses] == [
        "We accept this."
    ]


def test_escape_on_an_untouched_form_just_closes(qtbot, form, questions):
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible() and questions.asked == []


def test_import_from_a_text_file_fills_the_text(qtbot, tmp_path, form):
    letter = tmp_path / "response.txt"
    letter.write_bytes("The Met accepts the Committee\u2019s recommendation.\r\n".encode("cp1252"))
    task = form.import_file(letter)
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert form.ui.textEdit.toPlainText() == "The Met accepts the Committee\u2019s recommendation."


def test_import_from_a_word_file_fills_the_text(qtbot, tmp_path, form):
    import docx

    doc = docx.Document()
    doc.add_paragraph("Dear Chair,")
    doc.add_paragraph("The Met accepts recommendation 1.")
    path = tmp_path / "response.docx"
    doc.save(path)
    task = form.import_file(path)
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert form.ui.textEdit.toPlainText() == "Dear Chair,\n\nThe Met accepts recommendation 1."


def test_a_file_that_is_not_a_letter_is_refused_with_a_message(qtbot, tmp_path, form, monkeypatch):
    shown = []
    monkeypatch.setattr(
        "pcc_desk.gui.workbench.show_error", lambda _parent, error: shown.append(str(error))
    )
    bad = tmp_path / "response.docx"
    bad.write_bytes(b"not a zip at all")
    task = form.import_file(bad)
    qtbot.waitUntil(lambda: not task.running, timeout=10_000)
    assert shown == [
        "response.docx: this is not a Word .docx file (it is damaged or of another kind)."
    ]
    assert form.ui.textEdit.toPlainText() == "" and form.ui.importButton.isEnabled()


def _tiny_pdf(text: str) -> bytes:
    """A one-page PDF with one line of text (Helvetica), xref offsets computed."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_import_from_a_pdf_fills_the_text(qtbot, tmp_path, form):
    path = tmp_path / "response.pdf"
    path.write_bytes(_tiny_pdf("The Met accepts recommendation 2."))
    task = form.import_file(path)
    qtbot.waitUntil(lambda: not task.running, timeout=20_000)
    assert form.ui.textEdit.toPlainText() == "The Met accepts recommendation 2."

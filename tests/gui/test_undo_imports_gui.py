"""Ctrl+Z / Ctrl+Shift+Z of an added recommendation, a reviewed letter import and a transcript import,
through the real widgets offscreen; the register file is checked after each step."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import func, select

from pcc_desk.model import Document, Footnote, Position, Recommendation, Segment, Theme, Transcript
from pcc_desk.paths import resources_dir
from pcc_desk.services import register

LETTER = "pcc-letter-2023-03-17-turnaround-plan.md"
TRANSCRIPT = "pcc-transcript-2022-10-12-sample.txt"


def _count(desk, model) -> int:
    with desk.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def shown_errors(monkeypatch):
    """The messages the window would show in a warning box (the box itself would block the test)."""
    shown: list[str] = []
    monkeypatch.setattr(
        "pcc_desk.gui.workbench.show_error", lambda _parent, error, *a: shown.append(str(error))
    )
    return shown


@pytest.fixture
def register_view(qtbot, window):
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    return screen


def _review_and_import(qtbot, window, path):
    assert window.import_files([path], "letter")
    reg = window.screens["register"]
    qtbot.waitUntil(
        lambda: getattr(reg, "letters", None) is not None and reg.letters.dialog is not None,
        timeout=20_000,
    )
    review = reg.letters.dialog
    qtbot.mouseClick(
        review.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert review.result is not None and review.result.outcome == "imported"
    qtbot.waitUntil(lambda: reg.letters.dialog is None, timeout=5_000)
    return review.result


def test_ctrl_n_then_undo_removes_the_row_and_redo_brings_back_the_same_reference(
    qtbot, window, desk, register_view
):
    def fill(dialog):
        dialog.text_edit.setPlainText("Publish the vetting backlog every month")
        dialog.theme_combo.setEditText("Vetting")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    def when_modal():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, when_modal)
        else:
            fill(dialog)

    QTimer.singleShot(0, when_modal)
    window.new_recommendation()
    (added,) = register.list_recommendations(desk)
    qtbot.waitUntil(lambda: register_view.model.rowCount() == 1, timeout=10_000)
    assert window.undo_action.text().endswith(f"Add {added.ref}")

    window.undo_action.trigger()  # Ctrl+Z
    assert _count(desk, Recommendation) == 0 and _count(desk, Theme) == 0
    qtbot.waitUntil(lambda: register_view.model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(
        lambda: register_view.detail.detail is None, timeout=5_000
    )  # no ghost in the detail

    window.redo_action.trigger()  # Ctrl+Shift+Z
    (again,) = register.list_recommendations(desk)
    assert again.ref == added.ref and again.text == added.text and again.theme == "Vetting"
    qtbot.waitUntil(lambda: register_view.model.rowCount() == 1, timeout=10_000)


def test_undo_of_a_reviewed_import_empties_the_register_and_the_file_imports_again(
    qtbot, window, desk, tmp_path, register_view
):
    letter = tmp_path / LETTER
    shutil.copy(resources_dir() / "samples" / LETTER, letter)
    first = _review_and_import(qtbot, window, letter)
    assert _count(desk, Recommendation) == 22 and _count(desk, Footnote) > 0
    qtbot.waitUntil(lambda: register_view.model.rowCount() == 22, timeout=10_000)
    assert window.undo_action.text().endswith(f"Import {LETTER}")

    window.undo_action.trigger()
    for model in (Recommendation, Footnote, Document, Theme):
        assert _count(desk, model) == 0, model.__name__
    qtbot.waitUntil(lambda: register_view.model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: register_view.detail.detail is None, timeout=5_000)

    window.redo_action.trigger()  # the same reviewed letter, committed again
    assert [r.ref for r in register.list_recommendations(desk)] == list(first.refs)
    qtbot.waitUntil(lambda: register_view.model.rowCount() == 22, timeout=10_000)
    window.undo_action.trigger()
    assert _count(desk, Recommendation) == 0 and _count(desk, Document) == 0

    again = _review_and_import(qtbot, window, letter)  # the file is free to be imported again
    assert again.refs == first.refs and _count(desk, Document) == 1
    qtbot.waitUntil(lambda: register_view.model.rowCount() == 22, timeout=10_000)


def test_undo_of_an_import_is_refused_once_an_ask_is_answered_and_stays_on_the_stack(
    qtbot, window, desk, tmp_path, register_view, shown_errors
):
    letter = tmp_path / LETTER
    shutil.copy(resources_dir() / "samples" / LETTER, letter)
    _review_and_import(qtbot, window, letter)
    register.log_response(
        desk,
        "PCC-2023-03-17/05",
        received=dt.date(2023, 5, 1),
        position=Position.ACCEPTED,
        text="We will.",
    )
    footnotes = _count(desk, Footnote)

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=5_000)
    assert "PCC-2023-03-17/05 has 1 response(s) logged" in shown_errors[0]
    assert (
        _count(desk, Recommendation) == 22
        and _count(desk, Footnote) == footnotes
        and _count(desk, Document) == 1
    )
    stack = window.bench.undo
    assert stack.count() == 1 and stack.index() == 1 and stack.canUndo() and not stack.canRedo()
    assert register.get_recommendation(desk, "PCC-2023-03-17/05").responses


def test_undo_of_a_transcript_import_deletes_it_and_redo_imports_it_again(
    qtbot, window, desk, tmp_path
):
    transcript = tmp_path / TRANSCRIPT
    shutil.copy(resources_dir() / "samples" / TRANSCRIPT, transcript)
    screen = window.show_screen("transcripts")
    with qtbot.waitSignal(screen.transcripts_imported, timeout=20_000):
        assert window.import_files([transcript], "transcript")
    assert _count(desk, Transcript) == 1 and _count(desk, Segment) > 0
    assert window.undo_action.text().endswith(f"Import {TRANSCRIPT}")

    window.undo_action.trigger()
    assert (
        _count(desk, Transcript) == 0 and _count(desk, Segment) == 0 and _count(desk, Document) == 0
    )
    qtbot.waitUntil(lambda: screen.meetings.topLevelItemCount() == 0, timeout=10_000)

    window.redo_action.trigger()
    assert _count(desk, Transcript) == 1 and _count(desk, Document) == 1
    qtbot.waitUntil(lambda: screen.meetings.topLevelItemCount() == 1, timeout=10_000)


def test_undo_of_a_transcript_import_is_refused_once_it_is_quoted(
    qtbot, window, desk, tmp_path, shown_errors
):
    from pcc_desk.services import quotes, transcripts

    transcript = tmp_path / TRANSCRIPT
    shutil.copy(resources_dir() / "samples" / TRANSCRIPT, transcript)
    screen = window.show_screen("transcripts")
    with qtbot.waitSignal(screen.transcripts_imported, timeout=20_000):
        assert window.import_files([transcript], "transcript")
    ref = register.add_recommendation(desk, "Rebuild trust", made=dt.date(2022, 11, 1)).ref
    (meeting,) = transcripts.list_transcripts(desk)
    quotes.create_quote(desk, meeting.id, "That is how we succeed.", refs=[ref])

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=5_000)
    assert "quote(s) attached" in shown_errors[0]
    assert _count(desk, Transcript) == 1 and window.bench.undo.index() == 1


def test_redo_of_an_import_is_dropped_when_the_file_was_imported_again_meanwhile(
    qtbot, window, desk, tmp_path, register_view, shown_errors
):
    from pcc_desk.services import letter_import

    letter = tmp_path / LETTER
    shutil.copy(resources_dir() / "samples" / LETTER, letter)
    _review_and_import(qtbot, window, letter)
    window.undo_action.trigger()
    again = letter_import.commit(
        desk, letter_import.preview(desk, letter)
    )  # e.g. from the command line
    window.redo_action.trigger()
    assert shown_errors and "already imported" in shown_errors[0]
    assert (
        window.bench.undo.count() == 0
    )  # the stale step is gone: no later undo can take out the other import
    assert (
        _count(desk, Document) == 1
        and letter_import.find_import(desk, letter).document_id == again.document_id
    )

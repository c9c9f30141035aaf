"""The letter review dialog and letter imports, driven through the real widgets, the register checked after."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from pcc_desk.paths import resources_dir
from pcc_desk.services import register

SAMPLE = "pcc-letter-2023-03-17-turnaround-plan.md"


@pytest.fixture
def sample_letter(tmp_path) -> Path:
    target = tmp_path / SAMPLE
    shutil.copy(resources_dir() / "samples" / SAMPLE, target)
    return target


@pytest.fixture
def errors_shown(monkeypatch):
    """Error boxes recorded instead of shown (a modal box would block the test)."""
    shown: list[str] = []
    from pcc_desk.gui import letter_imports, workbench
    from pcc_desk.gui.dialogs import letter_review

    for module in (letter_imports, letter_review, workbench):
        monkeypatch.setattr(
            module, "show_error", lambda _parent, error, title="": shown.append(str(error))
        )
    return shown


def open_review(qtbot, window, path):
    """File → Import letter's hook, as the menu and a drop call it; waits for the dialog."""
    assert window.import_files([path], "letter")
    screen = window.screens["register"]
    qtbot.waitUntil(
        lambda: getattr(screen, "letters", None) is not None and screen.letters.dialog is not None,
        timeout=20_000,
    )
    return screen.letters.dialog


def select_ask(dialog, index):
    dialog.ui.asksTree.clearSelection()
    item = dialog.item_for(index)
    item.setSelected(True)
    dialog.ui.asksTree.setCurrentItem(item, 1)


def test_sample_letter_imported_with_one_ask_dropped_one_edited_one_suggestion_accepted(
    qtbot, window, desk, sample_letter
):
    dialog = open_review(qtbot, window, sample_letter)
    letter = dialog.letter
    assert dialog.ui.senderEdit.text() == "Susan Hall AM"
    assert dialog.ui.recipientEdit.text() == "Sir Mark Rowley"
    assert dialog.ui.recipientRoleEdit.text() == "Commissioner of Police of the Metropolis"
    assert "Turnaround Plan" in dialog.ui.subjectEdit.text()
    assert dialog.ui.asksTree.topLevelItemCount() == len(letter.themes)
    assert dialog.item_for(0).text(0) == "PCC-2023-03-17/01"
    assert dialog.ui.suggestedList.count() == len(letter.suggested) == 5
    assert all(
        dialog.ui.suggestedList.item(r).checkState() == Qt.CheckState.Unchecked for r in range(5)
    )
    dropped, edited_from = letter.asks[3].text, letter.asks[0].text
    suggestion = letter.suggested[1].text

    select_ask(dialog, 3)
    qtbot.mouseClick(dialog.ui.dropButton, Qt.MouseButton.LeftButton)
    assert len(dialog.letter.asks) == 21
    select_ask(dialog, 0)
    assert dialog.ui.askEdit.toPlainText() == edited_from
    assert edited_from in dialog.ui.contextView.toPlainText()  # its paragraph
    assert "font-weight:700" in dialog.ui.contextView.toHtml()  # with the ask in bold
    dialog.ui.askEdit.setPlainText(
        "Publish timescales for the measures of success, and how the Met will report on them."
    )
    assert dialog.item_for(0).text(1).startswith("Publish timescales")
    dialog.ui.suggestedList.item(1).setCheckState(Qt.CheckState.Checked)
    assert dialog.import_button.text() == "&Import 22 asks"

    qtbot.mouseClick(
        dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    assert dialog.result is not None and dialog.result.outcome == "imported"

    rows = register.list_recommendations(desk)
    texts = {r.text for r in rows}
    assert len(rows) == 22
    assert dropped not in texts and edited_from not in texts
    assert (
        "Publish timescales for the measures of success, and how the Met will report on them."
        in texts
    )
    assert suggestion in texts
    first = register.get_recommendation(desk, "PCC-2023-03-17/01")
    assert first.text.startswith("Publish timescales") and first.theme == "Delivering the mission"
    assert first.addressee == "Sir Mark Rowley"
    assert [n.number for n in first.footnotes] == [1]
    # the register shows the new rows and selects the first
    screen = window.screens["register"]
    qtbot.waitUntil(lambda: screen.model.rowCount() == 22, timeout=10_000)
    assert "22 recommendation(s) (PCC-2023-03-17/01 to PCC-2023-03-17/22)" in dialog.result.message


def test_merge_split_and_undo_in_the_review_change_what_is_imported(
    qtbot, window, desk, sample_letter
):
    dialog = open_review(qtbot, window, sample_letter)
    first, second = dialog.letter.asks[1].text, dialog.letter.asks[2].text
    dialog.ui.asksTree.clearSelection()
    dialog.item_for(1).setSelected(True)
    dialog.item_for(2).setSelected(True)
    assert dialog.ui.mergeButton.isEnabled()
    qtbot.mouseClick(dialog.ui.mergeButton, Qt.MouseButton.LeftButton)
    assert dialog.letter.asks[1].text == f"{first} {second}"
    assert len(dialog.letter.asks) == 21
    qtbot.mouseClick(dialog.ui.undoButton, Qt.MouseButton.LeftButton)
    assert len(dialog.letter.asks) == 22 and dialog.letter.asks[1].text == first

    select_ask(dialog, 0)
    cursor = dialog.ui.askEdit.textCursor()
    text = dialog.letter.asks[0].text
    cut = text.index(" and how")
    cursor.setPosition(cut)
    dialog.ui.askEdit.setTextCursor(cursor)
    qtbot.mouseClick(dialog.ui.splitButton, Qt.MouseButton.LeftButton)
    assert dialog.letter.asks[0].text == text[:cut].strip()
    assert dialog.letter.asks[1].text == text[cut:].strip()
    assert dialog.item_for(1).text(0) == "PCC-2023-03-17/02"  # references proposed again
    dialog.ui.subjectEdit.setText("Response to the draft Turnaround Plan")

    assert dialog.import_letter()
    refs = [r.ref for r in register.list_recommendations(desk)]
    assert len(refs) == 23
    assert register.get_recommendation(desk, "PCC-2023-03-17/02").text == text[cut:].strip()
    with desk.reading() as session:
        from sqlalchemy import select

        from pcc_desk.model import Document

        assert (
            session.scalars(select(Document.subject)).one()
            == "Response to the draft Turnaround Plan"
        )


def test_accepting_a_suggestion_moves_it_into_the_asks_under_its_theme(
    qtbot, window, sample_letter
):
    dialog = open_review(qtbot, window, sample_letter)
    suggestion = dialog.letter.suggested[0]
    assert not dialog.ui.acceptButton.isEnabled()
    dialog.ui.suggestedList.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(dialog.ui.acceptButton, Qt.MouseButton.LeftButton)
    assert suggestion in dialog.letter.asks and suggestion not in dialog.letter.suggested
    assert dialog.ui.suggestedList.count() == 4
    index = dialog.letter.asks.index(suggestion)
    assert dialog.item_for(index).parent().text(0).startswith(suggestion.theme)
    assert dialog.selected_indices() == [index]


def test_cancel_after_edits_asks_first_and_discarding_writes_nothing(
    qtbot, window, desk, sample_letter, questions
):
    from pcc_desk.gui import prompts

    dialog = open_review(qtbot, window, sample_letter)
    select_ask(dialog, 0)
    dialog.ui.askEdit.setPlainText("Changed, then cancelled")
    cancel = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Cancel)
    questions.set(prompts.CANCEL)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert questions.asked == [f"the review of {SAMPLE}"] and dialog.isVisible()
    questions.set(prompts.DISCARD)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert register.list_recommendations(desk) == []


def test_closing_the_review_with_edits_can_save_them(qtbot, window, desk, sample_letter, questions):
    from pcc_desk.gui import prompts

    dialog = open_review(qtbot, window, sample_letter)
    dialog.ui.subjectEdit.setText("Turnaround Plan")
    questions.set(prompts.SAVE)
    dialog.close()
    assert dialog.result is not None and len(register.list_recommendations(desk)) == 22


def test_a_letter_imported_before_is_refused_with_the_date(
    qtbot, window, desk, sample_letter, errors_shown
):
    open_review(qtbot, window, sample_letter).import_letter()
    screen = window.screens["register"]
    qtbot.waitUntil(lambda: screen.letters.dialog is None, timeout=5000)
    window.import_files([sample_letter], "letter")
    qtbot.waitUntil(lambda: bool(errors_shown), timeout=20_000)
    assert errors_shown[0].startswith(f"{SAMPLE}: already imported on ")
    assert screen.letters.dialog is None
    assert len(register.list_recommendations(desk)) == 22


def test_an_unreadable_file_is_one_clear_message_and_nothing_is_written(
    qtbot, window, desk, tmp_path, errors_shown
):
    bad = tmp_path / "letter.docx"
    bad.write_bytes(b"this is not a Word file")
    window.import_files([bad], "letter")
    qtbot.waitUntil(lambda: bool(errors_shown), timeout=20_000)
    assert errors_shown[0].startswith("letter.docx: ")
    assert "Traceback" not in errors_shown[0]
    assert register.list_recommendations(desk) == []


def test_a_missing_date_must_be_given_before_import(qtbot, window, desk, tmp_path, errors_shown):
    undated = tmp_path / "undated.md"
    text = (
        (resources_dir() / "samples" / SAMPLE)
        .read_text(encoding="utf-8")
        .replace("17 March 2023", "")
    )
    undated.write_text(text, encoding="utf-8")
    dialog = open_review(qtbot, window, undated)
    if dialog.letter.head.date is not None:
        pytest.skip("the reader found a date elsewhere in the letter")
    assert dialog.ui.dateEdit.text() == "not read: give the date"
    assert not dialog.import_letter()
    assert "Give the date" in errors_shown[0]
    assert register.list_recommendations(desk) == []
    from PySide6.QtCore import QDate

    dialog.ui.dateEdit.setDate(QDate(2023, 3, 17))
    assert dialog.import_letter()
    assert register.list_recommendations(desk)[0].made.isoformat() == "2023-03-17"


def test_a_folder_of_letters_imports_each_file_and_lists_the_failures(
    qtbot, window, desk, tmp_path, sample_letter
):
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(sample_letter, folder / SAMPLE)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "notes.png").write_bytes(b"ignored")
    window.import_files([folder], "letter")
    screen = window.screens["register"]
    with qtbot.waitSignal(screen.letters.batch_finished, timeout=60_000) as finished:
        pass
    report = finished.args[0]
    assert len(report.results) == 2
    assert len(report.added) == 1 and len(report.refs) == 22
    assert [r.name for r in report.refused] == ["broken.pdf"]
    assert [r.name for r in report.skipped] == ["notes.png"]
    box = screen.letters.report_box
    assert "1 of 2 file(s) imported" in box.text()
    assert "broken.pdf" in box.informativeText()
    box.close()
    assert len(register.list_recommendations(desk)) == 22


def test_a_dropped_letter_opens_the_review_and_a_dropped_transcript_does_not(
    qtbot, window, tmp_path, sample_letter
):
    from pcc_desk.gui.file_kinds import TRANSCRIPT, group_by_kind

    transcript = tmp_path / "meeting.txt"
    transcript.write_text(
        "Police and Crime Committee - 12 October 2022\n\n"
        "Susan Hall AM (Chairman): Welcome to the meeting.\n\n"
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis): Thank you, Chair.\n",
        encoding="utf-8",
    )
    assert group_by_kind([sample_letter, transcript]) == {
        "letter": [sample_letter],
        TRANSCRIPT: [transcript],
    }
    window.import_files([sample_letter])
    screen = window.screens["register"]
    qtbot.waitUntil(
        lambda: getattr(screen, "letters", None) is not None and screen.letters.dialog is not None,
        timeout=20_000,
    )
    assert screen.letters.dialog.preview.file_name == SAMPLE

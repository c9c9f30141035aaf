"""The "Letter wording" tab of Settings: a clerk changes a fixed paragraph and the next letter uses it."""

from __future__ import annotations

import docx
from PySide6.QtCore import Qt

from pcc_desk.letters import writer
from pcc_desk.services import letters
from pcc_desk.services import settings as committee_settings


def _dialog(qtbot, window):
    from pcc_desk.gui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.bench, window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _replace_text(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def test_a_clerk_rewords_the_opening_paragraph_and_the_next_letter_uses_it(
    qtbot, tmp_path, desk, window, sample_register
):
    dialog = _dialog(qtbot, window)
    ui = dialog.ui
    labels = [ui.wordingList.item(r).text() for r in range(ui.wordingList.count())]
    assert "Opening paragraph" in labels and len(labels) == len(writer.wording())
    dialog.select_wording("opening")
    assert ui.wordingEdit.toPlainText() == writer.wording()["opening"]
    assert (
        "{originals}" in ui.placeholdersLabel.text()
        and "{meeting}" not in ui.placeholdersLabel.text()
    )
    assert not ui.restoreButton.isEnabled()

    _replace_text(
        qtbot,
        ui.wordingEdit,
        "Writing for the {committee}, I return to {originals} with our questions.",
    )
    row = ui.wordingList.currentRow()
    assert (
        ui.wordingList.item(row).text().startswith("✎ ") and ui.wordingList.item(row).font().bold()
    )
    assert ui.restoreButton.isEnabled() and dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted

    assert committee_settings.get_settings(desk).wording == {
        "opening": "Writing for the {committee}, I return to {originals} with our questions."
    }
    out = tmp_path / "follow-up.docx"
    letters.draft_letter(desk, letters.Selection(refs=tuple(sample_register[:2])), out)
    paragraphs = [p.text for p in docx.Document(out).paragraphs]
    opening = [
        p
        for p in paragraphs
        if p.startswith("Writing for the Police and Crime Committee, I return to our ")
    ]
    assert len(opening) == 1 and opening[0].endswith(" with our questions.")
    assert not any(p.startswith("I am writing to you on behalf of") for p in paragraphs)


def test_an_invalid_placeholder_disables_save_and_says_why(qtbot, desk, window):
    dialog = _dialog(qtbot, window)
    ui = dialog.ui
    dialog.select_wording("closing")
    _replace_text(qtbot, ui.wordingEdit, "Please reply by {deadline}.")
    assert not dialog.save_button.isEnabled()
    assert "{deadline}" in ui.problemLabel.text() and "{reply_by}" in ui.problemLabel.text()
    assert "cannot use" in ui.wordingState.text()
    assert ui.wordingList.currentItem().text().startswith("⚠ ")
    dialog.accept()  # refused while invalid: nothing is written
    assert dialog.isVisible() and committee_settings.get_settings(desk).wording == {}

    _replace_text(qtbot, ui.wordingEdit, "Please reply by {reply_by}.")
    assert dialog.save_button.isEnabled() and ui.problemLabel.text() == ""


def test_restore_default_brings_back_the_default_and_only_overrides_are_stored(qtbot, desk, window):
    committee_settings.set_wording(desk, "sign_off", "Yours faithfully,")
    committee_settings.set_wording(desk, "closing", "Please reply by {reply_by}.")
    dialog = _dialog(qtbot, window)
    ui = dialog.ui
    marked = [
        ui.wordingList.item(r).text()
        for r in range(ui.wordingList.count())
        if ui.wordingList.item(r).text().startswith("✎ ")
    ]
    assert sorted(marked) == ["✎ Closing paragraph", "✎ Sign-off"]
    dialog.select_wording("sign_off")
    assert ui.wordingEdit.toPlainText() == "Yours faithfully,"
    qtbot.mouseClick(ui.restoreButton, Qt.MouseButton.LeftButton)
    assert ui.wordingEdit.toPlainText() == writer.wording()["sign_off"]
    assert ui.wordingList.currentItem().text() == "Sign-off"
    dialog.accept()
    assert committee_settings.get_settings(desk).wording == {
        "closing": "Please reply by {reply_by}."
    }

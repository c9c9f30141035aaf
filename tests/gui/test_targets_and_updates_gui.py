"""Target dates and progress updates in the workbench: the response form logs an update with a
target, the detail shows the target and the next update and revises the target through the target
dialog (undoable), and the Due screen lists the progress updates due."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from pcc_desk.gui.dialogs.response_form import ResponseForm, to_qdate
from pcc_desk.model import Implementation, Position, ResponseKind
from pcc_desk.services import register


def _when_modal(act) -> None:
    def attempt():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, attempt)
            return
        act(dialog)

    QTimer.singleShot(0, attempt)


def test_a_progress_update_with_a_target_through_the_form(qtbot, window, desk, sample_register):
    ref = sample_register[1]  # partly accepted on 2 May 2023
    rec = register.get_recommendation(desk, ref)
    form = ResponseForm(window.bench, rec, window, today=dt.date(2024, 6, 1))
    qtbot.addWidget(form)
    ui = form.ui
    ui.kindCombo.setCurrentIndex(ui.kindCombo.findData(ResponseKind.PROGRESS_UPDATE))
    assert not ui.positionCombo.isEnabled()  # an update keeps the response's position
    assert not ui.targetEdit.isEnabled()
    ui.targetCheck.setChecked(True)
    assert ui.targetEdit.isEnabled()
    ui.targetEdit.setDate(to_qdate(dt.date(2024, 3, 31)))
    ui.receivedEdit.setDate(to_qdate(dt.date(2023, 11, 1)))
    ui.implementationCombo.setCurrentIndex(
        ui.implementationCombo.findData(Implementation.IN_PROGRESS)
    )
    form.set_text("Boards reviewed in half the boroughs.")
    assert "Follow-up needed" in ui.statusCombo.itemText(0)  # the status it had stays
    form.accept()
    stored = register.get_recommendation(desk, ref)
    update = stored.responses[-1]
    assert (update.kind, update.position) == (
        ResponseKind.PROGRESS_UPDATE,
        Position.PARTLY_ACCEPTED,
    )
    assert stored.target == dt.date(2024, 3, 31)
    assert stored.next_update_due == dt.date(2024, 5, 1)
    window.bench.undo.undo()
    stored = register.get_recommendation(desk, ref)
    assert len(stored.responses) == 1 and stored.target is None


def test_the_detail_shows_and_revises_the_target(
    qtbot, window, desk, register_screen, sample_register
):
    ref = sample_register[1]
    register.revise_target(desk, ref, dt.date(2024, 3, 31), "Given by letter")
    register_screen.select_ref(ref)
    detail = register_screen.detail
    qtbot.waitUntil(lambda: "target 31 March 2024" in detail.heading.text(), timeout=10_000)
    assert "next update due 2 November 2023" in detail.heading.text()
    rows = [
        detail.history_tree.topLevelItem(i).text(2)
        for i in range(detail.history_tree.topLevelItemCount())
    ]
    assert "Target none → 31 March 2024" in rows

    def fill(dialog):
        dialog.target_edit.setDate(to_qdate(dt.date(2024, 9, 30)))
        dialog.note_edit.setText("Contract delayed")
        assert dialog.ok_button.isEnabled()
        dialog.accept()

    _when_modal(fill)
    detail.target_button.click()
    stored = register.get_recommendation(desk, ref)
    assert stored.target == dt.date(2024, 9, 30)
    assert stored.target_revisions[-1].reason == "Contract delayed"
    qtbot.waitUntil(lambda: "target 30 September 2024" in detail.heading.text(), timeout=10_000)
    window.bench.undo.undo()
    assert register.get_recommendation(desk, ref).target == dt.date(2024, 3, 31)


def test_the_target_dialog_needs_a_reason_and_another_date(qtbot, desk, sample_register):
    from pcc_desk.gui.dialogs.status_change import ReviseTargetDialog

    ref = sample_register[1]
    register.revise_target(desk, ref, dt.date(2024, 3, 31), "Given")
    dialog = ReviseTargetDialog(register.get_recommendation(desk, ref))
    qtbot.addWidget(dialog)
    dialog.note_edit.setText("Why")
    assert not dialog.ok_button.isEnabled()  # the same date
    dialog.none_check.setChecked(True)
    assert dialog.ok_button.isEnabled() and dialog.new_target() is None


def test_the_due_screen_lists_the_progress_updates_due(qtbot, window, desk, sample_register):
    screen = window.show_screen("due")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    model = screen.updates_model
    # the partly accepted ask, answered on 2 May 2023: its update was due on 2 November 2023
    assert [model.record(r).ref for r in range(model.rowCount())] == [sample_register[1]]
    assert "<b>Progress updates due</b>: 1 " in screen.updates_label.text()
    register.log_response(
        desk,
        sample_register[1],
        received=dt.date.today(),
        position=None,
        text="Done.",
        implementation=Implementation.REPORTED_COMPLETE,
        kind=ResponseKind.PROGRESS_UPDATE,
    )
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=10_000)


def test_the_letters_screen_ticks_the_progress_updates_due(qtbot, window, desk, sample_register):
    screen = window.show_screen("letters")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    index = screen.tick_combo.findData("updates:")
    assert index > 0
    screen._tick_group(index)
    assert screen.ticked_refs() == [sample_register[1]]

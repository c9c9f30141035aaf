"""Due & overdue, and the Settings dialog."""

from __future__ import annotations

import datetime as dt

from pcc_desk.model import Status
from pcc_desk.services import register
from pcc_desk.services import settings as committee_settings


def test_due_view_lists_overdue_and_follow_up(qtbot, desk, window, sample_register):
    screen = window.show_screen("due")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    overdue = [screen.overdue_model.record(r).ref for r in range(screen.overdue_model.rowCount())]
    # the two asks awaiting a response are long past due; the one with a response is not "overdue"
    assert overdue == [sample_register[0], sample_register[2]]
    follow = [screen.follow_model.record(r).ref for r in range(screen.follow_model.rowCount())]
    assert follow == [sample_register[1]]
    assert "2 awaiting" in screen.overdue_label.text()
    assert screen.counts["Neighbourhood policing"] == {Status.FOLLOW_UP_NEEDED: 1}


def test_due_view_follows_changes_and_opens_a_recommendation(qtbot, desk, window, sample_register):
    screen = window.show_screen("due")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    register.change_status(desk, sample_register[0], Status.SUPERSEDED, "Replaced")
    qtbot.waitUntil(lambda: screen.overdue_model.rowCount() == 1, timeout=10_000)
    screen.open_requested.emit(sample_register[2])
    register_screen = window.screens["register"]
    qtbot.waitUntil(lambda: register_screen.current_ref() == sample_register[2], timeout=10_000)
    assert window.current_key() == "register"


def test_chart_exports_as_png(qtbot, tmp_path, window, sample_register):
    from PySide6.QtGui import QImage

    screen = window.show_screen("due")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    saved = screen.export_chart(tmp_path / "briefing chart")
    assert saved.name == "briefing chart.png"
    image = QImage(str(saved))
    assert not image.isNull() and image.width() > 300


def test_settings_are_saved_in_the_register_and_the_database_choice_in_window_state(
    qtbot, desk, window, tmp_path
):
    from pcc_desk.gui import state
    from pcc_desk.gui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.bench, window)
    qtbot.addWidget(dialog)
    ui = dialog.ui
    assert ui.databaseEdit.text() == str(desk.location.path)
    ui.committeeEdit.setText("")
    assert not dialog.save_button.isEnabled()
    ui.committeeEdit.setText("Police and Crime Committee")
    ui.chairEdit.setText("Marina Ahmad AM")
    ui.clerkEmailEdit.setText("not an address")
    assert not dialog.save_button.isEnabled()
    ui.clerkEmailEdit.setText("clerk@london.gov.uk")
    template = tmp_path / "letterhead.docx"
    ui.templateEdit.setText(str(template))
    assert not dialog.save_button.isEnabled()  # the file must exist
    import docx

    docx.Document().save(template)
    ui.templateEdit.setText("")
    ui.templateEdit.setText(str(template))
    assert dialog.save_button.isEnabled()
    other = tmp_path / "other.sqlite3"
    dialog.set_database(str(other))
    dialog.accept()
    stored = committee_settings.get_settings(desk)
    assert (stored.chair, stored.clerk_email, stored.letter_template) == (
        "Marina Ahmad AM",
        "clerk@london.gov.uk",
        str(template),
    )
    assert state.chosen_database() == str(other)


def test_app_opens_the_database_chosen_in_settings_unless_told_otherwise(tmp_path, monkeypatch):
    import argparse

    from pcc_desk.gui import state

    state.choose_database(str(tmp_path / "chosen.sqlite3"))
    assert state.database_argument(argparse.Namespace(db=None)) == str(tmp_path / "chosen.sqlite3")
    assert state.database_argument(argparse.Namespace(db="given.sqlite3")) == "given.sqlite3"
    monkeypatch.setenv("PCC_DESK_DB", str(tmp_path / "env.sqlite3"))
    assert (
        state.database_argument(argparse.Namespace(db=None)) is None
    )  # storage reads the variable


def test_new_due_date_dialog_needs_a_reason_and_another_date(qtbot, desk, sample_register):
    from pcc_desk.gui.dialogs.response_form import to_qdate
    from pcc_desk.gui.dialogs.status_change import ReviseDueDialog

    rec = register.get_recommendation(desk, sample_register[0])
    dialog = ReviseDueDialog(rec)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.due_edit.setDate(to_qdate(dt.date(2023, 8, 1)))
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.note_edit, "Extension agreed")
    assert dialog.ok_button.isEnabled() and dialog.new_due() == dt.date(2023, 8, 1)


def test_window_state_stays_beside_the_data_when_the_data_folder_is_overridden(
    tmp_path, monkeypatch
):
    from pcc_desk.gui import state

    monkeypatch.setenv("PCC_DESK_DATA_DIR", str(tmp_path / "portable"))
    state.choose_database(str(tmp_path / "x.sqlite3"))
    assert (tmp_path / "portable" / "pcc-desk-window.ini").exists()
    assert state.chosen_database() == str(tmp_path / "x.sqlite3")


def test_due_screen_exports_the_calendar(qtbot, tmp_path, window, sample_register):
    import icalendar

    screen = window.show_screen("due")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    written = []
    screen.export_calendar(tmp_path / "dates.ics", on_done=written.append)
    qtbot.waitUntil(lambda: bool(written), timeout=10_000)
    cal = icalendar.Calendar.from_ical((tmp_path / "dates.ics").read_bytes())
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    # the two asks awaiting a response; the one partly accepted has its progress update to ask for
    assert summaries == sorted(
        [
            f"Response due: {sample_register[0]} (Sir Mark Rowley)",
            f"Response due: {sample_register[2]} (Sophie Linden)",
            f"Progress update due: {sample_register[1]} (Sir Mark Rowley)",
        ]
    )

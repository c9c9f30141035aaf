"""Backups while the app runs (time driven by an injected clock), and File → Backups: back up now, restore."""

from __future__ import annotations

import datetime as dt
import sqlite3

from PySide6.QtCore import Qt

from pcc_desk import backup
from pcc_desk.services import register


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def _scheduler(window):
    clock = Clock()
    scheduler = window.backups
    scheduler.policy.clock = clock
    scheduler.after_change.setInterval(0)
    return scheduler, clock


def _add(desk, text: str):
    return register.add_recommendation(desk, text, made=dt.date(2024, 1, 1))


def _backups(desk):
    return backup.list_backups(desk.location)


def _wait_for_after_change(qtbot, scheduler, change):
    with qtbot.waitSignal(scheduler.after_change.timeout, timeout=5_000):
        change()


def test_a_backup_is_taken_after_a_change_and_not_without_one(qtbot, window, desk):
    scheduler, clock = _scheduler(window)
    assert scheduler.ticker.isActive() and scheduler.ticker.interval() <= 30 * 60 * 1000
    assert scheduler.check() is None and _backups(desk) == []  # nothing changed: no backup
    _wait_for_after_change(qtbot, scheduler, lambda: _add(desk, "First"))
    assert [b.label for b in _backups(desk)] == ["auto"]
    assert _backups(desk)[0].taken == clock.now

    clock.advance(minutes=10)
    _wait_for_after_change(qtbot, scheduler, lambda: _add(desk, "Second"))
    assert len(_backups(desk)) == 1, "at most one backup every 30 minutes"
    clock.advance(minutes=21)  # 31 minutes after the first: the next tick takes it
    assert scheduler.check() is not None
    assert len(_backups(desk)) == 2
    clock.advance(hours=2)
    assert scheduler.check() is None, "nothing changed since the last backup"
    assert len(_backups(desk)) == 2


def test_closing_the_window_backs_up_only_if_something_changed(qtbot, window, desk):
    scheduler, _clock = _scheduler(window)
    scheduler.after_change.setInterval(60 * 60 * 1000)  # only the close takes a backup here
    _add(desk, "Changed before closing")
    window.close()
    assert [b.label for b in _backups(desk)] == ["on-exit"]


def test_closing_without_changes_takes_no_backup(qtbot, window, desk):
    window.close()
    assert _backups(desk) == []


def test_a_failed_backup_is_a_warning_in_the_status_bar(qtbot, window, desk):
    scheduler, _clock = _scheduler(window)
    desk.location.backups_dir.parent.mkdir(parents=True, exist_ok=True)
    desk.location.backups_dir.write_text("not a folder")  # the backup cannot be written
    _wait_for_after_change(qtbot, scheduler, lambda: _add(desk, "Changed"))
    message = window.statusBar().currentMessage()
    assert message.startswith("Warning:") and "backup could not be written" in message
    assert window.isVisible()


def test_back_up_now_lists_the_backup_with_its_date_and_kind(qtbot, window, desk):
    from pcc_desk.gui.dialogs.backups import BackupsDialog

    dialog = BackupsDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    info = _backups(desk)[0]
    assert dialog.table.item(0, 0).text() == info.describe()
    assert dialog.table.item(0, 1).text() == "Asked for"
    assert dialog.restore_button.isEnabled()


def test_restore_round_trips_through_the_dialog(qtbot, window, desk, sample_register, monkeypatch):
    from pcc_desk.gui.dialogs import backups as backups_dialog

    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    dialog = backups_dialog.BackupsDialog(window)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    added = _add(desk, "Added after the backup")
    first = sample_register[0]
    register.edit_recommendation(desk, first, text="Edited after the backup")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 4, timeout=10_000)
    screen.select_ref(first)
    assert screen.detail.ask_edit.toPlainText() == "Edited after the backup"

    asked = []
    monkeypatch.setattr(
        backups_dialog, "ask_restore", lambda parent, when: asked.append(when) or True
    )
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert asked == [_backups(desk)[0].describe()]

    reopened = window.bench.desk
    try:
        assert reopened is not desk
        assert sorted(r.ref for r in register.list_recommendations(reopened)) == sorted(
            sample_register
        )
        qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10_000)
        assert screen.detail.ask_edit.toPlainText() == "Publish timescales for the reform"
        assert "kept as" in window.statusBar().currentMessage()
        # the file in use before was set aside, not deleted: it still holds the later recommendation
        aside = list(desk.location.path.parent.glob("register.replaced-*.sqlite3"))
        assert len(aside) == 1
        conn = sqlite3.connect(aside[0])
        try:
            assert conn.execute(
                "SELECT count(*) FROM recommendations WHERE ref = ?", (added.ref,)
            ).fetchone() == (1,)
        finally:
            conn.close()
        # the window listens to the reopened register: a change there shows on screen
        _add(reopened, "Added after the restore")
        qtbot.waitUntil(lambda: screen.model.rowCount() == 4, timeout=10_000)
        assert window.undo_stack.count() == 0
    finally:
        window.close()
        reopened.close()


def test_restore_is_refused_while_an_edit_is_unsaved(
    qtbot, window, desk, sample_register, monkeypatch
):
    from pcc_desk.gui.dialogs import backups as backups_dialog

    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    backup.take_backup(desk.location, "manual")
    screen.select_ref(sample_register[0])
    screen.detail.ask_edit.setPlainText("An edit not saved yet")
    assert screen.has_unsaved_changes()
    errors, asked = [], []
    monkeypatch.setattr(
        backups_dialog, "show_error", lambda parent, error: errors.append(str(error))
    )
    monkeypatch.setattr(
        backups_dialog, "ask_restore", lambda parent, when: asked.append(when) or True
    )
    dialog = backups_dialog.BackupsDialog(window)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert errors and "nothing was restored" in errors[0] and asked == []
    assert window.bench.desk is desk
    assert not list(desk.location.path.parent.glob("register.replaced-*"))

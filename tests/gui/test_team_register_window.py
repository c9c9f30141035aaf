"""The desktop on a team register (PostgreSQL): the register's rows on screen, and none of the
local-file features (automatic backups, the backups dialog) that have no file to work on."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.backends("postgresql")


def test_the_window_shows_a_team_registers_rows_and_takes_no_backups(
    qtbot, window, sample_register, monkeypatch
):
    from pcc_desk.gui.dialogs import backups as backups_dialog

    assert window.bench.desk.location.is_server
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    assert screen.model.rowCount() == len(sample_register)
    assert window.backups is not None and not window.backups.enabled
    assert window.backups.check() is None and window.backups.on_exit() is None
    opened = []
    monkeypatch.setattr(backups_dialog.BackupsDialog, "exec", lambda self: opened.append(self))
    window.open_backups()
    assert opened == []
    assert "backed up on its server" in window.statusBar().currentMessage()

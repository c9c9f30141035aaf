"""File → Work offline… with old transcripts left out (the spin box), on a real PostgreSQL: the copy
lacks the old unquoted transcript, keeps the recent one, and the dialog says what was left out."""

from __future__ import annotations

import datetime as dt

import pytest
from support.transcript_samples import write_meeting_txt

from pcc_desk.services import Desk, sync, transcripts

pytestmark = pytest.mark.backends("postgresql")


def test_work_offline_can_leave_out_old_transcripts(qtbot, pg_register, tmp_path, monkeypatch):
    from pcc_desk.gui.dialogs import work_offline
    from pcc_desk.gui.main_window import MainWindow

    today = dt.date.today()
    with Desk.open(pg_register) as server:
        old, recent = (
            transcripts.import_transcript(
                server,
                write_meeting_txt(tmp_path, name, today.replace(year=today.year - age), name),
            ).transcript
            for name, age in (("oldmeeting", 6), ("newmeeting", 1))
        )
    asked: list[str] = []
    monkeypatch.setattr(work_offline, "ask_open_copy", lambda _p, text: asked.append(text) or False)
    desk = Desk.open(pg_register)
    win = MainWindow(desk, restore=False)
    qtbot.addWidget(win)
    dialog = work_offline.WorkOfflineDialog(win.bench, win)
    assert dialog.years_spin.value() == 0  # by default the copy holds every transcript
    assert dialog.years_spin.text() == "keep them all"
    dialog.years_spin.setValue(3)
    target = tmp_path / "laptop.sqlite3"
    dialog.path_edit.setText(str(target))
    assert dialog.start() is not None
    qtbot.waitUntil(lambda: dialog.copied is not None, timeout=60_000)
    assert asked and "1 transcript older than 3 years left out" in asked[0]
    with Desk.open(target) as laptop:
        kept = {t.id for t in transcripts.list_transcripts(laptop)}
        assert kept == {recent.id} and old.id not in kept
        assert str(old.id) in sync.origin(laptop).left_out
    win.runner.wait(10_000)
    desk.close()

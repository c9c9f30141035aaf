"""A folder of transcripts imported from the window, with the next files read in a child process:
the window gets every transcript, and Cancel ends the import at once though the child is busy."""

from __future__ import annotations

import datetime as dt
import time

from support.batch_folders import transcript_docx
from support.slow_reading import parse_slowly_in_the_child, waiting_for_the_child

from pcc_desk.services import Desk, batch_import, transcripts
from pcc_desk.services.batch_import import Outcome


def _folder(root, n):
    root.mkdir()
    for k in range(n):
        transcript_docx(root / f"meeting-{k}.docx", dt.date(2023, 1 + k, 10), f"Topic {k}", 3 + k)
    return root


def _window(qtbot, db):
    from pcc_desk.gui.main_window import MainWindow

    desk = Desk.open(db)
    window = MainWindow(desk)
    qtbot.addWidget(window)
    window.show()
    return desk, window


def test_the_window_imports_a_folder_read_ahead(qtbot, tmp_path, template_db, monkeypatch):
    db = tmp_path / "register.sqlite3"
    db.write_bytes(template_db.read_bytes())
    folder = _folder(tmp_path / "meetings", 5)
    made = waiting_for_the_child(monkeypatch)
    desk, window = _window(qtbot, db)
    try:
        window.import_files([folder], "transcript")
        screen = window.screens["transcripts"]
        with qtbot.waitSignal(screen.transcripts_imported, timeout=60_000) as finished:
            pass
        batch = finished.args[0]
        assert [r.outcome for r in batch.results] == [Outcome.IMPORTED] * 5
        assert made and made[0].read_by_child == 4 and made[0].exitcode == 0
        assert sorted(t.segment_count for t in transcripts.list_transcripts(desk)) == [
            3,
            4,
            5,
            6,
            7,
        ]
    finally:
        window.bench.tasks.cancel_all()
        window.bench.tasks.wait(5000)
        window.close()
        desk.close()


def test_cancel_in_the_window_ends_the_import_while_the_child_reads(
    qtbot, tmp_path, template_db, monkeypatch
):
    db = tmp_path / "register.sqlite3"
    db.write_bytes(template_db.read_bytes())
    folder = _folder(tmp_path / "meetings", 5)
    made = waiting_for_the_child(monkeypatch)
    monkeypatch.setattr(batch_import, "parse_transcript", parse_slowly_in_the_child)
    desk, window = _window(qtbot, db)
    try:
        window.import_files([folder], "transcript")
        screen = window.screens["transcripts"]
        qtbot.waitUntil(lambda: bool(made), timeout=60_000)
        qtbot.wait(300)  # the first file is written; the second is awaited from the sleeping child
        started = time.monotonic()
        with qtbot.waitSignal(screen.transcripts_imported, timeout=30_000) as finished:
            window.bench.tasks.cancel_all()
        assert time.monotonic() - started < 20  # not when the child wakes (120 s)
        outcomes = [r.outcome for r in finished.args[0].results]
        assert outcomes[0] == Outcome.IMPORTED and Outcome.CANCELLED in outcomes
        assert made[0].exitcode is not None  # the child was ended
        assert len(transcripts.list_transcripts(desk)) == outcomes.count(Outcome.IMPORTED)
    finally:
        window.bench.tasks.cancel_all()
        window.bench.tasks.wait(5000)
        window.close()
        desk.close()

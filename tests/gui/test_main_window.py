"""The main window: screens, menus and shortcuts, window state, imports, errors, screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QKeySequence

from pcc_desk.gui.screens import SCREENS


def test_every_screen_is_reachable_from_the_view_menu_with_a_shortcut(
    qtbot, window, sample_register
):
    for spec in SCREENS:
        action = window.view_actions[spec.key]
        assert action.shortcut() == QKeySequence(spec.shortcut)
        action.trigger()
        assert window.current_key() == spec.key
        assert window.stack.currentWidget() is window.screens[spec.key]
    assert window.nav.count() == len(SCREENS)


def test_standard_shortcuts_are_set(window):
    assert window.new_action.shortcut() == QKeySequence("Ctrl+N")
    assert window.import_letter_action.shortcut() == QKeySequence("Ctrl+I")
    assert window.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert QKeySequence("Ctrl+Shift+Z") in window.redo_action.shortcuts()
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)


def test_window_remembers_size_splitters_and_last_view(qtbot, desk, window, sample_register):
    from pcc_desk.gui.main_window import MainWindow

    window.resize(1000, 650)
    window.show_screen("due")
    qtbot.waitUntil(window.screens["due"].is_loaded, timeout=10_000)
    window.close()
    again = MainWindow(desk)
    qtbot.addWidget(again)
    again.show()
    assert again.start().property("objectName") is not None
    assert again.current_key() == "due"
    assert (
        again.height() == 650
    )  # (the offscreen screen is narrow: Qt clamps a restored width to it)


def test_dropped_files_go_to_the_import_hook(qtbot, window, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(
        window, "import_files", lambda paths, kind=None: calls.append((paths, kind)) or True
    )
    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"x")
    ignored = tmp_path / "picture.png"
    ignored.write_bytes(b"x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(letter)), QUrl.fromLocalFile(str(ignored))])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=5000)
    assert calls == [([letter], None)]


def test_importing_a_kind_no_screen_handles_says_so(window):
    assert window.import_files([Path("agenda.docx")], "agenda") is False
    assert "not in this version yet" in window.statusBar().currentMessage()


def test_unexpected_errors_are_logged_without_casework_text(tmp_path, monkeypatch, qapp):
    from pcc_desk.gui import errors

    shown = []
    monkeypatch.setattr(errors.QMessageBox, "critical", lambda *args: shown.append(args))
    hook = errors.ExceptHook(tmp_path)
    try:
        raise ValueError("Sir Mark Rowley's confidential reply")
    except ValueError as exc:
        hook(type(exc), exc, exc.__traceback__)
    logged = (tmp_path / errors.LOG_NAME).read_text(encoding="utf-8")
    assert "ValueError" in logged and "test_main_window.py" in logged
    assert "Rowley" not in logged and "confidential" not in logged
    assert shown and "Your register is safe" in shown[0][2]


def test_expected_errors_are_shown_as_their_message(monkeypatch, qapp, tmp_path):
    from pcc_desk.errors import InvalidInput
    from pcc_desk.gui import errors

    shown = []
    monkeypatch.setattr(errors, "show_error", lambda parent, error: shown.append(str(error)))
    hook = errors.ExceptHook(tmp_path)
    hook(InvalidInput, InvalidInput("The due date is before the date made."), None)
    assert shown == ["The due date is before the date made."]
    assert not (tmp_path / errors.LOG_NAME).exists()


def test_task_runner_returns_results_by_signal(qtbot, window):
    task = window.bench.tasks.run(lambda token, progress: 42)
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]


def test_task_runner_honours_cancel(qtbot, window):
    import threading

    from pcc_desk.errors import Cancelled

    gate = threading.Event()

    def slow(token, progress):
        gate.wait(5)
        token.check()
        return "finished anyway"

    task = window.bench.tasks.run(slow)
    task.cancel()
    gate.set()
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], Cancelled)


def test_task_runner_runs_inline_for_tests(qapp):
    from pcc_desk.gui.tasks import TaskRunner

    results = []

    def done(value):
        results.append(value)

    TaskRunner(synchronous=True).run(lambda token, progress: "now", on_done=done)
    assert results == ["now"]


def test_screenshot_writes_a_png_of_the_register(tmp_path, db_path):
    from pcc_desk.services import Desk, register

    with Desk.open(db_path) as desk:
        register.add_recommendation(desk, "Publish timescales", theme="Delivering the mission")
    target = tmp_path / "shot.png"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PCC_DESK_DATA_DIR=str(tmp_path / "data"),
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pcc_desk",
            "--db",
            str(db_path),
            "--screenshot",
            str(target),
            "--view",
            "detail",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    from PySide6.QtGui import QImage

    image = QImage(str(target))
    assert (image.width(), image.height()) == (1366, 768)


def test_long_work_shows_progress_and_cancel_in_the_status_bar(qtbot, window):
    import threading

    from pcc_desk.errors import Cancelled

    started = threading.Event()

    def long_work(token, progress):
        started.set()
        for step in range(1000):
            progress(step, 1000)
            token.check()
            threading.Event().wait(0.005)
        return "done"

    failures = []
    window.show()
    task = window.bench.run(
        long_work, lambda _result: None, label="Reading a long letter", on_error=failures.append
    )
    qtbot.waitUntil(window.progress.isVisible, timeout=5000)
    assert window.progress.label.text() == "Reading a long letter"
    started.wait(5)
    qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert isinstance(failures[0], Cancelled)
    qtbot.waitUntil(
        lambda: not window.runner.busy, timeout=10_000
    )  # (the register may be loading too)
    assert not window.progress.isVisible()

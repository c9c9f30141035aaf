"""Start-up of the desktop app when something is in the way: a second copy, a damaged register, a
register from a newer PCC Desk, a register in a synced folder. Real files, real dialogs, real processes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from pcc_desk.gui import app

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch):
    """start() installs the app's excepthook; put pytest's back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


_POLLS: list[dict] = []


@pytest.fixture(autouse=True)
def _stop_polling():
    """A poll left running by a test must never touch the next test's widgets."""
    yield
    for seen in _POLLS:
        seen["stop"] = True
    _POLLS.clear()


def answer(pick):
    """When the next dialog shows, hand it to ``pick`` (which clicks one of its buttons). The poll
    ends when it has found its dialog, when its test ends, or after about 20 s."""
    seen: dict = {"tries": 0}
    _POLLS.append(seen)

    def poll():
        if seen.get("stop") or "dialog" in seen or seen["tries"] > 1000:
            return
        seen["tries"] += 1
        for widget in QApplication.topLevelWidgets():
            if shiboken6.isValid(widget) and widget.isVisible() and widget.isModal():
                seen["dialog"] = widget
                pick(widget)
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def _labels(widget) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in widget.findChildren(QLabel))


def _click(text: str):
    from PySide6.QtWidgets import QAbstractButton

    def pick(dialog):
        seen_texts = []
        for button in dialog.findChildren(QAbstractButton):
            seen_texts.append(button.text())
            if button.text().replace("&", "").startswith(text):
                button.click()
                return
        raise AssertionError(f"no button {text!r} in {seen_texts}")

    return pick


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filled(db_path: Path, n: int) -> None:
    from pcc_desk.services import Desk, register

    with Desk.open(db_path) as desk:
        for i in range(n):
            register.add_recommendation(desk, f"Ask {i}", made=dt.date(2024, 1, 1))


def _fold_wal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


def _damage(path: Path) -> None:
    _fold_wal(path)
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)


def _count(desk) -> int:
    from pcc_desk.services import register

    return len(register.list_recommendations(desk))


# --- one copy per register --------------------------------------------------------------------------


def _real_app(db: Path, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    """The real app (``python -m pcc_desk --db``) in another process, its log in a file."""
    log = tmp_path / "first-copy.log"
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(REPO),
        PCC_DESK_LOG="INFO",
        PCC_DESK_DATA_DIR=str(tmp_path / "first-copy-data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    with open(log, "w") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pcc_desk", "--db", str(db)],
            stdout=handle,
            stderr=handle,
            env=env,
        )
    return proc, log


def test_a_second_copy_says_already_open_brings_the_first_forward_and_exits(
    qtbot, launch, db_path, tmp_path, monkeypatch
):
    told = []
    monkeypatch.setattr(app, "tell_already_open", lambda parent: told.append(True))
    first, log = _real_app(db_path, tmp_path)
    try:
        qtbot.waitUntil(lambda: "register open" in log.read_text(), timeout=30_000)
        result = launch(db_path)
        assert result == 0 and told == [True]
        qtbot.waitUntil(lambda: "brought forward" in log.read_text(), timeout=10_000)
        assert first.poll() is None, "the first copy keeps running"
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)


def test_the_first_copy_raises_its_window_when_a_second_copy_starts(
    qtbot, launch, db_path, monkeypatch
):
    from pcc_desk.gui.main_window import MainWindow

    raised = []
    monkeypatch.setattr(MainWindow, "raise_", lambda self: raised.append("raise"))
    monkeypatch.setattr(MainWindow, "activateWindow", lambda self: raised.append("activate"))
    started = launch(db_path)
    assert started.window.ready
    started.window.showMinimized()
    second = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom PySide6.QtCore import QCoreApplication\nfrom pcc_desk.gui.single_instance import SingleInstance\n"
         "a = QCoreApplication([])\nprint('first' if SingleInstance(sys.argv[1]).acquire() else 'already-open')",
         str(db_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO)),
    )  # fmt: skip
    # (the first copy's event loop must run while the second one waits for it)
    qtbot.waitUntil(lambda: second.poll() is not None, timeout=30_000)
    assert second.stdout.read().strip() == "already-open", second.stderr.read()
    qtbot.waitUntil(lambda: raised == ["raise", "activate"], timeout=10_000)
    assert not started.window.isMinimized()


# --- a damaged register --------------------------------------------------------------------------------


def test_damaged_register_restore_latest_opens_the_backup_and_keeps_the_damaged_file(
    qtbot, launch, db_path
):
    from pcc_desk import backup, storage

    _filled(db_path, 2)
    taken = backup.take_backup(storage.resolve_location(db_path), "auto")
    _filled(db_path, 1)  # one more after the backup
    _damage(db_path)
    damaged = _digest(db_path)
    seen = answer(_click("Restore the newest backup"))
    started = launch(db_path)
    text = _labels(seen["dialog"])
    assert "damaged" in text and taken.describe() in text
    assert _count(started.window.bench.desk) == 2
    kept = list(db_path.parent.glob("register.damaged-*.sqlite3"))
    assert len(kept) == 1 and _digest(kept[0]) == damaged
    assert "kept as" in started.window.statusBar().currentMessage()


def test_damaged_register_without_backups_offers_a_fresh_start(qtbot, launch, db_path):
    from pcc_desk.gui.dialogs.recovery import RecoveryDialog

    _filled(db_path, 1)
    _damage(db_path)
    damaged = _digest(db_path)
    buttons = {}

    def pick(dialog):
        assert isinstance(dialog, RecoveryDialog)
        buttons["restore"] = dialog.restore_button
        dialog.fresh_button.click()

    answer(pick)
    started = launch(db_path)
    assert buttons["restore"] is None
    assert _count(started.window.bench.desk) == 0
    kept = list(db_path.parent.glob("register.damaged-*.sqlite3"))
    assert len(kept) == 1 and _digest(kept[0]) == damaged


def test_quitting_at_the_recovery_dialog_changes_nothing(qtbot, launch, db_path):
    _damage(db_path)
    damaged = _digest(db_path)
    answer(_click("Quit"))
    assert launch(db_path) == 2
    assert _digest(db_path) == damaged
    assert sorted(p.name for p in db_path.parent.glob("register*")) == ["register.sqlite3"]


# --- a register from a newer PCC Desk -------------------------------------------------------------------


def test_a_register_from_a_newer_version_is_refused_untouched(qtbot, launch, db_path, monkeypatch):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    digest = _digest(db_path)
    told = []
    monkeypatch.setattr(app, "tell_refused", lambda parent, message: told.append(message))
    assert launch(db_path) == 2
    assert len(told) == 1 and "newer version" in told[0]
    assert _digest(db_path) == digest
    assert not Path(f"{db_path}-wal").exists()


# --- a register in a synced folder ----------------------------------------------------------------------


def test_a_register_in_a_synced_folder_is_explained_and_quit_leaves_no_file(
    qtbot, launch, tmp_path
):
    db = tmp_path / "Dropbox" / "register.sqlite3"
    db.parent.mkdir()
    seen = answer(_click("Quit"))
    assert launch(db) == 2
    assert "Dropbox" in seen["dialog"].text()
    assert not db.exists()


def test_a_clerk_who_insists_opens_the_register_in_a_synced_folder(qtbot, launch, tmp_path):
    db = tmp_path / "Dropbox" / "register.sqlite3"
    db.parent.mkdir()
    seen = answer(_click("Open anyway"))
    started = launch(db)
    assert isinstance(seen["dialog"], QMessageBox)
    assert started.window.ready and db.exists()


def test_allow_unsafe_location_opens_without_asking(qtbot, launch, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "ask_open_anyway", lambda *_: pytest.fail("asked"))
    db = tmp_path / "OneDrive" / "register.sqlite3"
    db.parent.mkdir()
    started = launch(db, allow_unsafe_location=True)
    assert started.window.ready


# --- a lock in doubt: another computer's, or an empty or unreadable one ---------------------------------

LOCKS_IN_DOUBT = {
    "another computer": b"5120\npcc-desk\nGLA-LT-0412\n2026-05-04T16:40:00\n",
    "another computer (older version)": b"77\npcc-desk\nclerks-mac.local\n\n",
    "empty": b"",
    "garbage": bytes(range(256)) * 3,
}


@pytest.mark.parametrize("kind", sorted(LOCKS_IN_DOUBT))
def test_a_lock_in_doubt_is_explained_and_can_be_taken_over(qtbot, launch, db_path, kind):
    from pcc_desk import locking

    lock = locking.window_lock_path(db_path)
    lock.write_bytes(LOCKS_IN_DOUBT[kind])
    seen = answer(_click("Take over the lock"))
    started = launch(db_path)
    text = seen["dialog"].text()
    assert "taken over" in text and db_path.name in text
    if kind.startswith("another computer"):
        assert locking.parse_holder(LOCKS_IN_DOUBT[kind]).host in text
    assert started.window.ready
    holder = locking.parse_holder(lock.read_bytes())
    assert holder.pid == os.getpid()
    # and it really is this window's now: another copy is told "already open"
    assert locking.window_lock_state(db_path) is locking.LockState.OURS


@pytest.mark.parametrize("kind", sorted(LOCKS_IN_DOUBT))
def test_quitting_at_a_lock_in_doubt_changes_nothing(qtbot, launch, db_path, kind, monkeypatch):
    from pcc_desk import locking

    lock = locking.window_lock_path(db_path)
    lock.write_bytes(LOCKS_IN_DOUBT[kind])
    monkeypatch.setattr(app, "tell_already_open", lambda parent: pytest.fail("no window to bring"))
    digest = _digest(db_path)
    answer(_click("Quit"))
    assert launch(db_path) == 2
    assert lock.read_bytes() == LOCKS_IN_DOUBT[kind]
    assert _digest(db_path) == digest
    assert sorted(p.name for p in db_path.parent.glob("register*")) == [
        "register.sqlite3",
        "register.sqlite3.lock",
    ]


# --- an empty register file, a newer register in WAL mode ----------------------------------------------


def test_a_0_byte_register_at_start_up_offers_the_newest_backup(qtbot, launch, db_path):
    from pcc_desk import backup, storage

    _filled(db_path, 3)
    taken = backup.take_backup(storage.resolve_location(db_path), "auto")
    db_path.write_bytes(b"")
    seen = answer(_click("Restore the newest backup"))
    started = launch(db_path)
    text = _labels(seen["dialog"])
    assert "empty (0 bytes)" in text and taken.describe() in text
    assert _count(started.window.bench.desk) == 3
    (kept,) = db_path.parent.glob("register.damaged-*.sqlite3")
    assert kept.read_bytes() == b""


def test_a_newer_register_in_wal_mode_leaves_no_sidecars(qtbot, launch, db_path, monkeypatch):
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    before = sorted(p.name for p in db_path.parent.glob("register*"))
    digest = _digest(db_path)
    told = []
    monkeypatch.setattr(app, "tell_refused", lambda parent, message: told.append(message))
    assert launch(db_path) == 2
    assert len(told) == 1 and "newer version" in told[0]
    assert _digest(db_path) == digest
    assert sorted(p.name for p in db_path.parent.glob("register*")) == before


# --- restoring from the window while another process has the register open ------------------------------


def test_restoring_from_the_window_is_refused_while_a_command_has_the_register_open(
    qtbot, launch, db_path, monkeypatch
):
    from pcc_desk import backup
    from pcc_desk.gui.dialogs import backups as backups_dialog

    _filled(db_path, 2)
    started = launch(db_path)
    backup.take_backup(started.window.bench.desk.location, "manual")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom pcc_desk.services import Desk, register\nd = Desk.open(sys.argv[1])\n"
         "print('open', flush=True)\nsys.stdin.readline()\nregister.add_recommendation(d, 'By the command')\n"
         "d.close()\nprint('done', flush=True)",
         str(db_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "open", holder.stderr.read()
        errors = []
        monkeypatch.setattr(backups_dialog, "ask_restore", lambda parent, when: True)
        monkeypatch.setattr(
            backups_dialog, "show_error", lambda p, error: errors.append(str(error))
        )
        dialog = backups_dialog.BackupsDialog(started.window)
        qtbot.addWidget(dialog)
        dialog.table.selectRow(0)
        dialog.restore_selected()
        assert len(errors) == 1 and "in use by another PCC Desk" in errors[0]
        assert not list(db_path.parent.glob("register.replaced-*"))
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "done"
    finally:
        holder.kill()
        holder.wait()
    assert _count(started.window.bench.desk) == 3, "the window's register is the one written to"

"""One copy of the app per register, checked with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

COPY = r"""
import sys
from PySide6.QtCore import QCoreApplication, QTimer
from pcc_desk.gui.single_instance import SingleInstance

app = QCoreApplication([])
instance = SingleInstance(sys.argv[1])
first = instance.acquire()
print("first" if first else "already-open", flush=True)
if first and sys.argv[2] == "wait":
    instance.activated.connect(lambda: (print("activated", flush=True), app.quit()))
    QTimer.singleShot(30000, app.quit)
    app.exec()
instance.release()
"""


def _start(db: Path, mode: str) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", COPY, str(db), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _first_line(proc: subprocess.Popen) -> str:
    return proc.stdout.readline().strip()


def test_a_second_copy_is_refused_and_brings_the_first_forward(tmp_path):
    db = tmp_path / "reg.sqlite3"
    first = _start(db, "wait")
    try:
        assert _first_line(first) == "first"
        second = _start(db, "once")
        out, err = second.communicate(timeout=30)
        assert out.strip() == "already-open", err
        assert _first_line(first) == "activated"
        assert first.wait(timeout=30) == 0
    finally:
        first.kill()
        first.wait()


def test_a_copy_on_another_register_is_not_refused(tmp_path):
    first = _start(tmp_path / "a.sqlite3", "wait")
    try:
        assert _first_line(first) == "first"
        other = _start(tmp_path / "b.sqlite3", "once")
        out, _ = other.communicate(timeout=30)
        assert out.strip() == "first"
    finally:
        first.kill()
        first.wait()


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_stale_lock_after_a_crash_is_cleared(tmp_path):
    db = tmp_path / "reg.sqlite3"
    crashed = _start(db, "wait")
    assert _first_line(crashed) == "first"
    crashed.send_signal(signal.SIGKILL)
    crashed.wait()
    assert Path(f"{db}.lock").exists(), "the crashed copy left its lock behind"
    after = _start(db, "once")
    out, err = after.communicate(timeout=30)
    assert out.strip() == "first", err


def test_release_lets_the_next_copy_in(tmp_path, qapp):
    from pcc_desk.gui.single_instance import SingleInstance

    db = tmp_path / "reg.sqlite3"
    one = SingleInstance(db)
    assert one.acquire()
    one.release()
    two = SingleInstance(db)
    assert two.acquire()
    two.release()


def test_first_run_with_no_data_folder_yet_still_takes_the_lock(tmp_path, qapp):
    from pcc_desk.gui.single_instance import SingleInstance

    db = tmp_path / "not-yet" / "made" / "reg.sqlite3"
    one = SingleInstance(db)
    assert one.acquire()
    assert one.lock_file.exists()
    two = SingleInstance(db)
    assert not two.acquire()  # the lock really holds: a second copy is refused
    one.release()

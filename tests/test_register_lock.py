"""The register's locks, with real second processes: a restore takes the register's lock and is refused
while another process has the register open; a process that starts during a restore waits for it and
writes into the restored file, never into the one set aside; a lock left by another computer, or an
empty or unreadable one, is told apart from a live one and can be taken over."""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pcc_desk import backup, locking, storage
from pcc_desk.errors import Conflict
from pcc_desk.services import Desk, register

REPO = Path(__file__).resolve().parent.parent

# A pcc-desk process with the register open (as the CLI importing, or a second window's commands):
# it writes when told to, and keeps its connection open in between.
HOLDER = r"""
import sys
from pcc_desk.services import Desk, register
desk = Desk.open(sys.argv[1])
print("open", flush=True)
for line in sys.stdin:
    if line.startswith("write"):
        register.add_recommendation(desk, line[len("write "):].strip())
        print("written", flush=True)
    elif line.startswith("quit"):
        break
desk.close()
"""

# A desktop window's lock, held by a real process until it is told to let go.
WINDOW = r"""
import sys
from pcc_desk import locking
lock = locking.WindowLock(sys.argv[1])
print(lock.acquire().value, flush=True)
sys.stdin.readline()
lock.release()
"""


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")


def _start(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def _say(proc: subprocess.Popen, line: str) -> str:
    proc.stdin.write(line + "\n")
    proc.stdin.flush()
    return proc.stdout.readline().strip()


def _texts(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT text FROM recommendations ORDER BY text")]
    finally:
        conn.close()


def _filled(db_path: Path, *texts: str) -> None:
    with Desk.open(db_path) as desk:
        for text in texts:
            register.add_recommendation(desk, text)


def test_restore_is_refused_while_another_process_has_the_register_open_and_its_writes_stay_in_the_register(
    db_path,
):
    _filled(db_path, "In the backup")
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    holder = _start(HOLDER, db_path)
    try:
        assert holder.stdout.readline().strip() == "open", holder.stderr.read()
        with pytest.raises(Conflict, match="in use by another PCC Desk") as refused:
            backup.restore(location, saved.path)
        assert "\n" not in str(refused.value)
        with pytest.raises(Conflict):
            backup.recover(location, "fresh")
        assert _say(holder, "write After the refused restore") == "written"
        assert not list(db_path.parent.glob("register.replaced-*")), "nothing was set aside"
        assert not list(db_path.parent.glob("register.damaged-*"))
    finally:
        _say(holder, "quit")
        holder.wait(timeout=30)
    assert _texts(db_path) == ["After the refused restore", "In the backup"]
    # the other process has gone: now the restore goes ahead, and sets the file aside whole
    result = backup.restore(location, saved.path)
    assert _texts(db_path) == ["In the backup"]
    assert _texts(result.set_aside[0]) == ["After the refused restore", "In the backup"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="watches /proc for the lock")
def test_a_command_started_during_a_restore_waits_and_writes_into_the_restored_register(
    db_path, monkeypatch
):
    _filled(db_path, "In the backup")
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    _filled(db_path, "After the backup")
    lock_file = locking.register_lock_path(db_path)
    started = {}
    real_copy_in = backup._copy_in

    def copy_in_while_a_command_starts(source, target):
        proc = subprocess.Popen(
            [sys.executable, "-m", "pcc_desk", "--db", str(db_path), "add", "--text", "Added"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        started["proc"] = proc
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # until the command is waiting on the register's lock
            fds = Path(f"/proc/{proc.pid}/fd")
            try:
                if any(os.readlink(fd) == str(lock_file) for fd in fds.iterdir()):
                    break
            except OSError:
                pass
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.02)
        time.sleep(0.3)
        assert proc.poll() is None, "the command waits while the restore holds the lock"
        real_copy_in(source, target)

    monkeypatch.setattr(backup, "_copy_in", copy_in_while_a_command_starts)
    result = backup.restore(location, saved.path)
    _out, err = started["proc"].communicate(timeout=60)
    assert started["proc"].returncode == 0, err
    assert _texts(db_path) == ["Added", "In the backup"], "written into the restored register"
    assert _texts(result.set_aside[0]) == ["After the backup", "In the backup"]


def test_restore_is_refused_while_a_window_on_this_computer_holds_the_register(db_path):
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    window = _start(WINDOW, db_path)
    try:
        assert window.stdout.readline().strip() == "ours", window.stderr.read()
        assert locking.window_lock_state(db_path) is locking.LockState.HELD
        with pytest.raises(Conflict, match="open in another window"):
            backup.restore(location, saved.path)
        with pytest.raises(Conflict, match="close its window"):
            locking.clear_window_lock(db_path)
    finally:
        _say(window, "")
        window.wait(timeout=30)
    assert not locking.window_lock_path(db_path).exists(), "released and removed"
    backup.restore(location, saved.path)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_locks_of_processes_killed_outright_do_not_block(db_path):
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    holder, window = _start(HOLDER, db_path), _start(WINDOW, db_path)
    assert holder.stdout.readline().strip() == "open"
    assert window.stdout.readline().strip() == "ours"
    for proc in (holder, window):
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert locking.window_lock_path(db_path).exists(), "a description of the dead holder is left"
    assert locking.window_lock_state(db_path) is locking.LockState.STALE
    backup.restore(location, saved.path)
    assert locking.WindowLock(db_path).acquire() is locking.LockState.OURS


def _foreign(path: Path, rng: random.Random) -> bytes:
    host = rng.choice(["GLA-LT-0412", "clerks-mac.local", "desk 2", "ПК-клерка"])
    return f"{rng.randrange(2, 99999)}\npcc-desk\n{host}\n2026-05-0{rng.randrange(1, 9)}T10:14:00\n".encode()


def _qt_foreign(path: Path, rng: random.Random) -> bytes:  # as older versions' Qt lock wrote it
    return f"{rng.randrange(2, 99999)}\npcc-desk\nother-host-{rng.randrange(99)}\n\n".encode()


LOCKS_IN_DOUBT = {
    "another computer": (_foreign, locking.LockState.FOREIGN),
    "another computer (Qt)": (_qt_foreign, locking.LockState.FOREIGN),
    "empty": (lambda p, r: b"", locking.LockState.UNREADABLE),
    "garbage": (lambda p, r: r.randbytes(r.randrange(1, 300)), locking.LockState.UNREADABLE),
    "cut short": (lambda p, r: f"{r.randrange(99999)}\n".encode(), locking.LockState.UNREADABLE),
    "no pid": (
        lambda p, r: f"pcc-desk\n{socket.gethostname()}\n".encode(),
        locking.LockState.UNREADABLE,
    ),
}


@pytest.mark.parametrize("kind", sorted(LOCKS_IN_DOUBT))
@pytest.mark.parametrize("seed", [1, 2])
def test_a_lock_in_doubt_is_told_apart_and_can_be_taken_over(tmp_path, kind, seed):
    make, expected = LOCKS_IN_DOUBT[kind]
    db = tmp_path / "PCC #2" / "pcc-desk.sqlite3"
    db.parent.mkdir()
    content = make(db, random.Random(seed))
    locking.window_lock_path(db).write_bytes(content)
    assert locking.window_lock_state(db) is expected
    lock = locking.WindowLock(db)
    assert lock.acquire() is expected, "not taken without asking"
    assert locking.window_lock_path(db).read_bytes() == content, "left as it was"
    explanation = locking.explain_doubt(db, expected, lock.holder)
    assert "taken over" in explanation and "\n" not in explanation
    if expected is locking.LockState.FOREIGN:
        assert lock.holder.host in explanation
    assert lock.acquire(take_over=True) is locking.LockState.OURS
    holder = locking.parse_holder(locking.window_lock_path(db).read_bytes())
    assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
    lock.release()
    assert not locking.window_lock_path(db).exists()


def test_restore_refused_for_a_lock_of_another_computer_names_the_way_out(db_path, run_cli):
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    locking.window_lock_path(db_path).write_text("4242\npcc-desk\nGLA-LT-0412\n")
    before = db_path.read_bytes()
    proc = run_cli("restore", saved.path.name, db=db_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "GLA-LT-0412" in lines[0] and "pcc-desk unlock" in lines[0]
    assert db_path.read_bytes() == before
    proc = run_cli("unlock", db=db_path, check_rc=0)
    assert "GLA-LT-0412" in proc.stdout
    assert not locking.window_lock_path(db_path).exists()
    run_cli("restore", saved.path.name, db=db_path, check_rc=0)
    proc = run_cli("unlock", db=db_path, check_rc=0)
    assert "nothing to clear" in proc.stdout


@pytest.mark.parametrize("content", [b"", b"\x00\xff junk", b"not a lock\n"])
def test_an_unreadable_lock_that_no_one_holds_does_not_block_a_restore(db_path, content):
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    locking.window_lock_path(db_path).write_bytes(content)
    backup.restore(location, saved.path)


def test_the_register_lock_is_shared_by_openers_and_removed_by_the_last(db_path):
    lock_file = locking.register_lock_path(db_path)
    one = Desk.open(db_path)
    two = Desk.open(db_path)
    assert lock_file.exists()
    with pytest.raises(Conflict):
        locking.RegisterLock(db_path).take()
    one.close()
    assert lock_file.exists(), "the other still has it"
    with pytest.raises(Conflict):
        locking.RegisterLock(db_path).take()
    two.close()
    assert not lock_file.exists()
    with locking.RegisterLock(db_path).take():
        pass


def test_a_folder_where_no_lock_file_can_be_made_still_opens_but_restores_nothing(
    db_path, monkeypatch
):
    """Read-only media (simulated: the tests run as root, whom permissions do not stop)."""
    from pcc_desk.errors import StorageFailed

    _filled(db_path, "Readable")
    location = storage.resolve_location(db_path)
    saved = backup.take_backup(location)
    real_open = locking._open

    def refused(path, create=True):
        if path.name.endswith(locking.REGISTER_SUFFIX):
            raise PermissionError(13, "Permission denied")
        return real_open(path, create)

    monkeypatch.setattr(locking, "_open", refused)
    with Desk.open(db_path) as desk:
        assert [r.text for r in register.list_recommendations(desk)] == ["Readable"]
    before = db_path.read_bytes()
    with pytest.raises(StorageFailed, match="could not be locked"):
        backup.restore(location, saved.path)
    assert db_path.read_bytes() == before

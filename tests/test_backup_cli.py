"""`pcc-desk check`, `backups`, `backup` and `restore`, run as a clerk would."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pcc_desk import backup, storage


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_then_backups_lists_it(db_path, cli):
    cli("add", "--text", "Worth keeping", db=db_path, check_rc=0)
    taken = cli("backup", db=db_path, check_rc=0)
    assert "checked" in taken.stdout
    listed = cli("backups", db=db_path, check_rc=0)
    assert "manual" in listed.stdout and "1 backups" in listed.stdout
    as_json = cli("backups", "--json", db=db_path, check_rc=0)
    assert '"label": "manual"' in as_json.stdout


def test_check_reports_a_healthy_register(db_path, cli):
    proc = cli("check", db=db_path, check_rc=0)
    assert "OK" in proc.stdout and "No backups yet" in proc.stdout


def test_check_on_a_damaged_register_without_a_choice_changes_nothing(db_path, cli):
    cli("backup", db=db_path, check_rc=0)
    with open(db_path, "r+b") as handle:
        handle.truncate(db_path.stat().st_size - 100)
    before = _hash(db_path)
    proc = cli("check", db=db_path)
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and "--restore-latest or --fresh" in line
    assert _hash(db_path) == before


def test_check_restore_latest_repairs_and_keeps_the_damaged_file(db_path, cli):
    cli("add", "--text", "In the backup", db=db_path, check_rc=0)
    cli("backup", db=db_path, check_rc=0)
    db_path.write_bytes(b"\0" * 8192)
    proc = cli("check", "--restore-latest", db=db_path, check_rc=0)
    assert "Restored" in proc.stdout and "kept as" in proc.stdout
    assert "In the backup" in cli("list", db=db_path, check_rc=0).stdout
    kept = [p for p in db_path.parent.glob("*.sqlite3") if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == b"\0" * 8192


def test_check_fresh_starts_an_empty_register(db_path, cli):
    cli("add", "--text", "Lost to damage", db=db_path, check_rc=0)
    db_path.write_bytes(b"junk" * 2048)
    cli("check", "--fresh", db=db_path, check_rc=0)
    assert "Lost to damage" not in cli("list", db=db_path, check_rc=0).stdout
    assert any(".damaged-" in p.name for p in db_path.parent.iterdir())


def test_restore_by_backup_name(db_path, cli):
    cli("add", "--text", "Before", db=db_path, check_rc=0)
    cli("backup", db=db_path, check_rc=0)
    cli("add", "--text", "After", db=db_path, check_rc=0)
    name = backup.list_backups(storage.resolve_location(db_path))[0].path.name
    proc = cli("restore", name, db=db_path, check_rc=0)
    assert "Restored" in proc.stdout
    out = cli("list", db=db_path, check_rc=0).stdout
    assert "Before" in out and "After" not in out


def test_restore_of_a_missing_file_is_one_line_and_exit_2(db_path, cli):
    before = _hash(db_path)
    proc = cli("restore", "no-such-backup.sqlite3", db=db_path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert _hash(db_path) == before


def test_check_asks_at_a_terminal_and_does_what_the_clerk_answers(db_path, tmp_path):
    import os
    import subprocess
    import sys

    if os.name != "posix":
        pytest.skip("pseudo-terminal")
    run_env = dict(os.environ, PCC_DESK_DATA_DIR=str(tmp_path / "user-data"))
    subprocess.run(
        [sys.executable, "-m", "pcc_desk", "--db", str(db_path), "backup"],
        check=True,
        env=run_env,
        capture_output=True,
    )
    db_path.write_bytes(b"\0" * 4096)
    leader, follower = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pcc_desk", "--db", str(db_path), "check"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=run_env,
    )
    os.close(follower)
    os.write(leader, b"x\nr\n")  # an unknown key is asked again
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0, output
    text = output.decode()
    assert "[r]estore the backup, [f]resh start, or [q]uit?" in text
    assert "Restored" in text
    assert any(".damaged-" in p.name for p in db_path.parent.glob("*.sqlite3"))


def test_check_finds_a_broken_link_the_quick_check_on_open_does_not(db_path, cli):
    import sqlite3

    cli("add", "--text", "Has a response", "--made", "2024-01-01", db=db_path, check_rc=0)
    cli(
        "respond",
        "PCC-2024-01-01/01",
        "--received",
        "2024-02-01",
        "--position",
        "accepted",
        "--text",
        "Yes",
        db=db_path,
        check_rc=0,
    )
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM recommendations")  # leaves the response without its recommendation
    conn.commit()
    conn.close()
    proc = cli("check", db=db_path)
    assert proc.returncode == 2
    assert "refers to a missing row in recommendations" in proc.stderr

"""The CLI as a clerk would type it, on a file and on a team register: in this process through
``main(argv)``, and end to end in a subprocess where the process itself matters (exit codes, the
installed entry point, stderr)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pcc_desk import __version__

# every command on a laptop's file and on a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_register_round_trip(cli, tmp_path, register_db):
    db = register_db
    out = cli(
        "add",
        "--text",
        "Publish timescales",
        "--theme",
        "Delivering the mission",
        "--addressee",
        "Sir Mark Rowley",
        "--made",
        "2023-03-17",
        db=db,
        check_rc=0,
    )
    assert out.stdout.strip() == "PCC-2023-03-17/01"
    # --db after the sub-command works too
    cli("add", "--text", "Second", "--made", "2023-03-17", "--db", str(db), check_rc=0)
    rows = json.loads(cli("list", "--json", db=db, check_rc=0).stdout)
    assert [r["ref"] for r in rows] == ["PCC-2023-03-17/01", "PCC-2023-03-17/02"]
    assert set(rows[0]) >= {"ref", "kind", "text", "theme", "addressee", "made", "due", "status"}
    assert rows[0]["due"] == "2023-05-17" and rows[0]["status"] == "awaiting-response"

    text_file = tmp_path / "response.txt"
    text_file.write_text("We accept the Committee’s recommendation.", encoding="utf-8")
    cli(
        "respond",
        "PCC-2023-03-17/01",
        "--received",
        "2023-05-01",
        "--position",
        "Partly-Accepted",
        "--assessment",
        "partly-addressed",
        "--text-file",
        str(text_file),
        db=db,
        check_rc=0,
    )
    cli("status", "PCC-2023-03-17/02", "SUPERSEDED", "--note", "merged into /01", db=db, check_rc=0)
    cli("due", "PCC-2023-03-17/01", "2023-07-01", "--reason", "extension", db=db, check_rc=0)
    shown = json.loads(cli("show", "PCC-2023-03-17/01", "--json", db=db, check_rc=0).stdout)
    assert shown["status"] == "follow-up-needed"
    assert shown["responses"][0]["text"] == "We accept the Committee’s recommendation."
    assert shown["responses"][0]["position"] == "partly-accepted"
    assert shown["due_revisions"][0]["new_due"] == "2023-07-01"
    assert [h["to_status"] for h in shown["history"]] == ["awaiting-response", "follow-up-needed"]
    assert {"quotes", "footnotes"} <= set(shown)
    listed = json.loads(cli("list", "--status", "superseded", "--json", db=db, check_rc=0).stdout)
    assert [r["ref"] for r in listed] == ["PCC-2023-03-17/02"]


def test_overdue(cli, tmp_path, register_db):
    db = register_db
    cli("add", "--text", "Old ask", "--made", "2020-01-01", db=db, check_rc=0)
    cli("add", "--text", "Recent ask", "--made", "2099-01-01", db=db, check_rc=0)
    rows = json.loads(cli("overdue", "--json", db=db, check_rc=0).stdout)
    assert [r["text"] for r in rows] == ["Old ask"]


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_errors_are_one_line_exit_2_and_write_nothing(run_cli, tmp_path, register_db):
    db = register_db
    run_cli("add", "--text", "Ask", "--made", "2023-03-17", db=db, check_rc=0)
    run_cli("list", db=db, check_rc=0)  # settle WAL
    cases = [
        ("show", "PCC-1999-01-01/09"),
        (
            "respond",
            "PCC-2023-03-17/01",
            "--received",
            "2023-13-01",
            "--position",
            "accepted",
            "--text",
            "x",
        ),
        (
            "respond",
            "PCC-2023-03-17/01",
            "--received",
            "2023-04-01",
            "--position",
            "maybe",
            "--text",
            "x",
        ),
        (
            "respond",
            "PCC-2023-03-17/01",
            "--received",
            "2023-04-01",
            "--position",
            "accepted",
            "--text-file",
            str(tmp_path / "missing.txt"),
        ),
        ("status", "PCC-2023-03-17/01", "closed-implemented"),
        ("status", "PCC-2023-03-17/01", "closed", "--note", "x"),
        ("due", "PCC-2023-03-17/01", "2020-01-01", "--reason", "x"),
        ("add", "--text", "   "),
        ("no-such-command",),
    ]
    before = json.loads(run_cli("show", "PCC-2023-03-17/01", "--json", db=db).stdout)
    for args in cases:
        proc = run_cli(*args, db=db)
        assert proc.returncode == 2, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, (args, proc.stderr)
        assert "Traceback" not in proc.stderr
    after = json.loads(run_cli("show", "PCC-2023-03-17/01", "--json", db=db).stdout)
    assert before == after


def test_invalid_utf8_text_file_is_a_clear_error(cli, tmp_path, register_db):
    db = register_db
    cli("add", "--text", "Ask", "--made", "2023-03-17", db=db, check_rc=0)
    bad = tmp_path / "bin.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff\xfe")
    proc = cli(
        "respond",
        "PCC-2023-03-17/01",
        "--received",
        "2023-04-01",
        "--position",
        "accepted",
        "--text-file",
        str(bad),
        db=db,
    )
    assert proc.returncode == 2 and "not a text file" in proc.stderr


@pytest.mark.backends("sqlite")
def test_the_installed_entry_point_runs(tmp_path):
    """`pcc-desk` as pip installed it (the console script), not `python -m pcc_desk`."""
    script = Path(sys.executable).with_name("pcc-desk")
    assert script.exists(), f"pcc-desk is not installed beside {sys.executable}"
    env = dict(os.environ, PCC_DESK_DATA_DIR=str(tmp_path / "user-data"))
    version = subprocess.run(
        [script, "--version"], capture_output=True, text=True, env=env, timeout=120
    )
    assert (version.returncode, version.stdout.strip()) == (0, f"PCC Desk {__version__}")
    db = tmp_path / "entry.sqlite3"
    added = subprocess.run(
        [script, "--db", str(db), "add", "--text", "Ask", "--made", "2023-03-17"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (added.returncode, added.stdout.strip()) == (0, "PCC-2023-03-17/01"), added.stderr
    bad = subprocess.run(
        [script, "--db", str(db), "status", "PCC-2023-03-17/01", "nonsense"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr

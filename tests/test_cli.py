"""The CLI end to end, in a subprocess, as a clerk would type it, on a file and on a team register."""

from __future__ import annotations

import hashlib
import json

import pytest

# every command on a laptop's file and on a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_register_round_trip(run_cli, tmp_path, register_db):
    db = register_db
    out = run_cli(
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
    run_cli("add", "--text", "Second", "--made", "2023-03-17", "--db", str(db), check_rc=0)
    rows = json.loads(run_cli("list", "--json", db=db, check_rc=0).stdout)
    assert [r["ref"] for r in rows] == ["PCC-2023-03-17/01", "PCC-2023-03-17/02"]
    assert set(rows[0]) >= {"ref", "kind", "text", "theme", "addressee", "made", "due", "status"}
    assert rows[0]["due"] == "2023-05-17" and rows[0]["status"] == "awaiting-response"

    text_file = tmp_path / "response.txt"
    text_file.write_text("We accept the Committee’s recommendation.", encoding="utf-8")
    run_cli(
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
    run_cli(
        "status", "PCC-2023-03-17/02", "SUPERSEDED", "--note", "merged into /01", db=db, check_rc=0
    )
    run_cli("due", "PCC-2023-03-17/01", "2023-07-01", "--reason", "extension", db=db, check_rc=0)
    shown = json.loads(run_cli("show", "PCC-2023-03-17/01", "--json", db=db, check_rc=0).stdout)
    assert shown["status"] == "follow-up-needed"
    assert shown["responses"][0]["text"] == "We accept the Committee’s recommendation."
    assert shown["responses"][0]["position"] == "partly-accepted"
    assert shown["due_revisions"][0]["new_due"] == "2023-07-01"
    assert [h["to_status"] for h in shown["history"]] == ["awaiting-response", "follow-up-needed"]
    assert {"quotes", "footnotes"} <= set(shown)
    listed = json.loads(
        run_cli("list", "--status", "superseded", "--json", db=db, check_rc=0).stdout
    )
    assert [r["ref"] for r in listed] == ["PCC-2023-03-17/02"]


def test_overdue(run_cli, tmp_path, register_db):
    db = register_db
    run_cli("add", "--text", "Old ask", "--made", "2020-01-01", db=db, check_rc=0)
    run_cli("add", "--text", "Recent ask", "--made", "2099-01-01", db=db, check_rc=0)
    rows = json.loads(run_cli("overdue", "--json", db=db, check_rc=0).stdout)
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


def test_invalid_utf8_text_file_is_a_clear_error(run_cli, tmp_path, register_db):
    db = register_db
    run_cli("add", "--text", "Ask", "--made", "2023-03-17", db=db, check_rc=0)
    bad = tmp_path / "bin.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff\xfe")
    proc = run_cli(
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

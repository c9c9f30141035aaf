"""Privacy: no casework text in logs or error reports, and no network access at all."""

from __future__ import annotations

import ast
import datetime as dt
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pcc_desk.model import Position
from pcc_desk.services import register

REPO = Path(__file__).resolve().parent.parent
SECRET = "Detective Sergeant Quill-Marchbanks assaulted witness K7"


def test_every_engine_hides_its_sql_parameters():
    """Each create_engine call in the app and the migrations passes hide_parameters=True, so SQL
    errors and logs show placeholders, never the casework values."""
    calls = []
    for path in [*(REPO / "pcc_desk").rglob("*.py"), *(REPO / "db").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "create_engine"
            ):
                hidden = any(
                    k.arg == "hide_parameters" and getattr(k.value, "value", None) is True
                    for k in node.keywords
                )
                calls.append((f"{path.relative_to(REPO)}:{node.lineno}", hidden))
    assert calls, "no create_engine call found"
    assert [where for where, hidden in calls if not hidden] == []


def _make_responses_fail(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON responses BEGIN SELECT RAISE(ABORT, 'write refused'); END"
    )
    conn.commit()
    conn.close()


def test_a_failing_write_keeps_casework_text_out_of_the_error_and_the_log(desk, db_path, caplog):
    rec = register.add_recommendation(desk, "A recommendation")
    _make_responses_fail(db_path)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # what echo=True would log
    try:
        with pytest.raises(Exception) as info:
            register.log_response(
                desk,
                rec.ref,
                received=dt.date.today(),
                position=Position.ACCEPTED,
                text=SECRET,
                from_whom=SECRET,
            )
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert "write refused" in str(info.value)
    report = "".join(
        [
            str(info.value),
            repr(info.value),
            caplog.text,
            *(str(a) for a in getattr(info.value, "args", ())),
        ]
    )
    assert "INSERT INTO responses" in report  # the log really recorded the statement
    assert "Quill-Marchbanks" not in report


def test_a_crash_report_on_the_command_line_holds_no_casework_text(db_path, run_cli):
    run_cli("add", "--text", "A recommendation", "--made", "2024-01-01", db=db_path, check_rc=0)
    _make_responses_fail(db_path)
    proc = run_cli(
        "respond",
        "PCC-2024-01-01/01",
        "--received",
        "2024-02-01",
        "--position",
        "accepted",
        "--text",
        SECRET,
        db=db_path,
    )
    assert proc.returncode == 2  # one line, no traceback (services.failures)
    assert proc.stderr.count("\n") == 1 and "refused the change" in proc.stderr
    assert "Quill-Marchbanks" not in proc.stderr + proc.stdout


NO_NETWORK = r"""
import importlib, pkgutil, socket, sys
attempts = []
def refuse(name):
    def fn(*a, **k):
        attempts.append(name)
        raise OSError("network access attempted: " + name)
    return fn
for name in ("connect", "connect_ex", "bind", "sendto", "sendmsg"):
    setattr(socket.socket, name, refuse("socket." + name))
socket.create_connection = refuse("create_connection")
socket.getaddrinfo = refuse("getaddrinfo")
socket.gethostbyname = refuse("gethostbyname")

import pcc_desk
for info in pkgutil.walk_packages(pcc_desk.__path__, "pcc_desk."):
    if info.name.startswith("pcc_desk.gui") or info.name == "pcc_desk.__main__":
        continue
    importlib.import_module(info.name)
from pcc_desk import selftest
done = selftest.run_steps()
print("steps:", len(done), "of", len(selftest.STEPS), "attempts:", attempts)
"""


def test_importing_every_core_module_and_running_the_self_test_opens_no_socket():
    """Python-level sockets are refused in a fresh interpreter; nothing tries to use one. (Qt's own
    C++ sockets are not seen here; the app uses only a local socket for single-instance.)"""
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-c", NO_NETWORK], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "attempts: []" in proc.stdout
    import re

    ran, total = map(int, re.search(r"steps: (\d+) of (\d+)", proc.stdout).groups())
    assert ran == total >= 5

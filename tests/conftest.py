"""Shared fixtures. Qt runs offscreen: set before any Qt import."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PCC_DESK_LOG", "WARNING")

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_LETTER = REPO / "resources" / "samples" / "pcc-letter-2023-03-17-turnaround-plan.md"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """No test ever touches the real user data folder or a database named in the environment."""
    monkeypatch.setenv("PCC_DESK_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.delenv("PCC_DESK_DB", raising=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """One migrated, empty register per test session; tests get copies."""
    from pcc_desk import storage

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    location = storage.resolve_location(path)
    storage.migrate(location)
    # fold the WAL into the main file so a plain copy is complete
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    return path


@pytest.fixture
def db_path(tmp_path, template_db) -> Path:
    target = tmp_path / "register.sqlite3"
    shutil.copyfile(template_db, target)
    return target


@pytest.fixture
def desk(db_path):
    from pcc_desk.services import Desk

    d = Desk.open(db_path)
    yield d
    d.close()


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``pcc-desk`` in this process (``pcc_desk.cli.main(argv)``); same arguments and result as
    :func:`run_cli`."""
    from support.cli import call_main

    def run(
        *args: str, db: Path | None = None, input: str | None = None, check_rc: int | None = None
    ):
        proc = call_main(capsys, monkeypatch, *args, db=db, input=input)
        if check_rc is not None:
            assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
        return proc

    return run


@pytest.fixture
def run_cli(tmp_path):
    """Run ``pcc-desk`` in a subprocess, as a clerk would: for exit codes, the entry point, stderr
    wording and what needs a process of its own; anything else uses :func:`cli`."""
    import subprocess

    def run(
        *args: str, db: Path | None = None, input: str | None = None, check_rc: int | None = None
    ):
        env = dict(os.environ)
        env["PCC_DESK_DATA_DIR"] = str(tmp_path / "user-data")
        cmd = [sys.executable, "-m", "pcc_desk", *args]
        if db is not None:
            cmd[3:3] = ["--db", str(db)]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env=env, input=input, timeout=120
        )
        if check_rc is not None:
            assert proc.returncode == check_rc, (proc.returncode, proc.stdout, proc.stderr)
        return proc

    return run

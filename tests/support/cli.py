"""``pcc-desk`` called in this process: ``pcc_desk.cli.main(argv)`` with its output captured.

The ``cli`` fixture (tests/conftest.py) gives it the same signature and result as ``run_cli`` (a real
subprocess, for exit codes, the entry point, stderr wording and anything a process must own):
``cli(*args, db=None, input=None, check_rc=None)`` returns a ``CompletedProcess`` with ``returncode``,
``stdout`` and ``stderr``. It is many times faster, so a test that needs no process of its own uses it.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from pcc_desk.cli import main


def call_main(
    capsys, monkeypatch, *args: str, db: Path | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    argv = [*args] if db is None else ["--db", str(db), *args]
    capsys.readouterr()  # whatever the test printed before is not the command's output
    monkeypatch.setattr(sys, "stdin", io.StringIO(input or ""))
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse: --help, --version, a bad argument
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["pcc-desk", *argv], code, out, err)

"""Launching the desktop (:mod:`pcc_desk.gui.launch`): the register's table is being read before Qt's
widgets, the screens or SQLAlchemy are imported, from the register the clerk would open (--db,
$PCC_DESK_DB, or the one chosen in Settings); the cycle collector is off during start-up only."""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import subprocess
import sys

import pytest

from pcc_desk.gui import launch
from pcc_desk.services import Desk, register

LAUNCH = r"""
import argparse, json, sys
from pcc_desk.gui import launch, state
if sys.argv[2] == "settings":
    state.choose_database(sys.argv[1])
args = argparse.Namespace(db=sys.argv[1] if sys.argv[2] == "db" else None, screenshot=None,
                          allow_unsafe_location=False)
early = launch.read_ahead(args)
loaded = sorted(m for m in ("PySide6.QtWidgets", "PySide6.QtGui", "sqlalchemy", "pcc_desk.gui.app",
                            "pcc_desk.model") if m in sys.modules)
reading = early is not None and early._thread is not None
early.go_on()
print(json.dumps({"loaded": loaded, "reading": reading, "path": str(early.path),
                  "current": early.still_current(), "rows": len(early.table.rows)}))
"""


@pytest.mark.parametrize("how", ["db", "environment", "settings"])
def test_the_table_is_being_read_before_the_widgets_and_sqlalchemy_are_imported(tmp_path, how):
    path = tmp_path / "chosen register.sqlite3"
    with Desk.open(path) as desk:
        for n in range(12):
            register.add_recommendation(desk, f"Ask {n}", made=dt.date(2024, 1, 1 + n))
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PCC_DESK_DATA_DIR=str(tmp_path / "data"),  # (the default file: not this one)
    )
    env.pop("PCC_DESK_DB", None)
    if how == "environment":
        env["PCC_DESK_DB"] = str(path)
    out = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(path), how],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    seen = json.loads(out.stdout)
    assert seen == {
        "loaded": [],
        "reading": True,
        "path": str(path),
        "current": True,
        "rows": 12,
    }


def test_the_cycle_collector_is_off_while_starting_and_on_after_with_start_up_frozen():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with launch.starting():
            assert not gc.isenabled()
            made = [[n] for n in range(1000)]  # (objects made during start-up)
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(made)
    finally:
        gc.unfreeze()


FIRST_SHOW = r"""
import argparse, json, sys
from PySide6 import QtCore
from pcc_desk.gui import app, launch, main_window
seen = []
real_show = main_window.MainWindow.show
def show(self):
    seen.append("Qt" in QtCore.__dict__)  # Qt's namespace is made on its first use
    real_show(self)
main_window.MainWindow.show = show
args = argparse.Namespace(db=sys.argv[1], screenshot=None, allow_unsafe_location=False)
started = app.start(args, launch.read_ahead(args))
shown = started.window.read_ahead is not None
started.window.close(); started.window.bench.desk.close(); started.instance.release()
print(json.dumps({"made before the window": seen, "rows shown": shown}))
"""


def test_the_window_goes_on_screen_before_qts_namespace_is_made(tmp_path):
    """Qt's namespace (``Qt.``, every one of its enumerations: ~17 ms) is made on first use, also by
    PySide choosing between overloads; the window goes on screen without it, and it is made while
    the register's file is read (a bare PySide window does not make it: start-up is measured
    against one)."""
    path = tmp_path / "register.sqlite3"
    with Desk.open(path) as desk:
        register.add_recommendation(desk, "An ask", made=dt.date(2024, 1, 1))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run(
        [sys.executable, "-c", FIRST_SHOW, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "made before the window": [False],
        "rows shown": True,
    }

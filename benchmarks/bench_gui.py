"""Desktop workbench speed: start-up against a bare PySide6 window, filter-as-you-type, peak memory.

    PYTHONPATH=. QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--rows 20000] [--db PATH]

Each start-up is a fresh process (as a clerk starts the app) running the app's own start-up
(``pcc_desk.gui.launch.run``'s steps: the table read ahead from the file from the start, then
``pcc_desk.gui.app.start``: window, single-instance lock, health check, opening the register): the
time from launch to the window on screen, and to the register populated with every row, against a
bare PySide6 window shown and closed in the same run. "Register populated" is the moment the rows
are on screen as the clerk sees them (read ahead from the file, read-only, before the register is
open; or loaded by the Register screen when they could not be read ahead); "writable" is the moment
the register is open and edits are enabled (after the whole-file check when it runs). ``--db`` takes any register, e.g. the decade's
corpus: a database of 1,000 imported transcripts (``bench_transcripts.py --db``) to which
``make_register.build_register`` has added 20,000 recommendations (the file's size matters: the
health check on opening reads all of it). Filter latency is measured in-process on the real Register screen: the time
from a keystroke in the search box to the table repainted, per keystroke. Peak memory is each
process's maximum resident set size. While typing, the Register must ask nothing: a "Save the
changes?" question (or any message box) is counted, answered Discard, and fails the run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

BARE = r"""
import json, os, resource, sys, time
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("bare")); w.resize(1366, 768); w.show()
app.processEvents()
shown = time.time() - t0
w.close()
print(json.dumps({"shown": shown, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

APP = r"""
import argparse, json, os, resource, sys, time
t0 = float(os.environ["BENCH_T0"])
from pcc_desk.gui import launch  # the real start-up, as pcc_desk.gui.launch.run does it:
starting = launch.starting()  # the cycle collector off until the register is open,
starting.__enter__()
args = argparse.Namespace(db=os.environ["BENCH_DB"], screenshot=None, allow_unsafe_location=False)
early = launch.read_ahead(args)  # the table read from the file while the rest is imported,
from pcc_desk.gui import app as gui_app  # then pcc_desk.gui.app.start
import pcc_desk.gui.main_window as main_window
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
shown = read_ahead = None
_show = main_window.MainWindow.show
def show(self):
    global shown
    _show(self)
    if shown is None:
        QApplication.processEvents()
        shown = time.time() - t0
main_window.MainWindow.show = show
_read_ahead = main_window.MainWindow.show_read_ahead
def show_read_ahead(self, rows):  # the rows read ahead from the file, on screen before the Desk opens
    global read_ahead
    on_screen = _read_ahead(self, rows)
    if on_screen:
        QApplication.processEvents()
        read_ahead = time.time() - t0
    return on_screen
main_window.MainWindow.show_read_ahead = show_read_ahead
started = gui_app.start(args, early)
starting.__exit__(None, None, None)
opened = time.time() - t0  # the Desk open and attached: edits enabled (once the check allows)
w = started.window
gate = w.bench.desk.checking
checking = bool(gate and gate.checking)
checked = []
if gate is not None:
    gate.when_done(lambda: checked.append(time.time() - t0))
w.resize(1366, 768)
screen = w.start("register")
if not screen.is_loaded():
    loop = QEventLoop(); screen.loaded.connect(loop.quit); QTimer.singleShot(120_000, loop.quit); loop.exec()
started.app.processEvents()
loaded = time.time() - t0
rows = screen.proxy.rowCount()
if gate is not None:
    gate.wait()  # as a save would: the whole-file check done
writable = max([opened, *checked])
w.close(); w.bench.desk.close(); started.instance and started.instance.release()
print(json.dumps({"shown": shown, "populated": read_ahead or loaded, "read_ahead": read_ahead is not None,
                  "loaded": loaded, "rows": rows, "checking": checking, "writable": writable,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def child(code: str, db: Path | None = None) -> dict:
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        XDG_CONFIG_HOME=tempfile.mkdtemp(prefix="bench-qsettings-"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app starts from compiled bytecode
    if db is not None:
        env["BENCH_DB"] = str(db)
    env["BENCH_T0"] = repr(time.time())
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def filter_latency(
    db: Path, text: str = "the met should publish"
) -> tuple[list[float], int, int, list[str]]:
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from pcc_desk.gui import prompts
    from pcc_desk.gui.main_window import MainWindow
    from pcc_desk.services import Desk

    asked: list[str] = []  # a modal offscreen would wait forever: count it and answer instead
    prompts.ask_unsaved = lambda _parent, what: (
        asked.append(f"Save the changes to {what}?") or (prompts.DISCARD)
    )
    QMessageBox.exec = lambda box: asked.append(box.text()) or QMessageBox.StandardButton.Discard

    desk = Desk.open(db)
    window = MainWindow(desk, restore=False)
    window.resize(1366, 768)
    window.show()
    screen = window.start("register")
    while not screen.is_loaded():
        app.processEvents()
        time.sleep(0.01)
    total = screen.proxy.rowCount()
    timings = []
    for round_ in range(3):
        screen.search_edit.clear()
        app.processEvents()
        if round_ and total:  # start from another row each round: far from the matches, then amid
            screen.select_ref(screen.proxy.record(total // 2 if round_ == 1 else total - 1).ref)
            app.processEvents()
        for i in range(1, len(text) + 1):
            start = time.perf_counter()
            screen.search_edit.setText(text[:i])  # what a keystroke does: textChanged -> filter
            screen.table.viewport().repaint()
            app.processEvents()
            if round_:
                timings.append((time.perf_counter() - start) * 1000)
    shown = screen.proxy.rowCount()
    window.close()
    desk.close()
    return timings, total, shown, asked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--db", type=Path, help="a generated register to reuse (made if missing)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--letters", type=int, help="made on that many letters' dates (default: spread over days)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    name = f"pcc-desk-bench-{args.rows}" + (f"-{args.letters}-letters" if args.letters else "")
    db = args.db or Path(tempfile.gettempdir()) / f"{name}.sqlite3"
    if not db.exists():
        from make_register import build_register

        t = time.perf_counter()
        build_register(db, args.rows, letters=args.letters)
        print(f"generated {args.rows:,} recommendations in {time.perf_counter() - t:.1f} s -> {db}")
    child(BARE)  # warm the file cache for both
    child(APP, db)
    bare = [child(BARE) for _ in range(args.runs)]
    app = [
        child(APP, db) for _ in range(args.runs)
    ]  # checked and closed cleanly: no whole-file check
    due = []
    record = db.with_name(f"{db.stem}.checked.json")
    for _ in range(
        args.runs
    ):  # never checked here (or changed, or not closed cleanly, or a week on)
        record.unlink(missing_ok=True)
        due.append(child(APP, db))
    bare_shown = statistics.median(r["shown"] for r in bare)
    app_shown = statistics.median(r["shown"] for r in app)
    app_populated = statistics.median(r["populated"] for r in app)
    app_writable = statistics.median(r["writable"] for r in app)
    due_populated = statistics.median(r["populated"] for r in due)
    due_writable = statistics.median(r["writable"] for r in due)
    print(
        f"rows in the register:           {app[0]['rows']:,} ({db.stat().st_size / 1e6:,.0f} MB file)"
    )
    print(f"bare PySide6 window shown:      {bare_shown * 1000:7.0f} ms")
    print(
        f"PCC Desk window shown:          {app_shown * 1000:7.0f} ms   ({app_shown / bare_shown:.1f}x bare)"
    )
    print(
        f"register populated:             {app_populated * 1000:7.0f} ms   ({app_populated / bare_shown:.1f}x bare)"
        f"   [rows on screen, read ahead in {sum(r['read_ahead'] for r in app)}/{len(app)} runs;"
        f" whole-file check not due; ran in {sum(r['checking'] for r in app)}/{len(app)} runs]"
    )
    print(
        f"writable:                       {app_writable * 1000:7.0f} ms   ({app_writable / bare_shown:.1f}x bare)"
        "   [the register open, edits enabled]"
    )
    print(
        f"  ... with the check due:       {due_populated * 1000:7.0f} ms   ({due_populated / bare_shown:.1f}x bare)"
        f"   [checked in the background in {sum(r['checking'] for r in due)}/{len(due)} runs;"
        f" writable after {due_writable * 1000:.0f} ms ({due_writable / bare_shown:.1f}x bare)]"
    )
    timings, total, shown, asked = filter_latency(db)
    timings.sort()
    print(
        f"filter-as-you-type on {total:,} rows: median {statistics.median(timings):.1f} ms, "
        f"95th percentile {timings[int(len(timings) * 0.95) - 1]:.1f} ms, worst {timings[-1]:.1f} ms a keystroke "
        f"({len(timings)} keystrokes; {shown:,} rows match the full phrase)"
    )
    print(f"questions asked while typing:   {len(asked)}")
    for question in asked:
        print(f"  {question}")
    bare_rss = statistics.median(r["rss_mb"] for r in bare)
    app_rss = statistics.median(r["rss_mb"] for r in app)
    print(
        f"peak memory: bare {bare_rss:.0f} MB, PCC Desk with the register {app_rss:.0f} MB ({app_rss / bare_rss:.1f}x)"
    )
    return 1 if asked else 0


if __name__ == "__main__":
    raise SystemExit(main())

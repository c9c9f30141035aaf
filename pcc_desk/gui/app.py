"""Start-up of the desktop app.

The window goes on screen first (it imports no SQLAlchemy); then the database is opened (and
migrated if needed) and handed to the window; the register's rows load on a worker thread.
``--screenshot`` opens a view at 1366×768, waits until its data is on screen, saves a PNG and exits.
"""

from __future__ import annotations

import sys
from pathlib import Path

SCREENSHOT_SIZE = (1366, 768)
SCREENSHOT_TIMEOUT_MS = 60_000


def _database_argument(args) -> str | None:
    """--db, else $PCC_DESK_DB (storage resolves it), else the file chosen in Settings."""
    import os

    if getattr(args, "db", None):
        return args.db
    if os.environ.get("PCC_DESK_DB"):
        return None
    from pcc_desk.gui.state import chosen_database

    return chosen_database()


def run_app(args) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from pcc_desk.errors import PccError
    from pcc_desk.gui import state

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(state.APPLICATION)
    app.setApplicationDisplayName("PCC Desk")
    app.setOrganizationName(state.ORGANISATION)
    from pcc_desk.gui.errors import install_excepthook

    install_excepthook(_log_dir)
    from pcc_desk.gui.main_window import MainWindow

    screenshot = getattr(args, "screenshot", None)
    window = MainWindow(restore=not screenshot)
    if screenshot:
        window.resize(*SCREENSHOT_SIZE)
    window.show()
    app.processEvents()  # on screen before SQLAlchemy is even imported
    from pcc_desk.services import Desk

    try:
        desk = Desk.open(_database_argument(args))
    except PccError as error:
        if screenshot:
            print(f"pcc-desk: {error}", file=sys.stderr)
        else:
            QMessageBox.critical(window, "PCC Desk", str(error))
        window.close()
        return error.exit_code
    window.attach(desk)
    try:
        if screenshot:
            return take_screenshot(app, window, Path(screenshot), getattr(args, "view", "register") or "register")
        window.start()
        return app.exec()
    finally:
        desk.close()


def _log_dir() -> Path:
    from pcc_desk import storage

    return storage.default_data_dir()


def take_screenshot(app, window, target: Path, view: str) -> int:
    """Show ``view`` at 1366×768, wait for its data, save the window as a PNG; 0 on success."""
    from PySide6.QtCore import QEventLoop, QTimer

    from pcc_desk import storage

    window.resize(*SCREENSHOT_SIZE)
    window.show()
    key = "register" if view == "detail" else view
    screen = window.start(key)
    if not screen.is_loaded():
        loop = QEventLoop()
        screen.loaded.connect(loop.quit)
        QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, loop.quit)
        loop.exec()
    if not screen.is_loaded():
        print(f"pcc-desk: the {view} view did not load within {SCREENSHOT_TIMEOUT_MS // 1000} s.", file=sys.stderr)
        return 1
    if view == "detail":
        screen.splitter.setSizes([250, 450])
        _select_richest(screen)
    for _ in range(5):
        app.processEvents()
    pixmap = window.grab()
    with storage.atomic_output(target) as tmp:
        ok = pixmap.save(str(tmp), "PNG")
    window.close()
    if not ok:
        print(f"pcc-desk: could not write {target}.", file=sys.stderr)
        return 1
    return 0


def _select_richest(screen) -> None:
    """For the detail screenshot: a recommendation with responses, if there is one."""
    model = screen.model
    for row in range(model.rowCount()):
        rec = model.record(row)
        if rec.latest_assessment is not None:
            screen.select_ref(rec.ref)
            screen.detail.tabs.setCurrentIndex(2)
            return
    if screen.proxy.rowCount():
        screen.table.selectRow(0)

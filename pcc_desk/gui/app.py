"""Start-up of the desktop app: open (and migrate) the database before the window module loads."""

from __future__ import annotations

import sys


def run_app(args) -> int:
    from PySide6.QtWidgets import QApplication

    from pcc_desk.services import Desk

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("PCC Desk")
    app.setOrganizationName("PCC Desk")
    desk = Desk.open(args.db)
    from pcc_desk.gui.main_window import MainWindow

    window = MainWindow(desk)
    window.show()
    try:
        return app.exec()
    finally:
        desk.close()

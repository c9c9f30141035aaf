"""The Qt part of ``pcc-desk --self-test``: build the main window without showing it on screen."""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from pcc_desk.gui.main_window import MainWindow


def build_main_window_offscreen(desk) -> None:
    app = QApplication.instance()
    if app is None:  # never pop a window on the clerk's screen: Qt's offscreen platform
        app = QApplication(["pcc-desk", "-platform", "offscreen"])
    window = MainWindow(desk)
    window.show()
    screen = window.start("register")
    if screen is None:
        raise RuntimeError("the main window has no register")
    if not screen.is_loaded():  # the register's rows load on a worker thread
        loop = QEventLoop()
        screen.loaded.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
    if not window.isVisible() or not screen.is_loaded():
        raise RuntimeError("the main window did not show the register")
    window.close()
    QThreadPool.globalInstance().waitForDone(30_000)
    window.deleteLater()
    app.processEvents()

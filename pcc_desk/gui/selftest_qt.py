"""The Qt part of ``pcc-desk --self-test``: build the main window without showing it on screen."""

from __future__ import annotations


def build_main_window_offscreen(desk) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:  # never pop a window on the clerk's screen: Qt's offscreen platform
        app = QApplication(["pcc-desk", "-platform", "offscreen"])
    from pcc_desk.gui.main_window import MainWindow

    window = MainWindow(desk)
    window.show()
    app.processEvents()
    if not window.isVisible():
        raise RuntimeError("the main window did not show")
    window.close()
    window.deleteLater()
    app.processEvents()

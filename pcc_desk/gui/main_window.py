"""The main window."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from pcc_desk.services import Desk


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.setWindowTitle(self.tr("PCC Desk"))
        self.setCentralWidget(QLabel(self.tr("Register")))
        self.statusBar().showMessage(self.tr("Database: %s") % desk.location.describe())
        self.resize(1366, 768)

"""A clearly-labelled placeholder for a screen whose services have not landed yet."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pcc_desk.gui.screens import Screen
from pcc_desk.gui.workbench import Workbench


class PlaceholderScreen(Screen):
    """Says plainly what the screen will do; it does none of it yet."""

    HEADING = ""
    BODY = ""

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(bench, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        heading = QLabel(f"<h2>{self.HEADING}</h2><p><b>{self.tr('Not available in this version yet.')}</b></p>", self)
        body = QLabel(self.BODY, self)
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setAccessibleName(self.tr("What this screen will do"))
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)

    def activate(self) -> None:
        if not self.is_loaded():
            self.mark_loaded()

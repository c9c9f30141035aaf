"""Importing a reply from the window (File → Import a reply…): read on a worker thread with the
status bar's progress, then reviewed in :class:`ReplyReviewDialog`; nothing is written until the
clerk presses Import, and Ctrl+Z takes the whole import out again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from pcc_desk.gui.dialogs.reply_review import ReplyReviewDialog
from pcc_desk.gui.undo import ImportReplyCommand
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import reply_import
from pcc_desk.services.reply_import import ReplyPreview


def read_preview(desk, path: Path, token, _progress) -> ReplyPreview:
    """Worker-side: read the reply and match it (writes nothing)."""
    preview = reply_import.preview(desk, path)
    token.check()
    return preview


class ReplyImporter(QObject):
    review_opened = Signal(object)  # the ReplyReviewDialog
    imported = Signal(object)  # a ReplyImportResult

    def __init__(self, bench: Workbench, parent: QWidget) -> None:
        super().__init__(parent)
        self.bench = bench
        self.widget = parent
        self.dialog: ReplyReviewDialog | None = None

    def review(self, path: Path) -> None:
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: read_preview(desk, path, token, progress),
            self._show_review,
            label=self.tr("Reading %s…") % Path(path).name,
        )

    def _show_review(self, preview: ReplyPreview) -> None:
        dialog = ReplyReviewDialog(self.bench, preview, self.widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._imported)
        self.dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        dialog.open()
        self.review_opened.emit(dialog)

    def _imported(self, result) -> None:
        self.bench.message(result.message)
        self.bench.undo.push(ImportReplyCommand(self.bench, result))
        self.imported.emit(result)

"""The detail screen's "Verified & evidence" tab: the Committee's verifications (who, when, what was
seen) and every evidence file kept for the ask, each openable from its kept copy; **Verify…** records a
verification with its files, **Attach file…** keeps a file as evidence; and the RAG rating the tracker
paper gives the ask, which **RAG rating…** sets by hand with a reason (or back to the derived one).
All go on the undo stack."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui.dialogs.response_form import from_qdate, to_qdate
from pcc_desk.gui.dialogs.status_change import RagDialog
from pcc_desk.gui.undo import ServiceCommand, SetRagCommand, execute
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import tracker_paper, verification
from pcc_desk.services.dto import EvidenceRecord, RecommendationDetail
from pcc_desk.vocabulary import RAG_FILLS

FILE_ROLE = 0x0100  # Qt.ItemDataRole.UserRole


class VerifyCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, values: dict) -> None:
        super().__init__(bench, ref, f"Record the verification of {ref}")
        self.values = dict(values)

    def do(self) -> None:
        verification.verify(self.bench.desk, self.ref, **self.values)


class AttachEvidenceCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, path: Path) -> None:
        super().__init__(bench, ref, f"Attach evidence to {ref}")
        self.path = path

    def do(self) -> None:
        verification.attach_evidence(self.bench.desk, self.ref, self.path)


class VerifyDialog(QDialog):
    """When the Committee verified it, who did, what was seen, and the evidence files."""

    def __init__(self, rec: RecommendationDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Verify %s") % rec.ref)
        self.rec = rec
        form = QFormLayout()
        self.on_edit = QDateEdit(self)
        self.on_edit.setCalendarPopup(True)
        self.on_edit.setDisplayFormat("d MMMM yyyy")
        self.on_edit.setMinimumDate(to_qdate(rec.made))
        self.on_edit.setMaximumDate(to_qdate(dt.date.today()))
        self.on_edit.setDate(to_qdate(dt.date.today()))
        self.on_edit.setAccessibleName(self.tr("Date verified"))
        self.by_edit = QLineEdit(self)
        self.by_edit.setPlaceholderText(self.tr("you, unless someone else verified it"))
        self.by_edit.setAccessibleName(self.tr("Verified by"))
        self.note_edit = QLineEdit(self)
        self.note_edit.setAccessibleName(self.tr("What was seen"))
        self.note_edit.setPlaceholderText(self.tr("e.g. the policy is published on the Met's site"))
        self.files = QListWidget(self)
        self.files.setAccessibleName(self.tr("Evidence files"))
        add = QPushButton(self.tr("&Add files…"), self)
        add.clicked.connect(self._choose)
        form.addRow(self.tr("&Verified on:"), self.on_edit)
        form.addRow(self.tr("&By:"), self.by_edit)
        form.addRow(self.tr("&What was seen:"), self.note_edit)
        form.addRow(self.tr("Evidence:"), self.files)
        form.addRow("", add)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.note_edit.textChanged.connect(self._update)
        self._update()

    def add_files(self, paths: list[Path]) -> None:
        for path in paths:
            self.files.addItem(str(path))

    def _choose(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("Evidence files"))
        self.add_files([Path(n) for n in names])

    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.note_edit.text().strip()))

    def values(self) -> dict:
        return {
            "note": self.note_edit.text().strip(),
            "verified_by": self.by_edit.text().strip(),
            "verified_on": from_qdate(self.on_edit.date()),
            "evidence": tuple(Path(self.files.item(i).text()) for i in range(self.files.count())),
        }


class EvidencePanel(QWidget):
    changed = Signal(str)  # the reference, after a verification or a file was added

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.detail: RecommendationDetail | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("File"), self.tr("Attached to"), self.tr("Note")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(self.tr("Evidence files"))
        self.tree.itemActivated.connect(lambda item, _col: self.open_item(item))
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.clicked.connect(lambda: self.open_item(self.tree.currentItem()))
        self.verify_button = QPushButton(self.tr("Ver&ify…"), self)
        self.verify_button.clicked.connect(self.choose_verify)
        self.attach_button = QPushButton(self.tr("Attach &file…"), self)
        self.attach_button.clicked.connect(self.choose_attach)
        self.rag_label = QLabel(self)
        self.rag_label.setWordWrap(True)
        self.rag_label.setAccessibleName(self.tr("RAG rating in the tracker paper"))
        self.rag_button = QPushButton(self.tr("RA&G rating…"), self)
        self.rag_button.setToolTip(
            self.tr("Set the tracker paper's rating by hand, with the reason")
        )
        self.rag_button.clicked.connect(self.choose_rag)
        self.rating: tracker_paper.RagRating | None = None
        buttons = QHBoxLayout()
        for button in (self.open_button, self.verify_button, self.attach_button, self.rag_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.rag_label)
        layout.addLayout(buttons)
        self.opened: list[Path] = []  # what was opened (tests read it)

    def show_detail(self, d: RecommendationDetail) -> None:
        self.detail = d
        checks = [
            self.tr("Verified %s by %s: %s") % (house_date(v.verified_on), v.verified_by, v.note)
            for v in d.verifications
        ]
        self.summary.setText(
            "<br>".join(checks) or self.tr("<i>Not verified by the Committee.</i>")
        )
        self.tree.clear()
        by_verification = {v.id: house_date(v.verified_on) for v in d.verifications}
        for e in d.evidence:
            if e.verification_id:
                where = self.tr("verification of %s") % by_verification.get(e.verification_id, "")
            elif e.response_id:
                where = self.tr("a response")
            else:
                where = self.tr("the ask")
            item = QTreeWidgetItem([e.file_name, where, e.note])
            item.setData(0, FILE_ROLE, e)
            self.tree.addTopLevelItem(item)
        self.open_button.setEnabled(bool(d.evidence))
        self._show_rating(d)

    def _show_rating(self, d: RecommendationDetail) -> None:
        try:
            self.rating = tracker_paper.rating(self.bench.desk, d.ref)
        except PccError as error:  # it has just left the register
            self.rating = None
            self.rag_label.setText(str(error))
            return
        colour = f"#{RAG_FILLS[self.rating.rag]}"
        rag = f"<b style='background:{colour}; color:#111;'>&nbsp;{self.rating.rag}&nbsp;</b>"
        if self.rating.by_clerk:
            words = self.tr("set by hand: %s (derived: %s)") % (
                html.escape(self.rating.why),
                self.rating.derived,
            )
        else:
            words = self.tr("derived today: %s") % html.escape(self.rating.why)
        self.rag_label.setText(self.tr("Tracker paper rating: %s %s") % (rag, words))

    def title(self) -> str:
        n = len(self.detail.evidence) if self.detail else 0
        mark = "✔ " if self.detail and self.detail.verifications else ""
        return f"{mark}{self.tr('Verified && evidence')} ({n})"

    def open_item(self, item: QTreeWidgetItem | None) -> None:
        record: EvidenceRecord | None = item.data(0, FILE_ROLE) if item else None
        if record is None:
            return
        try:
            path = verification.kept_path(self.bench.desk, record)
        except PccError as error:
            self.bench.report_error(error)
            return
        self.opened.append(path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def record_verification(self, values: dict[str, Any]) -> None:
        if self.detail is not None:
            self._run(VerifyCommand(self.bench, self.detail.ref, values))

    def attach(self, path: Path) -> None:
        if self.detail is not None:
            self._run(AttachEvidenceCommand(self.bench, self.detail.ref, path))

    def choose_verify(self) -> None:
        if self.detail is not None:
            dialog = VerifyDialog(self.detail, self)
            if dialog.exec():
                self.record_verification(dialog.values())

    def set_rag(self, rag: str | None, reason: str) -> None:
        if self.detail is not None:
            self._run(SetRagCommand(self.bench, self.detail.ref, rag, reason))

    def choose_rag(self) -> None:
        if self.detail is None or self.rating is None:
            return
        current = self.rating.rag if self.rating.by_clerk else None
        reason = self.rating.why if self.rating.by_clerk else ""
        dialog = RagDialog(self.detail.ref, current, reason, self.rating.derived, self)
        if dialog.exec():
            self.set_rag(dialog.new_rag(), dialog.note_edit.text().strip())

    def choose_attach(self) -> None:
        if self.detail is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Attach an evidence file"))
        if name:
            self.attach(Path(name))

    def _run(self, command) -> None:
        try:
            execute(self.bench, command)
        except PccError as error:
            self.bench.report_error(error)
        self.changed.emit(command.ref)

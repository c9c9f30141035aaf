"""Attach as quote to…: a searchable checklist of the register; tick the recommendations the quoted
words support. The Transcripts screen opens it for the words selected in its reader."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

REF_ROLE = Qt.ItemDataRole.UserRole
HAY_ROLE = Qt.ItemDataRole.UserRole + 1  # the words the filter looks in


class AttachQuoteDialog(QDialog):
    """A searchable checklist of the register: tick the recommendations the quote supports."""

    def __init__(self, recs, words: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Attach as quote to…"))
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        quote = QLabel(f"<i>“{html.escape(shorten(words, 300))}”</i>", self)
        quote.setWordWrap(True)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter by reference, theme or words"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter the recommendations"))
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Recommendations to attach the quote to"))
        self.list.setWordWrap(True)
        for rec in recs:
            item = QListWidgetItem(f"{rec.ref} – {shorten(rec.text, 140)}", self.list)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(REF_ROLE, rec.ref)
            item.setData(
                Qt.ItemDataRole.ToolTipRole, f"{rec.theme}: {rec.text}" if rec.theme else rec.text
            )
            item.setData(HAY_ROLE, f"{rec.ref} {rec.theme} {rec.text}".lower())
        self.count_label = QLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Attach"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(quote)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)
        self.filter_edit.textChanged.connect(self._filter)
        self.list.itemChanged.connect(lambda _item: self._update())
        self._update()

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            hay = item.data(HAY_ROLE)
            item.setHidden(not all(w in hay for w in words))

    def item_for(self, ref: str) -> QListWidgetItem | None:
        return next(
            (
                self.list.item(r)
                for r in range(self.list.count())
                if self.list.item(r).data(REF_ROLE) == ref
            ),
            None,
        )

    def checked_refs(self) -> list[str]:
        return [
            self.list.item(r).data(REF_ROLE)
            for r in range(self.list.count())
            if self.list.item(r).checkState() == Qt.CheckState.Checked
        ]

    def _update(self) -> None:
        refs = self.checked_refs()
        self.ok_button.setEnabled(bool(refs))
        self.count_label.setText(
            self.tr("%d ticked") % len(refs)
            if refs
            else self.tr("Tick one or more recommendations.")
        )


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

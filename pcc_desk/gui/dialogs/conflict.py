"""Two clerks, one record: the dialog a clerk sees when a save finds that someone else changed the
record since it was shown (the service's :class:`VersionConflict`).

It says who changed it and when, and shows per field their value and yours side by side. The clerk
chooses: **Keep mine** (yours saved over theirs, as a new, recorded edit), **Keep theirs** (yours
discarded), or **Edit** (type the merged text, then **Save merged**). Closing it saves nothing and
leaves the edits in the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.errors import FieldClash, VersionConflict
from pcc_desk.services import journal

MINE, THEIRS, MERGED = "mine", "theirs", "merged"
CHOICE_FIELDS = frozenset({"kind", "priority", "made"})  # a slug or a date: one of the two
OTHER_FIELDS = {"due": "the due date", "status": "the status", "quotes": "the quotes"}


def typed(clash: FieldClash) -> bool:
    """Whether the merge of this field is typed (text) rather than chosen (a slug, a date, a list)."""
    return (
        clash.name not in CHOICE_FIELDS
        and isinstance(clash.yours, str)
        and isinstance(clash.theirs, str | None)
    )


class ConflictDialog(QDialog):
    def __init__(self, conflict: VersionConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice: str | None = None
        self.setWindowTitle(self.tr("Changed by someone else"))
        self.resize(860, 420)
        layout = QVBoxLayout(self)
        self.heading = QLabel(self._heading(), self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName(self.tr("Who changed it and when"))
        layout.addWidget(self.heading)

        holder = QWidget(self)
        grid = QGridLayout(holder)
        who = conflict.by or self.tr("someone else")
        self.yours_header = QLabel(f"<b>{self.tr('Your value')}</b>", holder)
        for column, text in enumerate((self.tr("Field"), self.tr("Their value (%s)") % who, None)):
            if text is not None:
                grid.addWidget(QLabel(f"<b>{text}</b>", holder), 0, column)
        grid.addWidget(self.yours_header, 0, 2)
        self.theirs_boxes: dict[str, QPlainTextEdit] = {}
        self.yours_boxes: dict[str, QPlainTextEdit | QComboBox] = {}
        for row, clash in enumerate(conflict.fields, start=1):
            label = (
                clash.label
                if clash.changed_by_them
                else f"{clash.label} {self.tr('(unchanged by them)')}"
            )
            grid.addWidget(QLabel(label, holder), row, 0, Qt.AlignmentFlag.AlignTop)
            theirs = self._box(clash.theirs_text, holder, self.tr("Their %s") % clash.label)
            if not typed(clash):  # a slug, a date, a list: one line
                theirs.setMaximumHeight(theirs.fontMetrics().height() * 2 + 4)
            self.theirs_boxes[clash.name] = theirs
            grid.addWidget(theirs, row, 1, Qt.AlignmentFlag.AlignTop)
            yours = self._yours(clash, holder)
            self.yours_boxes[clash.name] = yours
            grid.addWidget(yours, row, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(conflict.fields) + 1, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)

        self.buttons = QDialogButtonBox(self)
        self.mine_button = self._button(
            self.tr("Keep &mine"), self.tr("Save your values over theirs")
        )
        self.theirs_button = self._button(self.tr("Keep &theirs"), self.tr("Discard your edits"))
        self.edit_button = self._button(self.tr("&Edit…"), self.tr("Type the merged text"))
        self.merged_button = self._button(self.tr("&Save merged"), self.tr("Save the merged text"))
        self.merged_button.hide()
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setToolTip(self.tr("Save nothing now; your edits stay in the form"))
        self.mine_button.clicked.connect(lambda: self._done(MINE))
        self.theirs_button.clicked.connect(lambda: self._done(THEIRS))
        self.merged_button.clicked.connect(lambda: self._done(MERGED))
        self.edit_button.clicked.connect(self.start_editing)
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

    def _heading(self) -> str:
        c = self.conflict
        who = f"<b>{c.by}</b>" if c.by else self.tr("someone else")
        text = self.tr("%s was changed by %s") % (f"<b>{c.ref}</b>", who)
        if c.at is not None:
            day, clock = journal.when(c.at).split(", ")
            text += self.tr(" at %s on %s") % (clock, day)
        text += self.tr(" since you opened it. Nothing has been saved yet.")
        others = [
            OTHER_FIELDS.get(f, f.replace("_", " "))
            for f in c.their_fields
            if f not in {x.name for x in c.fields}
        ]
        if others:
            text += "<br>" + self.tr(
                "They also changed: %s (kept whatever you choose)."
            ) % ", ".join(others)
        return text

    def _box(self, text: str, parent: QWidget, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(text, parent)
        box.setReadOnly(True)
        box.setAccessibleName(name)
        box.setMaximumHeight(110)
        return box

    def _yours(self, clash: FieldClash, parent: QWidget) -> QPlainTextEdit | QComboBox:
        if typed(clash):
            return self._box(clash.yours_text, parent, self.tr("Your %s") % clash.label)
        combo = QComboBox(parent)  # not text: the merge is a choice of one of the two
        combo.addItem(clash.yours_text, clash.yours)
        if clash.theirs != clash.yours:
            combo.addItem(clash.theirs_text, clash.theirs)
        combo.setEnabled(False)
        combo.setAccessibleName(self.tr("Your %s") % clash.label)
        return combo

    def _button(self, text: str, tip: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        return button

    def start_editing(self) -> None:
        """Edit: the right-hand column becomes the merged value, typed by the clerk."""
        self.yours_header.setText(f"<b>{self.tr('Merged value (yours to type)')}</b>")
        for box in self.yours_boxes.values():
            if isinstance(box, QPlainTextEdit):
                box.setReadOnly(False)
            else:
                box.setEnabled(True)
        self.edit_button.hide()
        self.merged_button.show()
        self.merged_button.setDefault(True)
        first = next(iter(self.yours_boxes.values()), None)
        if first is not None:
            first.setFocus()

    def _done(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def values(self, choice: str | None = None) -> dict[str, object]:
        """The values to save for ``choice`` (yours, or the merged ones), as the service takes them."""
        choice = choice or self.choice
        out: dict[str, object] = {}
        for clash in self.conflict.fields:
            box = self.yours_boxes[clash.name]
            if choice == MERGED and isinstance(box, QPlainTextEdit):
                value: object = box.toPlainText()
            elif choice == MERGED and isinstance(box, QComboBox):
                value = box.currentData()
            else:
                value = clash.yours
            if clash.name == "made" and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            out[clash.name] = value
        return out


def resolve(
    parent: QWidget | None,
    conflict: VersionConflict,
    save: Callable[[dict[str, object], int | None], None],
    *,
    dialog_factory: Callable[[VersionConflict, QWidget | None], ConflictDialog] = ConflictDialog,
) -> str | None:
    """Show the conflict and carry the clerk's choice out: ``save(values, expected_version)`` for
    Keep mine and Save merged (from the version now saved, so a further change by someone else is
    another conflict, shown again). Returns the choice made (None: cancelled, nothing saved)."""
    while True:
        dialog = dialog_factory(conflict, parent)
        if not dialog.exec() or dialog.choice is None:
            return None
        if dialog.choice == THEIRS:
            return THEIRS
        try:
            save(dialog.values(), conflict.now)
        except VersionConflict as again:
            if again.now is None:  # changed at the very same moment: no details to show
                raise
            conflict = again
            continue
        return dialog.choice

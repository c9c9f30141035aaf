"""The conflicts a laptop copy's syncs found (:func:`pcc_desk.services.sync.conflicts`): a field
changed both on this laptop and on the team register, from the same value to different ones.

Each conflict is a card naming the recommendation and the field, with the two values side by side
(yours, from this laptop; theirs, which the team register kept) and **Keep mine**, **Keep theirs** and
**Edit** (your value in an editor, then **Save merged**). Each calls
:func:`pcc_desk.services.sync.resolve`: keeping yours or a merged text is an ordinary, recorded edit
that the next sync sends. A settled card says what was kept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.errors import PccError
from pcc_desk.gui.errors import in_words
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import register, sync

MINE, THEIRS = "mine", "theirs"
CHOICE_FIELDS = frozenset({"kind", "priority", "made"})  # a slug or a date: one of the two values


def _shown(name: str, value: object) -> str:
    try:
        return register.shown_value(name, value)
    except ValueError:  # a value this version does not know: as it is stored
        return "" if value is None else str(value)


class ConflictCard(QGroupBox):
    """One conflict: the record and field named, both values, the three choices."""

    resolved = Signal(str)  # the service's one-line message

    def __init__(self, bench: Workbench, conflict: sync.ConflictRecord, parent: QWidget) -> None:
        super().__init__(f"{conflict.ref} — {conflict.label}", parent)
        self.bench = bench
        self.conflict = conflict
        self.setAccessibleName(self.tr("Conflict on %s of %s") % (conflict.label, conflict.ref))
        grid = QGridLayout(self)
        grid.addWidget(QLabel(f"<b>{self.tr('Yours (this laptop)')}</b>", self), 0, 0)
        grid.addWidget(QLabel(f"<b>{self.tr('Theirs (the team register)')}</b>", self), 0, 1)
        self.mine_box = self._box(_shown(conflict.field, conflict.mine), self.tr("Your value"))
        self.theirs_box = self._box(_shown(conflict.field, conflict.theirs), self.tr("Their value"))
        grid.addWidget(self.mine_box, 1, 0)
        grid.addWidget(self.theirs_box, 1, 1)
        buttons = QHBoxLayout()
        self.keep_mine_button = QPushButton(self.tr("Keep &mine"), self)
        self.keep_theirs_button = QPushButton(self.tr("Keep &theirs"), self)
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.save_button = QPushButton(self.tr("&Save merged"), self)
        self.save_button.setVisible(False)
        if conflict.field in CHOICE_FIELDS:
            self.edit_button.setEnabled(False)
            self.edit_button.setToolTip(self.tr("%s is one of the two values.") % conflict.label)
        self.keep_mine_button.clicked.connect(lambda: self.settle(MINE))
        self.keep_theirs_button.clicked.connect(lambda: self.settle(THEIRS))
        self.edit_button.clicked.connect(self.start_editing)
        self.save_button.clicked.connect(lambda: self.settle(self.mine_box.toPlainText()))
        for button in (
            self.keep_mine_button,
            self.keep_theirs_button,
            self.edit_button,
            self.save_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 2)
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setAccessibleName(self.tr("What was kept"))
        self.result_label.setVisible(False)  # until there is something to say
        grid.addWidget(self.result_label, 3, 0, 1, 2)

    def _box(self, text: str, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(text, self)
        box.setReadOnly(True)
        box.setAccessibleName(name)
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        longest = max(len(self.conflict.label), len(str(self.conflict.mine or "")), len(text))
        self._fit(box, longest // 55 + 1)
        return box

    @staticmethod
    def _fit(box: QPlainTextEdit, lines: int) -> None:
        """Tall enough for ``lines`` lines (2 to 8); longer text scrolls."""
        lines = max(2, min(8, lines))
        box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 2 * box.frameWidth() + 12)

    def _say(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setVisible(True)

    def start_editing(self) -> None:
        """Your value in an editor, to type the merged text; then Save merged."""
        self.mine_box.setPlainText(str(self.conflict.mine or ""))
        self.mine_box.setReadOnly(False)
        self._fit(self.mine_box, 6)
        self.mine_box.setFocus()
        self.edit_button.setVisible(False)
        self.save_button.setVisible(True)

    def settle(self, keep: str) -> bool:
        """Keep mine, theirs, or the text given (:func:`sync.resolve`); the card says what was kept."""
        try:
            with in_words(self.bench.desk.location.url):
                message = sync.resolve(self.bench.desk, self.conflict.id.hex, keep)
        except PccError as error:
            self._say(str(error))
            return False
        for widget in (
            self.keep_mine_button,
            self.keep_theirs_button,
            self.edit_button,
            self.save_button,
        ):
            widget.setEnabled(False)
        self.mine_box.setReadOnly(True)
        self._say(message)
        self.resolved.emit(message)
        return True


class SyncConflictsDialog(QDialog):
    """Every conflict not yet settled, one card each."""

    resolved = Signal(str)

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.setWindowTitle(self.tr("Sync conflicts"))
        self.resize(860, 520)
        layout = QVBoxLayout(self)
        with in_words(bench.desk.location.url):
            found = sync.conflicts(bench.desk)
        self.heading = QLabel(self._heading(len(found)), self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(self.tr("What the conflicts are"))
        layout.addWidget(self.heading)
        holder = QWidget(self)
        column = QVBoxLayout(holder)
        self.cards: list[ConflictCard] = []
        for conflict in found:
            card = ConflictCard(bench, conflict, holder)
            card.resolved.connect(self._settled)
            column.addWidget(card)
            self.cards.append(card)
        self.not_sent = self._not_sent_box(holder)
        if self.not_sent is not None:
            column.addWidget(self.not_sent)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(holder)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _not_sent_box(self, parent: QWidget) -> QGroupBox | None:
        """The laptop's changes the team register refused (one line each), with Dismiss: the clerk
        has seen them; they stay on this laptop only, as they are."""
        with in_words(self.bench.desk.location.url):
            self.refused = sync.refusals(self.bench.desk)
        if not self.refused:
            return None
        box = QGroupBox(
            self.tr("Not sent to the team register (they stay on this laptop only)"), parent
        )
        rows = QVBoxLayout(box)
        for line in self.refused:
            label = QLabel(line, box)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            rows.addWidget(label)
        self.dismiss_button = QPushButton(self.tr("&Dismiss these"), box)
        self.dismiss_button.setToolTip(
            self.tr("Stop listing them. Nothing on this laptop is undone, and they are not sent.")
        )
        self.dismiss_button.clicked.connect(self.dismiss_not_sent)
        rows.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignRight)
        return box

    def dismiss_not_sent(self) -> None:
        try:
            with in_words(self.bench.desk.location.url):
                gone = sync.dismiss_refusals(self.bench.desk, self.refused)
        except PccError as error:
            self.bench.report_error(error)
            return
        if self.not_sent is not None:
            self.not_sent.hide()
        self.resolved.emit(self.tr("%d change(s) no longer listed as not sent.") % gone)

    def _heading(self, count: int) -> str:
        if count == 0:
            return self.tr("No conflicts: every field changed on both sides has been settled.")
        what = self.tr("One field was") if count == 1 else self.tr("%d fields were") % count
        return what + self.tr(
            " changed both on this laptop and on the team register, from the same value to "
            "different ones. The team register kept its value: choose what each keeps. Keeping "
            "yours or a merged text is an ordinary edit, sent at the next sync."
        )

    def open_cards(self) -> list[ConflictCard]:
        return [c for c in self.cards if c.keep_mine_button.isEnabled()]

    def _settled(self, message: str) -> None:
        self.resolved.emit(message)
        if not self.open_cards():
            self.heading.setText(self.tr("Every conflict is settled."))
        self.heading.setTextFormat(Qt.TextFormat.PlainText)

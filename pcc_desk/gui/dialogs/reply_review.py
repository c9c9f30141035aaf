"""Review a reply before its answers enter the register: the letter's asks beside the reply's
passages.

The dialog is handed a :class:`ReplyPreview` (read on a worker thread by
:mod:`pcc_desk.gui.reply_imports`). For the ask selected on the left it shows the ask with the
words it shares with the suggested passage highlighted, the suggestion and up to 3 alternatives (and
"Not answered in this reply"), the answer's text (editable; "Split at cursor" keeps the text before
the cursor and offers the rest as a passage of its own) and the position. "Not in the letter's
order" matches again without the order. Import hands the clerk's answers to
``reply_import.commit`` (one transaction, one undo); Cancel writes nothing.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui.dialogs.response_form import from_qdate, to_qdate
from pcc_desk.gui.errors import show_error
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import reply_import
from pcc_desk.services.reply_import import (
    Answer,
    Ask,
    AskSuggestion,
    ReplyImportResult,
    ReplyPreview,
)
from pcc_desk.vocabulary import Position

NOT_ANSWERED = -1  # the choice "not answered in this reply"
ROLE = Qt.ItemDataRole.UserRole


def highlighted(text: str, shared: tuple[str, ...] | list[str]) -> str:
    """``text`` as HTML with the shared words marked."""
    if not shared:
        return html.escape(text)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in shared) + r")\b", re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f'<span style="background:#ffe680">{html.escape(match.group(0))}</span>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


class ReplyReviewDialog(QDialog):
    imported = Signal(object)  # the ReplyImportResult

    def __init__(self, bench: Workbench, preview: ReplyPreview, parent: QWidget | None = None):
        super().__init__(parent)
        self.bench = bench
        self.preview = preview
        self.import_result: ReplyImportResult | None = None
        self.passages: list[str] = list(preview.passages)
        self.suggestions: list[AskSuggestion] = list(preview.suggestions)
        self.choice: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.positions: dict[str, Position] = {}
        self._current: str | None = None
        self._filling = False
        self.setWindowTitle(self.tr("Review the reply %s before importing") % preview.file_name)
        self.resize(1100, 700)
        self._build()
        self._take_suggestions()
        self._fill_asks()
        items = self._items()
        if items:
            self.asks_tree.setCurrentItem(items[0])

    # --- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        p = self.preview
        layout = QVBoxLayout(self)
        letter = p.letter
        self.letter_label = QLabel(
            self.tr("Answers the letter <b>%s</b> of %s. <i>%s</i>")
            % (
                html.escape(letter.title),
                house_date(letter.date) if letter.date else self.tr("no date"),
                html.escape(p.letter_reason),
            )
        )
        self.letter_label.setWordWrap(True)
        layout.addWidget(self.letter_label)
        top = QHBoxLayout()
        form = QFormLayout()
        self.received_edit = QDateEdit()
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setDisplayFormat("d MMMM yyyy")
        self.received_edit.setDate(to_qdate(p.received) if p.received else QDate.currentDate())
        form.addRow(self.tr("&Received:"), self.received_edit)
        top.addLayout(form)
        self.order_box = QCheckBox(self.tr("The reply does &not follow the letter's order"))
        self.order_box.setChecked(not p.in_order)
        self.order_box.toggled.connect(self.rematch)
        top.addWidget(self.order_box)
        top.addStretch(1)
        layout.addLayout(top)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.asks_tree = QTreeWidget()
        self.asks_tree.setHeaderLabels(
            [self.tr("Ask"), self.tr("Answer"), self.tr("Position"), self.tr("Confidence")]
        )
        self.asks_tree.setRootIsDecorated(False)
        self.asks_tree.setAccessibleName(self.tr("The letter's asks"))
        self.asks_tree.currentItemChanged.connect(lambda *_: self._show_current())
        splitter.addWidget(self.asks_tree)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        self.ask_view = QTextBrowser()
        self.ask_view.setAccessibleName(self.tr("The ask, its shared words highlighted"))
        self.ask_view.setMaximumHeight(130)
        side.addWidget(QLabel(self.tr("The ask:")))
        side.addWidget(self.ask_view)
        passages_label = QLabel(self.tr("&Passages of the reply (suggestion first):"))
        side.addWidget(passages_label)
        self.passage_list = QListWidget()
        passages_label.setBuddy(self.passage_list)
        self.passage_list.setWordWrap(True)
        self.passage_list.setAccessibleName(self.tr("Passages that may answer it"))
        self.passage_list.currentItemChanged.connect(lambda *_: self._passage_chosen())
        side.addWidget(self.passage_list, 2)
        self.passage_view = QTextBrowser()
        self.passage_view.setAccessibleName(self.tr("The passage, shared words highlighted"))
        self.passage_view.setMaximumHeight(110)
        side.addWidget(self.passage_view)
        answer_label = QLabel(self.tr("The &answer to log (edit it, or split it):"))
        side.addWidget(answer_label)
        self.answer_edit = QPlainTextEdit()
        answer_label.setBuddy(self.answer_edit)
        self.answer_edit.textChanged.connect(self._answer_edited)
        side.addWidget(self.answer_edit, 1)
        row = QHBoxLayout()
        self.split_button = QPushButton(self.tr("&Split at cursor"))
        self.split_button.clicked.connect(self.split_at_cursor)
        row.addWidget(self.split_button)
        position_label = QLabel(self.tr("&Position:"))
        row.addWidget(position_label)
        self.position_combo = QComboBox()
        position_label.setBuddy(self.position_combo)
        for position in Position:
            self.position_combo.addItem(position.label, position.value)
        self.position_combo.currentIndexChanged.connect(self._position_chosen)
        row.addWidget(self.position_combo)
        row.addStretch(1)
        side.addLayout(row)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.unmatched_label = QLabel()
        self.unmatched_label.setWordWrap(True)
        layout.addWidget(self.unmatched_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(self.tr("&Import"))
        self.buttons.accepted.connect(self.import_reply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    # --- state -------------------------------------------------------------------------------------

    def _take_suggestions(self) -> None:
        for s in self.suggestions:
            chosen = NOT_ANSWERED if s.chosen is None else s.chosen
            self.choice[s.ref] = chosen
            self.texts[s.ref] = "" if s.chosen is None else self.passages[s.chosen]
            self.positions[s.ref] = s.position

    def _suggestion(self, ref: str) -> AskSuggestion:
        return next(s for s in self.suggestions if s.ref == ref)

    def _fill_asks(self) -> None:
        self._filling = True
        current = self._current
        self.asks_tree.clear()
        for s in self.suggestions:
            item = QTreeWidgetItem(self._row(s))
            item.setData(0, ROLE, s.ref)
            item.setToolTip(0, s.text)
            self.asks_tree.addTopLevelItem(item)
            if s.ref == current:
                self.asks_tree.setCurrentItem(item)
        self.asks_tree.resizeColumnToContents(0)
        self._filling = False
        used = set(self.choice.values())
        unmatched = [n for n in range(len(self.passages)) if n not in used]
        self.unmatched_label.setText(
            self.tr("Passages answering no ask: %s")
            % (", ".join(str(n + 1) for n in unmatched) or self.tr("none"))
        )

    def _row(self, s: AskSuggestion) -> list[str]:
        chosen = self.choice[s.ref]
        if chosen == NOT_ANSWERED:
            return [s.ref, self.tr("not answered in this reply"), "", ""]
        confidence = s.confidence if chosen == s.chosen else self.tr("chosen")
        return [
            s.ref,
            self.tr("passage %d") % (chosen + 1),
            self.positions[s.ref].label,
            confidence,
        ]

    def _items(self) -> list[QTreeWidgetItem]:
        tree = self.asks_tree
        found = (tree.topLevelItem(n) for n in range(tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def _refresh_row(self, ref: str) -> None:
        for item in self._items():
            if item.data(0, ROLE) == ref:
                for col, text in enumerate(self._row(self._suggestion(ref))):
                    item.setText(col, text)

    def _show_current(self) -> None:
        item = self.asks_tree.currentItem()
        if item is None or self._filling:
            return
        ref = item.data(0, ROLE)
        self._current = ref
        s = self._suggestion(ref)
        self._filling = True
        shown = [p.index for p in s.passages]
        chosen = self.choice[ref]
        if chosen != NOT_ANSWERED and chosen not in shown:
            shown.insert(0, chosen)
        self.passage_list.clear()
        scores = {p.index: p.score for p in s.passages}
        for index in shown:
            text = self.passages[index]
            label = f"{index + 1}. ({scores.get(index, 0):.2f}) {text[:160]}"
            entry = QListWidgetItem(label)
            entry.setData(ROLE, index)
            entry.setToolTip(text)
            self.passage_list.addItem(entry)
        none = QListWidgetItem(self.tr("Not answered in this reply"))
        none.setData(ROLE, NOT_ANSWERED)
        self.passage_list.addItem(none)
        for n in range(self.passage_list.count()):
            if self.passage_list.item(n).data(ROLE) == chosen:
                self.passage_list.setCurrentRow(n)
        self.answer_edit.setPlainText(self.texts[ref])
        self.position_combo.setCurrentIndex(self.position_combo.findData(self.positions[ref].value))
        self._filling = False
        self._show_words()

    def _show_words(self) -> None:
        ref = self._current
        if ref is None:
            return
        s = self._suggestion(ref)
        chosen = self.choice[ref]
        shared = next((p.shared for p in s.passages if p.index == chosen), ())
        self.ask_view.setHtml(
            f"<b>{highlighted(s.text, shared)}</b><br>{highlighted(s.context, shared)}"
        )
        self.passage_view.setHtml(
            highlighted(self.passages[chosen], shared) if chosen != NOT_ANSWERED else ""
        )

    # --- the clerk's choices ---------------------------------------------------------------------

    def _passage_chosen(self) -> None:
        if self._filling or self._current is None:
            return
        item = self.passage_list.currentItem()
        if item is None:
            return
        ref, index = self._current, item.data(ROLE)
        self.choice[ref] = index
        self.texts[ref] = "" if index == NOT_ANSWERED else self.passages[index]
        if index != NOT_ANSWERED:
            s = self._suggestion(ref)
            if index != s.chosen:
                self.positions[ref] = reply_import.position_of(self.passages[index])
        self._filling = True
        self.answer_edit.setPlainText(self.texts[ref])
        self.position_combo.setCurrentIndex(self.position_combo.findData(self.positions[ref].value))
        self._filling = False
        self._refresh_row(ref)
        self._show_words()

    def choose(self, ref: str, index: int) -> None:
        """Choose passage ``index`` (or NOT_ANSWERED) for ``ref``, as a click in the list does."""
        self.select(ref)
        for n in range(self.passage_list.count()):
            if self.passage_list.item(n).data(ROLE) == index:
                self.passage_list.setCurrentRow(n)
                return
        self.choice[ref] = index  # a passage not among the alternatives
        self.texts[ref] = "" if index == NOT_ANSWERED else self.passages[index]
        self._show_current()
        self._refresh_row(ref)

    def select(self, ref: str) -> None:
        for item in self._items():
            if item.data(0, ROLE) == ref:
                self.asks_tree.setCurrentItem(item)

    def _answer_edited(self) -> None:
        if not self._filling and self._current is not None:
            self.texts[self._current] = self.answer_edit.toPlainText()

    def _position_chosen(self) -> None:
        if not self._filling and self._current is not None:
            self.positions[self._current] = Position(self.position_combo.currentData())
            self._refresh_row(self._current)

    def split_at_cursor(self) -> None:
        """Keep the answer's text before the cursor; the rest becomes a passage of its own, offered
        to the other asks."""
        ref = self._current
        if ref is None:
            return
        text = self.answer_edit.toPlainText()
        at = self.answer_edit.textCursor().position()
        head, tail = text[:at].strip(), text[at:].strip()
        if not head or not tail:
            return
        self.passages.append(tail)
        self.texts[ref] = head
        self._filling = True
        self.answer_edit.setPlainText(head)
        self._filling = False
        self.rematch(keep_choices=True)

    def rematch(self, *_args, keep_choices: bool = False) -> None:
        """Match again (after "not in order", or a split): the clerk's choices stay when kept."""
        asks = [Ask(s.ref, s.number, s.text, s.context) for s in self.suggestions]
        in_order = False if self.order_box.isChecked() else None
        suggestions, _ordered = reply_import.suggest(asks, self.passages, in_order=in_order)
        self.suggestions = list(suggestions)
        if not keep_choices:
            self._take_suggestions()
        self._fill_asks()
        self._show_current()

    def answers(self) -> list[Answer]:
        return [
            Answer(s.ref, self.texts[s.ref], self.positions[s.ref])
            for s in self.suggestions
            if self.choice[s.ref] != NOT_ANSWERED and self.texts[s.ref].strip()
        ]

    def import_reply(self) -> bool:
        try:
            result = reply_import.commit(
                self.bench.desk,
                self.preview,
                self.answers(),
                received=from_qdate(self.received_edit.date()),
            )
        except PccError as error:
            show_error(self, error)
            return False
        self.import_result = result
        self.imported.emit(result)
        self.accept()
        return True

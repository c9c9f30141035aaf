"""The recommendation beside the register: its fields to edit, and its paragraph, footnotes, quotes,
responses and history to read. Edits go through the undo stack to the services."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui.dialogs.response_form import to_qdate
from pcc_desk.gui.models.register_model import STATUS_COLOURS, short_date
from pcc_desk.gui.screens.detail_addressees import AddresseesPanel
from pcc_desk.gui.screens.detail_editing import DetailEditing
from pcc_desk.gui.screens.detail_evidence import EvidencePanel
from pcc_desk.gui.screens.detail_history import follow_up_words, history_rows
from pcc_desk.gui.screens.detail_links import AskLinksPanel
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import register, repeats
from pcc_desk.services.dto import QuoteRecord, RecommendationDetail
from pcc_desk.vocabulary import Priority, RecommendationKind, ResponseKind

log = logging.getLogger(__name__)
UPDATE_MARK = {ResponseKind.PROGRESS_UPDATE: " (update)"}


def _tidy(value):
    """A stored value as the form gives it back (text fields are saved stripped)."""
    return value.strip() if isinstance(value, str) else value


class RecommendationDetailPanel(DetailEditing, QWidget):
    quote_jump_requested = Signal(
        object
    )  # QuoteRecord: the Transcripts screen opens it at its place
    shown = Signal(str)  # the reference now shown

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.detail: RecommendationDetail | None = None
        self._shown: dict = {}  # the record's values as the form showed them when it was filled
        self._loading = False
        self._build()
        self.show_detail(None)

    # --- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName(self.tr("Recommendation shown"))
        outer.addWidget(self.heading)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        outer.addWidget(self.splitter, 1)

        editor = QWidget(self.splitter)
        form = QFormLayout(editor)
        form.setContentsMargins(0, 0, 6, 0)
        self.ask_edit = QPlainTextEdit(editor)
        self.ask_edit.setTabChangesFocus(True)
        self.ask_edit.setAccessibleName(self.tr("The ask"))
        self.ask_edit.setMinimumHeight(60)
        self.ask_edit.setMaximumHeight(130)
        self.theme_combo = QComboBox(editor)
        self.theme_combo.setEditable(True)
        self.theme_combo.setAccessibleName(self.tr("Theme"))
        self.addressee_edit = QLineEdit(editor)
        self.addressee_edit.setAccessibleName(self.tr("Addressee"))
        row = QHBoxLayout()
        self.kind_combo = QComboBox(editor)
        self.kind_combo.setAccessibleName(self.tr("Kind"))
        for kind in RecommendationKind:
            self.kind_combo.addItem(kind.label, kind)
        self.priority_combo = QComboBox(editor)
        self.priority_combo.setAccessibleName(self.tr("Priority"))
        for priority in Priority:
            self.priority_combo.addItem(priority.label, priority)
        self.made_edit = QDateEdit(editor)
        self.made_edit.setCalendarPopup(True)
        self.made_edit.setDisplayFormat("d MMM yyyy")
        self.made_edit.setAccessibleName(self.tr("Date made"))
        row.addWidget(self.kind_combo, 2)
        row.addWidget(QLabel(self.tr("Priority:"), editor))
        row.addWidget(self.priority_combo, 1)
        row.addWidget(QLabel(self.tr("Made:"), editor))
        row.addWidget(self.made_edit, 1)
        self.notes_edit = QPlainTextEdit(editor)
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setAccessibleName(self.tr("Clerk's notes"))
        self.notes_edit.setPlaceholderText(self.tr("Your notes (not sent anywhere)"))
        self.notes_edit.setMaximumHeight(90)
        self.problem_label = QLabel(editor)
        self.problem_label.setStyleSheet("color: #b91c1c;")
        self.problem_label.setWordWrap(True)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("&Save"), editor)
        self.save_button.setToolTip(self.tr("Save the edits (Ctrl+S)"))
        self.revert_button = QPushButton(self.tr("Re&vert"), editor)
        self.respond_button = QPushButton(self.tr("&Log response…"), editor)
        self.respond_button.setToolTip(self.tr("Log a response (Ctrl+R)"))
        self.status_button = QPushButton(self.tr("Change s&tatus…"), editor)
        self.due_button = QPushButton(self.tr("Revise d&ue date…"), editor)
        self.target_button = QPushButton(self.tr("Tar&get date…"), editor)
        self.target_button.setToolTip(self.tr("Set or revise the date it is to be done by"))
        for button in (
            self.save_button,
            self.revert_button,
            self.respond_button,
            self.status_button,
            self.due_button,
            self.target_button,
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        ask_label = QLabel(self.tr("&Ask:"), editor)
        ask_label.setBuddy(self.ask_edit)
        form.addRow(ask_label, self.ask_edit)
        form.addRow(self._buddy(self.tr("T&heme:"), self.theme_combo), self.theme_combo)
        form.addRow(self._buddy(self.tr("Addr&essee:"), self.addressee_edit), self.addressee_edit)
        form.addRow(self._buddy(self.tr("&Kind:"), self.kind_combo), row)
        form.addRow(self._buddy(self.tr("N&otes:"), self.notes_edit), self.notes_edit)
        form.addRow(self.problem_label)
        form.addRow(buttons)

        self.tabs = QTabWidget(self.splitter)
        self.tabs.setAccessibleName(self.tr("About the recommendation"))
        self.paragraph_view = QTextBrowser(self.tabs)
        self.paragraph_view.setOpenExternalLinks(False)
        self.paragraph_view.setAccessibleName(self.tr("The paragraph and its footnotes"))
        self.tabs.addTab(self.paragraph_view, self.tr("Paragraph && footnotes"))

        quotes = QWidget(self.tabs)
        quotes_layout = QVBoxLayout(quotes)
        quotes_layout.setContentsMargins(0, 0, 0, 0)
        self.quotes_tree = self._tree(
            quotes, [self.tr("Citation"), self.tr("Speaker"), self.tr("Quote")]
        )
        self.quotes_tree.setAccessibleName(self.tr("Quotes attached"))
        self.jump_button = QPushButton(self.tr("Show in &transcript"), quotes)
        self.jump_button.setAccessibleName(self.tr("Show the quote at its place in the transcript"))
        self.jump_button.clicked.connect(self._jump)
        self.quotes_tree.itemActivated.connect(lambda *_: self._jump())
        quotes_layout.addWidget(self.quotes_tree)
        quotes_layout.addWidget(self.jump_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs.addTab(quotes, self.tr("Quotes"))

        responses = QSplitter(Qt.Orientation.Vertical, self.tabs)
        self.responses_tree = self._tree(
            responses,
            [
                self.tr("Received"),
                self.tr("From"),
                self.tr("Position"),
                self.tr("Implementation"),
                self.tr("Assessment"),
            ],
        )
        self.responses_tree.setAccessibleName(self.tr("Responses, oldest first"))
        self.response_text = QTextBrowser(responses)
        self.response_text.setAccessibleName(self.tr("Text of the selected response"))
        self.responses_tree.currentItemChanged.connect(self._show_response)
        self.tabs.addTab(responses, self.tr("Responses"))

        self.history_tree = self._tree(
            self.tabs, [self.tr("When"), self.tr("Who"), self.tr("Change"), self.tr("Note")]
        )
        self.history_tree.setAccessibleName(self.tr("Status and due-date history"))
        self.tabs.addTab(self.history_tree, self.tr("History"))
        self.evidence = EvidencePanel(self.bench, self.tabs)
        self.evidence.changed.connect(self.show_ref)
        self.tabs.addTab(self.evidence, self.evidence.title())
        self.asked = AskLinksPanel(self.bench, self.tabs)
        self.asked.changed.connect(self.show_ref)
        self.tabs.addTab(self.asked, self.asked.title())
        self.addressees = AddresseesPanel(self.bench, self.tabs)
        self.addressees.changed.connect(self.show_ref)
        self.tabs.addTab(self.addressees, self.addressees.title())
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self._sized = (
            False  # True once the clerk has placed the divider (or a saved layout was restored)
        )
        self._auto_sizes: list[int] | None = None
        self.splitter.installEventFilter(self)

        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.respond_button.clicked.connect(self.log_response)
        self.status_button.clicked.connect(self.change_status)
        self.due_button.clicked.connect(self.revise_due)
        self.target_button.clicked.connect(self.revise_target)
        for signal in (
            self.ask_edit.textChanged,
            self.theme_combo.currentTextChanged,
            self.addressee_edit.textChanged,
            self.kind_combo.currentIndexChanged,
            self.priority_combo.currentIndexChanged,
            self.made_edit.dateChanged,
            self.notes_edit.textChanged,
        ):
            signal.connect(self._update)

    def eventFilter(self, watched, event) -> bool:
        # until the clerk drags the divider (or a saved layout is restored), keep it at 55/45
        if watched is self.splitter and event.type() == QEvent.Type.Resize and not self._sized:
            if self._auto_sizes is not None and self.splitter.sizes() != self._auto_sizes:
                self._sized = True  # the clerk moved it
                return False
            width = event.size().width()
            self._auto_sizes = [int(width * 0.55), width - int(width * 0.55)]
            self.splitter.setSizes(self._auto_sizes)
            self._auto_sizes = self.splitter.sizes()
        return False

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def _tree(self, parent: QWidget, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget(parent)
        tree.setHeaderLabels(headers)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        tree.setAlternatingRowColors(True)
        return tree

    # --- showing ---------------------------------------------------------------------------------

    def set_themes(self, themes: list[str]) -> None:
        current = self.theme_combo.currentText()
        self._loading = True
        self.theme_combo.clear()
        self.theme_combo.addItems(["", *themes])
        self.theme_combo.setCurrentText(current)
        self._loading = False

    def show_ref(self, ref: str | None) -> None:
        if not ref:
            self.show_detail(None)
            return
        try:
            self.show_detail(register.get_recommendation(self.bench.desk, ref))
        except PccError as error:
            self.show_detail(None)
            self.bench.message(str(error))

    def refresh(self) -> None:
        """Read the shown recommendation again (after a change); edits in progress are kept."""
        if self.detail is not None and not self.has_unsaved_changes():
            self.show_ref(self.detail.ref)

    def show_detail(self, detail: RecommendationDetail | None) -> None:
        self.detail = detail
        self._loading = True
        enabled = detail is not None
        for widget in (
            self.ask_edit,
            self.theme_combo,
            self.addressee_edit,
            self.kind_combo,
            self.priority_combo,
            self.made_edit,
            self.notes_edit,
            self.respond_button,
            self.status_button,
            self.due_button,
            self.target_button,
            self.tabs,
        ):
            widget.setEnabled(enabled)
        if detail is None:
            self.heading.setText(
                self.tr("<i>Select a recommendation in the register to see it here.</i>")
            )
            for widget in (self.ask_edit, self.notes_edit):
                widget.clear()
            self.addressee_edit.clear()
            self.theme_combo.setCurrentText("")
            for tree in (self.quotes_tree, self.responses_tree, self.history_tree):
                tree.clear()
            self.paragraph_view.clear()
            self.response_text.clear()
            self.asked.show_detail(None)
        else:
            self._fill(detail)
        self._shown = self.edited_values() if detail is not None else {}
        if detail is not None:
            stored = self._stored_values()
            differ = sorted(k for k, v in self._shown.items() if v != _tidy(stored[k]))
            if differ:  # field names only: no casework text in logs
                log.warning("the detail form cannot show %s exactly", ", ".join(differ))
        self._loading = False
        self._update()
        if detail is not None:
            self.shown.emit(detail.ref)

    def _fill(self, d: RecommendationDetail) -> None:
        colour = STATUS_COLOURS.get(d.status, "#eeeeee")
        overdue = f" <b style='color:#b91c1c'>{self.tr('overdue')}</b>" if d.is_overdue() else ""
        source = f" · {html.escape(d.source_title)}" if d.source_title else ""
        asked = repeats.chain_sentence(repeats.chain(self.bench.desk, d.ref))  # confirmed repeats
        asked = f"<br><i>{html.escape(asked[0].upper() + asked[1:])}</i>" if asked else ""
        self.heading.setText(
            f"<b>{html.escape(d.shown_ref)}</b> &nbsp;<span style='background:{colour}; color:#111;'>&nbsp;{html.escape(d.status.label)}&nbsp;</span>"
            f" &nbsp;{self.tr('due')} {house_date(d.due)}{overdue}"
            f"{html.escape(follow_up_words(d, self.tr))}{source}{asked}"
        )
        self.ask_edit.setPlainText(d.text)
        self.theme_combo.setCurrentText(d.theme)
        self.addressee_edit.setText(d.addressee)
        several = len(d.addressees) > 1  # their names: added or taken off in the Addressees tab
        self.addressee_edit.setReadOnly(several)
        self.addressee_edit.setToolTip(
            self.tr("Several addressees: add or remove them in the Addressees tab")
            if several
            else ""
        )
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(d.kind)))
        self.priority_combo.setCurrentIndex(max(0, self.priority_combo.findData(d.priority)))
        # No range from the record: a range left from the previous record would move this date
        # into it (QDateEdit clamps), so the form would show another date than the record's and
        # count it as an edit. "Made after due" is reported by problems() instead.
        self.made_edit.setDate(to_qdate(d.made))
        self.notes_edit.setPlainText(d.notes)

        parts = []
        if d.context:
            parts.append(
                "".join(f"<p>{html.escape(p)}</p>" for p in d.context.split("\n\n") if p.strip())
            )
        else:
            parts.append(f"<p><i>{self.tr('No paragraph recorded for this ask.')}</i></p>")
        if d.footnotes:
            # numbered as in the letter (Qt's rich text ignores <li value>, so the number is written out)
            parts.append(f"<h4>{self.tr('Footnotes')}</h4>")
            for note in d.footnotes:
                urls = "".join(
                    f"<br><a href='{html.escape(u)}'>{html.escape(u)}</a>" for u in note.urls
                )
                parts.append(f"<p><sup>{note.number}</sup>&nbsp;{html.escape(note.text)}{urls}</p>")
        self.paragraph_view.setHtml("".join(parts))

        self.quotes_tree.clear()
        for quote in d.quotes:
            item = QTreeWidgetItem([quote.citation, quote.speaker, " ".join(quote.text.split())])
            item.setData(0, Qt.ItemDataRole.UserRole, quote)
            item.setToolTip(2, quote.text)
            self.quotes_tree.addTopLevelItem(item)
        self.jump_button.setEnabled(bool(d.quotes))
        self.responses_tree.clear()
        for resp in d.responses:
            item = QTreeWidgetItem(
                [
                    short_date(resp.received) + UPDATE_MARK.get(resp.kind, ""),
                    resp.from_whom or resp.addressee,
                    resp.position.label,
                    resp.implementation.label,
                    resp.assessment.label,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, resp)
            self.responses_tree.addTopLevelItem(item)
        self.response_text.clear()
        last = self.responses_tree.topLevelItem(len(d.responses) - 1) if d.responses else None
        if last is not None:
            self.responses_tree.setCurrentItem(last)
        self.history_tree.clear()
        events = history_rows(d, self.tr)
        for when, cols in events:
            item = QTreeWidgetItem([f"{when:%d %b %Y %H:%M}", *cols])
            item.setToolTip(3, cols[2])
            self.history_tree.addTopLevelItem(item)
        self.tabs.setTabText(1, self.tr("Quotes (%d)") % len(d.quotes))
        self.tabs.setTabText(2, self.tr("Responses (%d)") % len(d.responses))
        self.tabs.setTabText(3, self.tr("History (%d)") % len(events))
        self.evidence.show_detail(d)
        self.tabs.setTabText(self.tabs.indexOf(self.evidence), self.evidence.title())
        self.asked.show_detail(d)
        self.tabs.setTabText(self.tabs.indexOf(self.asked), self.asked.title())
        self.addressees.show_detail(d)
        self.tabs.setTabText(self.tabs.indexOf(self.addressees), self.addressees.title())

    def _show_response(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        resp = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        self.response_text.setPlainText(resp.text if resp else "")

    def _jump(self) -> None:
        item = self.quotes_tree.currentItem() or self.quotes_tree.topLevelItem(0)
        quote: QuoteRecord | None = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if quote is not None:
            self.quote_jump_requested.emit(quote)

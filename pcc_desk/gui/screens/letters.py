"""The Letters screen: pick recommendations, preview the letter, write the .docx; export the tracker.

Left: the register as a checklist (filter as you type; "Tick" picks follow-up needed, overdue, a status
or a theme in one go). Right: the recipient (default from Settings, salutation editable), the
template (the default or a .docx letterhead), the outline (themes → asks with their response and
quote counts) and the letter's text as it will be written. Writing runs on a worker with progress;
the clerk is then offered to open the file. The tracker (.docx/.csv/.xlsx) and the Summary List of
Actions are exported from here too.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.errors import Cancelled, PccError
from pcc_desk.gui.dialogs.meeting import choose_tracker_paper, close_ticked
from pcc_desk.gui.models.register_model import OVERDUE_COLOUR, STATUS_COLOURS
from pcc_desk.gui.screens import Screen
from pcc_desk.gui.screens.letter_writing import LetterWriting
from pcc_desk.gui.workbench import Newest, Workbench
from pcc_desk.services import follow_up, register
from pcc_desk.services import letters as letter_service
from pcc_desk.services.dto import RecommendationDetail, RecommendationSummary
from pcc_desk.services.letters import salutation_for
from pcc_desk.services.settings import get_settings
from pcc_desk.vocabulary import ChangeKind, Status

REF_ROLE = Qt.ItemDataRole.UserRole
# what a letter is made of (drafting a letter changes nothing in the register: it sends no notice)
CHANGE_KINDS = frozenset(
    {
        ChangeKind.RECOMMENDATIONS,
        ChangeKind.RESPONSES,
        ChangeKind.QUOTES,
        ChangeKind.DOCUMENTS,
        ChangeKind.SETTINGS,
    }
)
COL_REF, COL_THEME, COL_STATUS, COL_ASK = range(4)
PREVIEW_DELAY_MS = 250


def load_choices(desk, token, _progress):
    """Worker-side: the register and the settings (no widgets here)."""
    rows = register.list_recommendations(desk)
    token.check()
    return rows, get_settings(desk), {u.ref for u in follow_up.updates_due(desk)}


def load_outline(desk, refs: tuple[str, ...], options: dict, token, _progress):
    """Worker-side: themes → asks with response and quote counts, and the letter's paragraphs."""
    details = []
    for ref in refs:
        token.check()
        details.append(register.get_recommendation(desk, ref))
    paragraphs = (
        letter_service.outline_letter(desk, letter_service.Selection(refs=refs), **options)
        if refs
        else ()
    )
    return refs, details, paragraphs


class LettersScreen(LetterWriting, Screen):
    letter_written = Signal(object)  # DraftedLetter
    exported = Signal(object)  # ExportedFile

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(bench, parent)
        self.updates_due: set[str] = set()
        self.rows: list[RecommendationSummary] = []
        self.settings = None
        self.template: Path | None = None
        self.details: list[RecommendationDetail] = []
        self.paragraphs = ()
        self.done_box: QMessageBox | None = None
        self._reading = Newest(bench)  # a change may come in while the register is being read
        self._outline = Newest(bench, quiet=True)  # the preview, as the clerk ticks and types
        self._salutation_edited = False
        self._build()
        bench.changes.changed.connect(self._on_changed)

    # --- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter)

        left = QWidget(self.splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.filter_edit = QLineEdit(left)
        self.filter_edit.setPlaceholderText(
            self.tr("Filter by reference, theme or words  (Ctrl+F)")
        )
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter the recommendations"))
        self.tick_combo = QComboBox(left)
        self.tick_combo.setAccessibleName(self.tr("Tick a group of recommendations"))
        self.tick_combo.setMinimumContentsLength(16)
        self.tick_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.clear_button = QPushButton(self.tr("&Untick all"), left)
        bar.addWidget(self.filter_edit, 2)
        bar.addWidget(self.tick_combo, 1)
        bar.addWidget(self.clear_button)
        self.checklist = QTreeWidget(left)
        self.checklist.setAccessibleName(self.tr("Recommendations to write about"))
        self.checklist.setHeaderLabels(
            [self.tr("Reference"), self.tr("Theme"), self.tr("Status"), self.tr("Ask")]
        )
        self.checklist.setRootIsDecorated(False)
        self.checklist.setAlternatingRowColors(True)
        self.checklist.setUniformRowHeights(True)
        header = self.checklist.header()
        header.setSectionResizeMode(COL_REF, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_THEME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.resizeSection(COL_THEME, 150)
        self.count_label = QLabel(self.tr("Tick the recommendations the letter is about."), left)
        self.count_label.setAccessibleName(self.tr("Recommendations ticked"))
        left_layout.addLayout(bar)
        left_layout.addWidget(self.checklist, 1)
        left_layout.addWidget(self.count_label)

        right = QWidget(self.splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox(self.tr("Letter"), right)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.recipient_edit = QLineEdit(box)
        self.recipient_edit.setAccessibleName(self.tr("Recipient"))
        self.role_edit = QLineEdit(box)
        self.role_edit.setAccessibleName(self.tr("Recipient's role"))
        self.salutation_edit = QLineEdit(box)
        self.salutation_edit.setAccessibleName(self.tr("Salutation"))
        self.subject_edit = QLineEdit(box)
        self.subject_edit.setAccessibleName(self.tr("Subject"))
        self.subject_edit.setPlaceholderText(self.tr("(the default subject)"))
        template_row = QHBoxLayout()
        self.template_label = QLabel(box)
        self.template_label.setAccessibleName(self.tr("Template"))
        self.template_button = QPushButton(self.tr("C&hoose…"), box)
        self.template_button.setAccessibleName(self.tr("Choose a .docx template"))
        self.default_template_button = QPushButton(self.tr("De&fault"), box)
        template_row.addWidget(self.template_label, 1)
        template_row.addWidget(self.template_button)
        template_row.addWidget(self.default_template_button)
        form.addRow(self.tr("&To:"), self.recipient_edit)
        form.addRow(self.tr("&Role:"), self.role_edit)
        form.addRow(self.tr("Sa&lutation:"), self.salutation_edit)
        form.addRow(self.tr("Su&bject:"), self.subject_edit)
        form.addRow(self.tr("Template:"), template_row)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            buddy = label.widget() if label is not None else None
            partner = field.widget() if field is not None else None
            if isinstance(buddy, QLabel) and partner is not None:
                buddy.setBuddy(partner)
        self.tabs = QTabWidget(right)
        self.outline = QTreeWidget(self.tabs)
        self.outline.setAccessibleName(self.tr("Outline of the letter"))
        self.outline.setHeaderLabels(
            [self.tr("Theme / ask"), self.tr("Responses"), self.tr("Quotes")]
        )
        self.outline.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.outline.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.outline.header().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.outline.header().setStretchLastSection(False)
        self.outline.setWordWrap(True)
        self.text_view = QTextBrowser(self.tabs)
        self.text_view.setAccessibleName(self.tr("The letter's text"))
        self.tabs.addTab(self.outline, self.tr("&Outline"))
        self.tabs.addTab(self.text_view, self.tr("Letter te&xt"))
        buttons = QHBoxLayout()
        self.write_button = QPushButton(self.tr("&Write letter…"), right)
        self.write_button.setAccessibleName(self.tr("Write the letter as a Word file"))
        self.write_button.setDefault(True)
        self.tracker_button = QPushButton(self.tr("Export &tracker…"), right)
        self.tracker_button.setToolTip(
            self.tr("The register (or the ticked recommendations) as .docx, .csv or .xlsx")
        )
        self.actions_button = QPushButton(self.tr("Summary List of &Actions…"), right)
        buttons.addWidget(self.write_button)
        buttons.addStretch(1)
        buttons.addWidget(self.tracker_button)
        buttons.addWidget(self.actions_button)
        self.paper_button = QPushButton(self.tr("Trac&ker paper…"), right)
        self.close_button = QPushButton(self.tr("Close tic&ked…"), right)
        buttons.addWidget(self.paper_button)
        buttons.addWidget(self.close_button)
        right_layout.addWidget(box)
        right_layout.addWidget(self.tabs, 1)
        right_layout.addLayout(buttons)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 600])

        self._outline_timer = QTimer(self)
        self._outline_timer.setSingleShot(True)
        self._outline_timer.setInterval(PREVIEW_DELAY_MS)
        self._outline_timer.timeout.connect(self.refresh_outline)
        self.filter_edit.textChanged.connect(self._filter)
        self.tick_combo.activated.connect(self._tick_group)
        self.clear_button.clicked.connect(lambda: self.tick(set()))
        self.checklist.itemChanged.connect(lambda *_: self._ticks_changed())
        self.recipient_edit.textEdited.connect(self._recipient_edited)
        self.salutation_edit.textEdited.connect(
            lambda _t: setattr(self, "_salutation_edited", True)
        )
        for edit in (self.recipient_edit, self.role_edit, self.salutation_edit, self.subject_edit):
            edit.textChanged.connect(lambda _t: self._outline_timer.start())
        self.template_button.clicked.connect(self._choose_template)
        self.default_template_button.clicked.connect(lambda: self.set_template(None))
        self.write_button.clicked.connect(lambda: self.write_letter())
        self.tracker_button.clicked.connect(lambda: self.export_tracker())
        self.actions_button.clicked.connect(lambda: self.export_actions())
        self.paper_button.clicked.connect(lambda: choose_tracker_paper(self.bench, self))
        self.close_button.clicked.connect(self._close_ticked)
        self.set_template(None)
        self._update_buttons()

    # --- loading -----------------------------------------------------------------------------------

    def activate(self) -> None:
        if not self.is_loaded():
            self.reload()

    def reload(self) -> None:
        desk = self.bench.desk
        self._reading.run(
            lambda token, progress: load_choices(desk, token, progress),
            self._choices_loaded,
            label=self.tr("Reading the register…"),
        )

    def _choices_loaded(self, result) -> None:
        rows, settings, self.updates_due = result
        first = self.settings is None
        self.rows, self.settings = rows, settings
        ticked = set(self.ticked_refs())
        self.checklist.blockSignals(True)
        self.checklist.clear()
        for rec in rows:
            item = QTreeWidgetItem(self.checklist, [rec.ref, rec.theme, rec.status.label, rec.text])
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(
                COL_REF, Qt.CheckState.Checked if rec.ref in ticked else Qt.CheckState.Unchecked
            )
            item.setData(COL_REF, REF_ROLE, rec.ref)
            item.setToolTip(COL_ASK, rec.text)
            item.setBackground(
                COL_STATUS, QBrush(QColor(STATUS_COLOURS.get(rec.status, "#ffffff")))
            )
            if rec.is_overdue():
                item.setText(COL_STATUS, self.tr("Overdue"))
                item.setForeground(COL_STATUS, QBrush(QColor(OVERDUE_COLOUR)))
                item.setToolTip(
                    COL_STATUS,
                    self.tr("%s, overdue: due %s") % (rec.status.label, rec.due.isoformat()),
                )
        self.checklist.blockSignals(False)
        self._filter(self.filter_edit.text())
        self.tick_combo.clear()
        self.tick_combo.addItem(self.tr("Tick…"), None)
        self.tick_combo.addItem(
            Status.FOLLOW_UP_NEEDED.label, f"status:{Status.FOLLOW_UP_NEEDED.value}"
        )
        self.tick_combo.addItem(self.tr("Overdue"), "overdue:")
        self.tick_combo.addItem(self.tr("Progress updates due"), "updates:")
        for status in Status:
            if status is not Status.FOLLOW_UP_NEEDED:
                self.tick_combo.addItem(
                    self.tr("Status: %s") % status.label, f"status:{status.value}"
                )
        for theme in dict.fromkeys(r.theme for r in rows if r.theme):
            self.tick_combo.addItem(self.tr("Theme: %s") % theme, f"theme:{theme}")
        if first:
            self.recipient_edit.setText(settings.default_recipient)
            self.role_edit.setText(settings.default_recipient_role)
            self._recipient_edited(settings.default_recipient)
            if settings.letter_template:
                self.set_template(Path(settings.letter_template))
        self._ticks_changed()
        if not self.is_loaded():
            self.mark_loaded()

    def _on_changed(self, kinds, _refs) -> None:
        if self.is_loaded() and kinds & CHANGE_KINDS:
            self.reload()

    # --- picking -----------------------------------------------------------------------------------

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.checklist.topLevelItem(n) for n in range(self.checklist.topLevelItemCount()))
        return [item for item in items if item is not None]

    def ticked_refs(self) -> list[str]:
        return [
            item.data(COL_REF, REF_ROLE)
            for item in self._items()
            if item.checkState(COL_REF) == Qt.CheckState.Checked
        ]

    def tick(self, refs) -> None:
        refs = set(refs)
        self.checklist.blockSignals(True)
        for item in self._items():
            item.setCheckState(
                COL_REF,
                Qt.CheckState.Checked
                if item.data(COL_REF, REF_ROLE) in refs
                else Qt.CheckState.Unchecked,
            )
        self.checklist.blockSignals(False)
        self._ticks_changed()

    def _close_ticked(self) -> None:
        if close_ticked(self.bench, self, self.ticked_refs()):
            self.reload()

    def refs_for(self, group: str) -> list[str]:
        """The refs of a group: ``overdue:``, ``updates:``, ``status:<slug>`` or ``theme:<name>``."""
        kind, _, value = group.partition(":")
        today = dt.date.today()
        if kind == "overdue":
            return [r.ref for r in self.rows if r.is_overdue(today)]
        if kind == "updates":
            return [r.ref for r in self.rows if r.ref in self.updates_due]
        if kind == "status":
            return [r.ref for r in self.rows if r.status.value == value]
        return [r.ref for r in self.rows if r.theme == value]

    def _tick_group(self, index: int) -> None:
        group = self.tick_combo.itemData(index)
        if group:
            refs = self.refs_for(group)
            self.tick(refs)
            self.bench.message(self.tr("%d recommendation(s) ticked.") % len(refs))
        self.tick_combo.setCurrentIndex(0)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        for item in self._items():
            hay = " ".join(item.text(c) for c in range(4)).lower()
            item.setHidden(not all(w in hay for w in words))

    def _ticks_changed(self) -> None:
        refs = self.ticked_refs()
        self.count_label.setText(
            self.tr("%d of %d ticked") % (len(refs), len(self.rows))
            if refs
            else self.tr("Tick the recommendations the letter is about.")
        )
        self._update_buttons()
        if refs:
            self._outline_timer.start()
        else:
            self.refresh_outline()

    def _recipient_edited(self, text: str) -> None:
        if not self._salutation_edited:
            self.salutation_edit.setText(salutation_for(text.strip()) if text.strip() else "")

    # --- template ----------------------------------------------------------------------------------

    def set_template(self, path: Path | None) -> None:
        self.template = path
        if path is None:
            self.template_label.setText(self.tr("Default template"))
            self.template_label.setToolTip("")
        else:
            self.template_label.setText(path.name)
            self.template_label.setToolTip(str(path))

    def _choose_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a letter template"), "", self.tr("Word files (*.docx)")
        )
        if path:
            self.set_template(Path(path))

    # --- the outline -------------------------------------------------------------------------------

    def options(self) -> dict:
        options = {
            "recipient": self.recipient_edit.text().strip() or None,
            "recipient_role": self.role_edit.text().strip()
            if self.role_edit.text().strip()
            else None,
            "salutation": self.salutation_edit.text().strip() or None,
            "subject": self.subject_edit.text().strip(),
        }
        return options

    def refresh_outline(self) -> None:
        self._outline_timer.stop()
        refs = tuple(self.ticked_refs())
        desk, options = self.bench.desk, self.options()
        if not refs:  # nothing to read (and an older preview still on its way is stale)
            self._outline.drop()
            self._show_outline(((), [], ()))
            return
        self._outline.run(
            lambda token, progress: load_outline(desk, refs, options, token, progress),
            self._show_outline,
            on_error=self._outline_failed,
        )

    def _outline_failed(self, error) -> None:
        if not isinstance(error, Cancelled):
            self.text_view.setPlainText(
                str(error) if isinstance(error, PccError) else self.tr("No preview.")
            )

    def _show_outline(self, result) -> None:
        _refs, details, paragraphs = result
        self.details, self.paragraphs = details, paragraphs
        self.outline.clear()
        themes: dict[str, QTreeWidgetItem] = {}
        for d in details:
            parent = themes.get(d.theme)
            if parent is None:
                parent = themes[d.theme] = QTreeWidgetItem(
                    self.outline, [d.theme or self.tr("(no theme)")]
                )
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
            item = QTreeWidgetItem(
                parent, [f"{d.ref}  {d.text}", str(len(d.responses)), str(len(d.quotes))]
            )
            item.setToolTip(0, d.text)
        for parent in themes.values():
            children = [parent.child(n) for n in range(parent.childCount())]
            parent.setText(1, str(sum(int(c.text(1)) for c in children if c is not None)))
            parent.setText(2, str(sum(int(c.text(2)) for c in children if c is not None)))
        if not details:
            hint = QTreeWidgetItem(
                self.outline, [self.tr("Tick recommendations to see the letter's outline.")]
            )
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
        self.outline.expandAll()
        parts = []
        for p in paragraphs:  # footnotes numbered by the letter writer, as in the Word file
            text = html.escape(p.text).replace("\n", "<br>")
            if p.ask or p.role in ("subject", "heading"):
                text = f"<b>{text}</b>"
            if p.role == "quote":
                text = f"<i>{text}</i>"
            notes = []
            for note in p.footnotes:
                text += f"<sup>{note.number}</sup>"
                notes.append(
                    f"<br><small><sup>{note.number}</sup> {html.escape(note.text)}</small>"
                )
            parts.append(f"<p>{text}{''.join(notes)}</p>")
        self.text_view.setHtml(
            "".join(parts) if parts else self.tr("<i>Tick recommendations to see the letter.</i>")
        )

    def _update_buttons(self) -> None:
        self.write_button.setEnabled(bool(self.ticked_refs()))

    # --- the frame's hooks -------------------------------------------------------------------------

    def focus_search(self) -> bool:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()
        return True

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("letters/splitter", self.splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        value = settings.value("letters/splitter")
        if value is not None:
            self.splitter.restoreState(value)

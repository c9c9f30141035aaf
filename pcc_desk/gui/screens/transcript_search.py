"""The Transcripts screen's search panel: the search box (as you type, on a worker thread; an answer
to older words is dropped), filters for speaker, kind of record and dates, and the hits with the
matched words in bold. Activating a hit emits :attr:`SearchPanel.hit_opened`; the screen decides
what opening it means."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import Cancelled, PccError
from pcc_desk.gui.dialogs.response_form import from_qdate
from pcc_desk.gui.html_delegate import HtmlDelegate
from pcc_desk.gui.workbench import Newest, Workbench
from pcc_desk.services import search as search_service

NO_DATE = QDate(1990, 1, 1)  # shown as "Any"
SEARCH_DELAY_MS = 200
HIT_LIMIT = 200
KINDS = (
    ("", "Everything"),
    ("transcript", "Transcripts"),
    ("recommendation", "Recommendations"),
    ("response", "Responses"),
    ("footnote", "Footnotes"),
)


def snippet_html(snippet: str) -> str:
    """The search backend marks matched words with ``**``: bold them, escape the rest."""
    parts = snippet.split("**")
    return "".join(
        f"<b style='background:#fff1a8'>{html.escape(p)}</b>" if n % 2 else html.escape(p)
        for n, p in enumerate(parts)
    )


def query_words(text: str) -> list[str]:
    return [
        w for w in re.findall(r"\w+", text or "") if w.upper() not in {"AND", "OR", "NOT", "NEAR"}
    ]


class SearchPanel(QWidget):
    hit_opened = Signal(object)  # the search_service.Hit activated
    hits_shown = Signal()  # new hits (or none) are on show: the reader marks the words again

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.hits: list[search_service.Hit] = []
        self._searching = Newest(bench, quiet=True)  # only the answer to the words now typed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(self.tr("Search transcripts and the register  (Ctrl+F)"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName(self.tr("Search transcripts"))
        filters = QHBoxLayout()
        self.speaker_combo = QComboBox(self)
        self.speaker_combo.setAccessibleName(self.tr("Filter by speaker"))
        self.speaker_combo.setMinimumContentsLength(12)
        self.speaker_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.speaker_combo.addItem(self.tr("Any speaker"), None)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("Filter by kind of record"))
        for key, label in KINDS:
            self.kind_combo.addItem(self.tr(label), key)
        self.kind_combo.setCurrentIndex(1)
        self.from_edit = self._date_edit(self.tr("Meetings on or after"))
        self.to_edit = self._date_edit(self.tr("Meetings on or before"))
        filters.addWidget(self.speaker_combo, 2)
        filters.addWidget(self.kind_combo, 1)
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("–", self))
        filters.addWidget(self.to_edit)
        self.hits_label = QLabel(self.tr("Type to search every transcript."), self)
        self.hits_list = QListWidget(self)
        self.hits_list.setAccessibleName(self.tr("Search results"))
        self.hits_list.setItemDelegate(HtmlDelegate(self.hits_list))
        self.hits_list.setWordWrap(True)
        self.hits_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.edit)
        layout.addLayout(filters)
        layout.addWidget(self.hits_label)
        layout.addWidget(self.hits_list, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.speaker_combo, self.kind_combo):
            combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self._timer.start())
        self.edit.returnPressed.connect(self.run_search)
        self.hits_list.itemActivated.connect(lambda item: self._open(self.hits_list.row(item)))
        self.hits_list.itemClicked.connect(lambda item: self._open(self.hits_list.row(item)))

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setAccessibleName(name)
        edit.setToolTip(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("Any"))
        edit.setDate(NO_DATE)
        return edit

    def set_speakers(self, speakers) -> None:
        """The speaker filter's choices: (name, role, turns), the one chosen kept when still there."""
        chosen = self.speaker_combo.currentData()
        self.speaker_combo.blockSignals(True)
        self.speaker_combo.clear()
        self.speaker_combo.addItem(self.tr("Any speaker"), None)
        for name, role, turns in speakers:
            self.speaker_combo.addItem(f"{name} ({turns})", name)
            self.speaker_combo.setItemData(
                self.speaker_combo.count() - 1, role, Qt.ItemDataRole.ToolTipRole
            )
        index = self.speaker_combo.findData(chosen)
        self.speaker_combo.setCurrentIndex(max(index, 0))
        self.speaker_combo.blockSignals(False)

    def words(self) -> list[str]:
        """The words searched for (to mark in the reader)."""
        return query_words(self.edit.text())

    def criteria(self) -> dict:
        kind = self.kind_combo.currentData()
        return {
            "speaker": self.speaker_combo.currentData(),
            "date_from": None
            if self.from_edit.date() == NO_DATE
            else from_qdate(self.from_edit.date()),
            "date_to": None if self.to_edit.date() == NO_DATE else from_qdate(self.to_edit.date()),
            "kinds": (kind,) if kind else None,
        }

    def focus(self) -> None:
        self.edit.setFocus()
        self.edit.selectAll()

    def run_search(self) -> None:
        self._timer.stop()
        self._searching.drop()
        text = self.edit.text().strip()
        if not text:
            self.hits = []
            self.hits_list.clear()
            self.hits_label.setText(self.tr("Type to search every transcript."))
            self.hits_shown.emit()
            return
        desk, criteria = self.bench.desk, self.criteria()

        def find(token, _progress):
            found = search_service.find(desk, text, limit=HIT_LIMIT, **criteria)
            token.check()
            return found

        self.hits_label.setText(self.tr("Searching…"))
        self._searching.run(
            find,
            lambda found: self._show_hits(found.hits, found.notes),
            on_error=self._failed,
            label=self.tr("Searching…"),
        )

    def _failed(self, error) -> None:
        if isinstance(error, Cancelled):
            return
        self.hits_label.setText(
            str(error) if isinstance(error, PccError) else self.tr("The search did not work.")
        )

    def _show_hits(self, hits, notes=()) -> None:
        self.hits = list(hits)
        self.hits_list.clear()
        for hit in self.hits:
            when = house_date(hit.date) if hit.date else ""
            who = f"<b>{html.escape(hit.speaker)}</b> · " if hit.speaker else ""
            kind = "" if hit.kind == "transcript" else f"[{html.escape(hit.kind)}] "
            text = (
                f"<small>{kind}{html.escape(hit.title)}{' · ' + when if when and when not in hit.title else ''}</small>"
                f"<br>{who}{snippet_html(hit.snippet)}"
            )
            item = QListWidgetItem(text, self.hits_list)
            item.setToolTip(hit.title)
        more = self.tr(" (the first %d)") % HIT_LIMIT if len(self.hits) >= HIT_LIMIT else ""
        self.hits_label.setText(
            " ".join(
                [
                    self.tr("%d hits%s") % (len(self.hits), more)
                    if self.hits
                    else self.tr("No hits."),
                    *notes,
                ]
            )
        )
        self.hits_shown.emit()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            self.hit_opened.emit(self.hits[row])

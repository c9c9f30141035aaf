"""The Transcripts screen: the meetings, a reader of speaker turns, search, and quoting.

Left: search (as you type, on a worker thread; an answer to older words is dropped) with filters for
speaker, kind of record and dates, the hits with the matched words in bold, and the list of meetings.
Right: the reader, one paragraph per speaker turn (the speaker in bold, page numbers in the margin),
quotes already taken underlined. Selecting words in one turn enables "Attach as quote to…", which
picks recommendations from a searchable checklist and calls the quotes service.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput, NotFound, PccError
from pcc_desk.gui.dialogs.response_form import from_qdate
from pcc_desk.gui.errors import show_error
from pcc_desk.gui.html_delegate import HtmlDelegate
from pcc_desk.gui.screens import Screen
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import ChangeKind, register
from pcc_desk.services import quotes as quote_service
from pcc_desk.services import search as search_service
from pcc_desk.services import transcripts as transcript_service
from pcc_desk.services.batch_import import BatchResult, Outcome, import_transcripts

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
CHANGE_KINDS = frozenset(
    {
        ChangeKind.TRANSCRIPTS,
        ChangeKind.QUOTES,
        ChangeKind.RECOMMENDATIONS,
        ChangeKind.RESPONSES,
        ChangeKind.DOCUMENTS,
        ChangeKind.SEARCH,
    }
)
READER_KINDS = frozenset({ChangeKind.QUOTES, ChangeKind.TRANSCRIPTS})  # what the open meeting shows
ID_ROLE = Qt.ItemDataRole.UserRole


def utf16_len(text: str) -> int:
    """Qt counts positions in UTF-16 units; Python in code points."""
    return len(text.encode("utf-16-le")) // 2


def py_index(text: str, units: int) -> int:
    """The Python index of the character at UTF-16 offset ``units`` of ``text``."""
    count = 0
    for n, char in enumerate(text):
        if count >= units:
            return n
        count += 2 if ord(char) > 0xFFFF else 1
    return len(text)


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


class TranscriptsScreen(Screen):
    open_requested = Signal(str)  # a recommendation's ref: the main window shows it in the register
    transcripts_imported = Signal(object)  # a services.batch_import.BatchResult

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(bench, parent)
        self.transcripts: list[transcript_service.TranscriptRecord] = []
        self.detail: transcript_service.TranscriptDetail | None = None
        self.quotes: list = []  # (QuoteRecord, refs) of the transcript in the reader
        self.hits: list[search_service.Hit] = []
        self._turns: list[
            tuple[int, transcript_service.SegmentRecord]
        ] = []  # (document position, segment)
        self._generation = 0
        self._search_task = None
        self._pending_select = None  # (segment id, start, end) to select once a transcript is read
        self.attach_dialog: AttachQuoteDialog | None = None
        self.report_box: QMessageBox | None = None
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
        self.search_edit = QLineEdit(left)
        self.search_edit.setPlaceholderText(
            self.tr("Search transcripts and the register  (Ctrl+F)")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(self.tr("Search transcripts"))
        left_layout.addWidget(self.search_edit)
        filters = QHBoxLayout()
        self.speaker_combo = QComboBox(left)
        self.speaker_combo.setAccessibleName(self.tr("Filter by speaker"))
        self.speaker_combo.setMinimumContentsLength(12)
        self.speaker_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.speaker_combo.addItem(self.tr("Any speaker"), None)
        self.kind_combo = QComboBox(left)
        self.kind_combo.setAccessibleName(self.tr("Filter by kind of record"))
        for key, label in KINDS:
            self.kind_combo.addItem(self.tr(label), key)
        self.kind_combo.setCurrentIndex(1)
        self.from_edit = self._date_edit(self.tr("Meetings on or after"))
        self.to_edit = self._date_edit(self.tr("Meetings on or before"))
        filters.addWidget(self.speaker_combo, 2)
        filters.addWidget(self.kind_combo, 1)
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("–", left))
        filters.addWidget(self.to_edit)
        left_layout.addLayout(filters)

        self.left_splitter = QSplitter(Qt.Orientation.Vertical, left)
        self.left_splitter.setChildrenCollapsible(False)
        hits_box = QWidget(self.left_splitter)
        hits_layout = QVBoxLayout(hits_box)
        hits_layout.setContentsMargins(0, 0, 0, 0)
        self.hits_label = QLabel(self.tr("Type to search every transcript."), hits_box)
        self.hits_list = QListWidget(hits_box)
        self.hits_list.setAccessibleName(self.tr("Search results"))
        self.hits_list.setItemDelegate(HtmlDelegate(self.hits_list))
        self.hits_list.setWordWrap(True)
        self.hits_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        hits_layout.addWidget(self.hits_label)
        hits_layout.addWidget(self.hits_list)
        meetings_box = QWidget(self.left_splitter)
        meetings_layout = QVBoxLayout(meetings_box)
        meetings_layout.setContentsMargins(0, 0, 0, 0)
        self.meetings_label = QLabel(self.tr("<b>Meetings</b>"), meetings_box)
        self.meetings = QTreeWidget(meetings_box)
        self.meetings.setAccessibleName(self.tr("Meetings with a transcript"))
        self.meetings.setHeaderLabels(
            [self.tr("Date"), self.tr("Meeting"), self.tr("Turns"), self.tr("Quotes")]
        )
        self.meetings.setRootIsDecorated(False)
        self.meetings.setAlternatingRowColors(True)
        self.meetings.setSortingEnabled(False)
        header = self.meetings.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.import_button = QPushButton(self.tr("Import transcript…"), meetings_box)
        self.import_button.setAccessibleName(self.tr("Import a transcript"))
        meetings_layout.addWidget(self.meetings_label)
        meetings_layout.addWidget(self.meetings)
        meetings_layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.left_splitter.setSizes([300, 300])
        left_layout.addWidget(self.left_splitter)

        right = QWidget(self.splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.title_label = QLabel(self.tr("Choose a meeting, or search."), right)
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        self.reader = QTextBrowser(right)
        self.reader.setAccessibleName(self.tr("Transcript reader"))
        self.reader.setOpenLinks(False)
        self.reader.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.reader.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        bar = QHBoxLayout()
        self.attach_button = QPushButton(self.tr("&Attach as quote to…"), right)
        self.attach_button.setAccessibleName(
            self.tr("Attach the selected words as a quote to recommendations")
        )
        self.attach_button.setEnabled(False)
        self.selection_label = QLabel(right)
        self.selection_label.setAccessibleName(self.tr("The selected words"))
        bar.addWidget(self.attach_button)
        bar.addWidget(self.selection_label, 1)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(self.reader, 1)
        right_layout.addLayout(bar)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([520, 700])

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.speaker_combo, self.kind_combo):
            combo.currentIndexChanged.connect(lambda _i: self._search_timer.start())
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.run_search)
        self.hits_list.itemActivated.connect(lambda item: self.open_hit(self.hits_list.row(item)))
        self.hits_list.itemClicked.connect(lambda item: self.open_hit(self.hits_list.row(item)))
        self.meetings.currentItemChanged.connect(self._meeting_chosen)
        self.reader.selectionChanged.connect(self._selection_changed)
        self.reader.customContextMenuRequested.connect(self._reader_menu)
        self.attach_button.clicked.connect(self.attach_selection)
        self.import_button.clicked.connect(self._choose_files)

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

    # --- the list of meetings ----------------------------------------------------------------------

    def activate(self) -> None:
        if not self.is_loaded():
            self.reload()

    def reload(self) -> None:
        desk = self.bench.desk

        def load(token, _progress):
            records = transcript_service.list_transcripts(desk)
            token.check()
            return records, transcript_service.list_speakers(desk)

        self.bench.run(load, self._loaded_list, label=self.tr("Reading the transcripts…"))

    def _loaded_list(self, result) -> None:
        records, speakers = result
        self.transcripts = sorted(
            records, key=lambda r: (r.date or dt.date.min, r.title), reverse=True
        )
        current = self.detail.transcript.id if self.detail else None
        self.meetings.blockSignals(True)
        self.meetings.clear()
        for record in self.transcripts:
            item = QTreeWidgetItem(
                self.meetings,
                [
                    house_date(record.date) if record.date else self.tr("(no date)"),
                    f"{record.committee} – {record.title}" if record.title else record.committee,
                    str(record.segment_count),
                    str(record.quote_count),
                ],
            )
            item.setData(0, ID_ROLE, record.id)
            item.setToolTip(1, record.file_name)
            if record.id == current:
                self.meetings.setCurrentItem(item)
        self.meetings.blockSignals(False)
        self.meetings_label.setText(self.tr("<b>Meetings</b> (%d)") % len(self.transcripts))
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
        if self.detail is None and self.transcripts and self._pending_select is None:
            self.meetings.setCurrentItem(self.meetings.topLevelItem(0))
        elif not self.is_loaded():
            self.mark_loaded()

    def _meeting_chosen(self, item, _previous=None) -> None:
        if item is not None:
            self.open_transcript(item.data(0, ID_ROLE))

    def _on_changed(self, kinds, _refs) -> None:
        if self.is_loaded() and kinds & CHANGE_KINDS:
            self.reload()
            if self.detail is not None and kinds & READER_KINDS:
                self.open_transcript(self.detail.transcript.id, keep_place=True)

    # --- the reader --------------------------------------------------------------------------------

    def open_transcript(
        self, transcript_id: uuid.UUID, *, select=None, keep_place: bool = False
    ) -> None:
        """Read one transcript (on a worker) into the reader; ``select`` = (segment id, start, end)."""
        desk = self.bench.desk
        if select is not None:
            self._pending_select = select
        scroll = self.reader.verticalScrollBar().value() if keep_place else None

        def load(token, _progress):
            detail = transcript_service.get_transcript(desk, transcript_id)
            token.check()
            return detail, quote_service.list_quotes(desk, transcript_id)

        def failed(error) -> None:
            if isinstance(
                error, NotFound
            ):  # deleted meanwhile (its import undone): empty the reader
                self.detail, self.quotes = None, []
                self.reader.clear()
                self.title_label.clear()
            else:
                self.bench.report_error(error)

        self.bench.run(
            load,
            lambda result: self._show_transcript(*result, scroll=scroll),
            label=self.tr("Opening the transcript…"),
            on_error=failed,
        )

    def _show_transcript(self, detail, quotes, *, scroll=None) -> None:
        self.detail, self.quotes = detail, quotes
        record = detail.transcript
        words = f" · {record.word_count:,} words" if record.word_count else ""
        self.title_label.setText(
            f"<b>{html.escape(record.committee)}</b> – {html.escape(house_date(record.date) if record.date else '')}"
            f"<br>{html.escape(record.title)}<br><small>{len(detail.segments)} turns{words} · "
            f"{len(quotes)} quote(s) · {html.escape(record.file_name)}</small>"
        )
        self._render(detail)
        self._highlight()
        for n in range(self.meetings.topLevelItemCount()):
            item = self.meetings.topLevelItem(n)
            if item.data(0, ID_ROLE) == record.id and self.meetings.currentItem() is not item:
                self.meetings.blockSignals(True)
                self.meetings.setCurrentItem(item)
                self.meetings.blockSignals(False)
        if self._pending_select is not None:
            segment_id, start, end = self._pending_select
            self._pending_select = None
            self.select_span(segment_id, start, end)
        elif scroll is not None:
            self.reader.verticalScrollBar().setValue(scroll)
        if not self.is_loaded():
            self.mark_loaded()

    def _render(self, detail) -> None:
        doc = QTextDocument(self.reader)
        doc.setDefaultFont(self.reader.font())
        cursor = QTextCursor(doc)
        spaced = QTextBlockFormat()
        spaced.setBottomMargin(6)
        cursor.setBlockFormat(spaced)  # blocks inserted after this one share it
        plain = QTextCharFormat()
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        page_format = QTextCharFormat()
        page_format.setForeground(QColor("#6b6b6b"))
        page_format.setFontPointSize(max(self.reader.font().pointSizeF() - 1, 7))
        self._turns = []
        page = None
        first = True
        for segment in detail.segments:
            if not first:
                cursor.insertBlock()
            first = False
            if segment.page is not None and segment.page != page:
                page = segment.page
                cursor.insertText(self.tr("[page %d]") % page, page_format)
                cursor.insertBlock()
            label = segment.speaker or segment.speaker_name or self.tr("(unknown speaker)")
            cursor.insertText(f"{label}: ", bold)
            self._turns.append((cursor.position(), segment))
            # a blank line between a turn's paragraphs: one paragraph break, same length (offsets stay exact)
            cursor.insertText(segment.text.replace("\n\n", "\n\u200b"), plain)
        self.reader.setDocument(doc)

    def segment_at(self, position: int):
        """(segment, offset in the segment's text) of a document position, or (None, 0)."""
        for start, segment in reversed(self._turns):
            if position >= start:
                if position <= start + utf16_len(segment.text):
                    return segment, py_index(segment.text, position - start)
                return None, 0
        return None, 0

    def _turn_start(self, segment_id) -> int | None:
        return next((start for start, seg in self._turns if seg.id == segment_id), None)

    def select_span(self, segment_id, start: int, end: int) -> bool:
        """Select ``segment.text[start:end]`` in the reader and scroll to it."""
        base = self._turn_start(segment_id)
        if base is None:
            return False
        segment = next(seg for _pos, seg in self._turns if seg.id == segment_id)
        cursor = QTextCursor(self.reader.document())
        cursor.setPosition(base + utf16_len(segment.text[:start]))
        cursor.setPosition(base + utf16_len(segment.text[:end]), QTextCursor.MoveMode.KeepAnchor)
        self.reader.setTextCursor(cursor)
        self.reader.ensureCursorVisible()
        return True

    def selected_span(self):
        """(segment, start, end) of the reader's selection when it lies within one turn, else None."""
        cursor = self.reader.textCursor()
        if not cursor.hasSelection():
            return None
        first, start = self.segment_at(cursor.selectionStart())
        last, end = self.segment_at(cursor.selectionEnd())
        if (
            first is None
            or last is None
            or first.id != last.id
            or not first.text[start:end].strip()
        ):
            return None
        return first, start, end

    def _highlight(self) -> None:
        """Quotes already taken (underlined) and the words searched for (yellow) in the reader."""
        selections = []
        doc = self.reader.document()
        for quote, refs in self.quotes:
            base = self._turn_start(quote.segment_id)
            segment = next((seg for _p, seg in self._turns if seg.id == quote.segment_id), None)
            if base is None or segment is None:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(base + utf16_len(segment.text[: quote.start]))
            cursor.setPosition(
                base + utf16_len(segment.text[: quote.end]), QTextCursor.MoveMode.KeepAnchor
            )
            sel.cursor = cursor
            sel.format.setBackground(QColor("#dbe9f8"))
            sel.format.setToolTip(
                self.tr("Quoted for %s") % ", ".join(refs) if refs else self.tr("Quoted")
            )
            selections.append(sel)
        for word in query_words(self.search_edit.text()):
            cursor = QTextCursor(doc)
            while True:
                cursor = doc.find(word, cursor)
                if cursor.isNull():
                    break
                sel = QTextEdit.ExtraSelection()
                sel.cursor = QTextCursor(cursor)
                sel.format.setBackground(QColor("#fff1a8"))
                selections.append(sel)
        self.reader.setExtraSelections(selections)

    def _selection_changed(self) -> None:
        span = self.selected_span()
        self.attach_button.setEnabled(span is not None)
        if span is None:
            has = self.reader.textCursor().hasSelection()
            self.selection_label.setText(
                self.tr("Select words within one speaker's turn to quote them.") if has else ""
            )
        else:
            segment, start, end = span
            words = len(segment.text[start:end].split())
            self.selection_label.setText(
                self.tr("%d words of %s selected")
                % (words, html.escape(segment.speaker_name or segment.speaker))
            )

    def _reader_menu(self, point) -> None:
        menu = QMenu(self.reader)
        copy = menu.addAction(self.tr("&Copy"))
        copy.triggered.connect(self.reader.copy)
        copy.setEnabled(self.reader.textCursor().hasSelection())
        attach = menu.addAction(self.tr("&Attach as quote to…"))
        attach.setEnabled(self.selected_span() is not None)
        attach.triggered.connect(self.attach_selection)
        menu.popup(self.reader.mapToGlobal(point))

    # --- quoting -----------------------------------------------------------------------------------

    def attach_selection(self) -> None:
        span = self.selected_span()
        if span is None:
            show_error(self, InvalidInput(self.tr("Select words within one speaker's turn first.")))
            return
        try:
            recs = register.list_recommendations(self.bench.desk)
        except PccError as error:
            show_error(self, error)
            return
        segment, start, end = span
        dialog = AttachQuoteDialog(recs, segment.text[start:end], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.quote(segment.id, start, end, dialog.checked_refs()))
        dialog.destroyed.connect(lambda *_: setattr(self, "attach_dialog", None))
        self.attach_dialog = dialog
        dialog.open()

    def quote(self, segment_id, start: int, end: int, refs: list[str]):
        """Keep the words as a quote attached to ``refs`` (one transaction)."""
        try:
            record = quote_service.quote_span(self.bench.desk, segment_id, start, end, refs)
        except PccError as error:
            show_error(self, error)
            return None
        self.bench.message(
            self.tr("Quote from %s attached to %s.") % (record.citation, ", ".join(refs))
        )
        return record

    def show_quote(self, quote) -> None:
        """The detail screen's "Show in transcript": open it at the quote and select the words."""
        select = (quote.segment_id, quote.start, quote.end)
        if self.detail is not None and self.detail.transcript.id == quote.transcript_id:
            self.select_span(*select)
        else:
            self.open_transcript(quote.transcript_id, select=select)

    # --- search ------------------------------------------------------------------------------------

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

    def run_search(self) -> None:
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        if self._search_task is not None:
            self._search_task.cancel()
        text = self.search_edit.text().strip()
        if not text:
            self.hits = []
            self.hits_list.clear()
            self.hits_label.setText(self.tr("Type to search every transcript."))
            self._highlight()
            return
        desk, criteria = self.bench.desk, self.criteria()

        def find(token, _progress):
            found = search_service.find(desk, text, limit=HIT_LIMIT, **criteria)
            token.check()
            return found

        self.hits_label.setText(self.tr("Searching…"))
        self._search_task = self.bench.tasks.run(
            find,
            on_done=lambda found: self._show_hits(generation, found.hits, found.notes),
            on_error=lambda error: self._search_failed(generation, error),
            label=self.tr("Searching…"),
        )

    def _search_failed(self, generation: int, error) -> None:
        if generation != self._generation:
            return
        from pcc_desk.errors import Cancelled

        if isinstance(error, Cancelled):
            return
        self.hits_label.setText(
            str(error) if isinstance(error, PccError) else self.tr("The search did not work.")
        )

    def _show_hits(self, generation: int, hits, notes=()) -> None:
        if generation != self._generation:  # an answer to words the clerk has since changed
            return
        self._search_task = None
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
        self._highlight()

    def open_hit(self, row: int) -> None:
        if not 0 <= row < len(self.hits):
            return
        hit = self.hits[row]
        if hit.kind == "transcript" and hit.transcript_id is not None:
            if self.detail is not None and self.detail.transcript.id == hit.transcript_id:
                self._scroll_to_segment(hit.id)
            else:
                self._pending_select = (hit.id, 0, 0)
                self.open_transcript(hit.transcript_id)
        elif hit.ref:
            self.open_requested.emit(hit.ref)
        elif hit.transcript_id is not None:
            self.open_transcript(hit.transcript_id)

    def _scroll_to_segment(self, segment_id) -> None:
        base = self._turn_start(segment_id)
        if base is None:
            return
        cursor = QTextCursor(self.reader.document())
        cursor.setPosition(base)
        self.reader.setTextCursor(cursor)
        self.reader.ensureCursorVisible()

    # --- imports -----------------------------------------------------------------------------------

    def _choose_files(self) -> None:
        window = self.window()
        if hasattr(window, "import_transcript"):
            window.import_transcript()

    def import_files(self, paths: list[Path], kind: str | None) -> bool:
        """Each transcript in its own transaction, on a worker (``services.batch_import``, the same
        service and skip rules as ``pcc-desk import-transcript``); failures listed at the end."""
        desk = self.bench.desk
        self.bench.run(
            lambda token, progress: import_transcripts(
                desk, paths, progress=progress, cancel=token
            ),
            self._imported,
            label=self.tr("Importing %d transcript(s)…") % len(paths),
        )
        return True

    def _imported(self, outcome: BatchResult) -> None:
        new = outcome.of(Outcome.IMPORTED)
        if new:
            from pcc_desk.gui.undo import ImportTranscriptsCommand

            self.bench.undo.push(
                ImportTranscriptsCommand(self.bench, [(r.path, r.transcript) for r in new])
            )  # Ctrl+Z deletes them again
        again = outcome.of(Outcome.DUPLICATE)
        failed = [r.reason for r in outcome.refused]
        parts = [self.tr("%d transcript(s) imported") % len(new)]
        if again:
            parts.append(self.tr("%d imported before (nothing added)") % len(again))
        if failed:
            parts.append(self.tr("%d could not be imported") % len(failed))
        if outcome.skipped:
            parts.append(self.tr("%d skipped") % len(outcome.skipped))
        if outcome.cancelled:
            parts.append(self.tr("cancelled: %d not read") % len(outcome.of(Outcome.CANCELLED)))
        message = "; ".join(parts) + "."
        self.bench.message(message)
        if failed or outcome.skipped:
            box = QMessageBox(
                QMessageBox.Icon.Warning if failed else QMessageBox.Icon.Information,
                self.tr("Transcripts imported"),
                message,
                QMessageBox.StandardButton.Ok,
                self,
            )
            lines = failed + [r.reason for r in outcome.skipped]
            box.setInformativeText("<br>".join(html.escape(f) for f in lines))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.report_box = box
            box.open()
        done = [r.transcript for r in outcome.results if r.transcript is not None]
        if done:
            self.open_transcript(done[0].transcript.id)
        self.reload()
        self.transcripts_imported.emit(outcome)

    # --- the frame's hooks -------------------------------------------------------------------------

    def focus_search(self) -> bool:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
        return True

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("transcripts/splitter", self.splitter.saveState())
        settings.setValue("transcripts/left", self.left_splitter.saveState())

    def restore_state(self, settings: QSettings) -> None:
        for key, splitter in (
            ("transcripts/splitter", self.splitter),
            ("transcripts/left", self.left_splitter),
        ):
            value = settings.value(key)
            if value is not None:
                splitter.restoreState(value)


class AttachQuoteDialog(QDialog):
    """A searchable checklist of the register: tick the recommendations the quote supports."""

    def __init__(self, recs, words: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Attach as quote to…"))
        self.resize(720, 520)
        layout = QVBoxLayout(self)
        quote = QLabel(f"<i>“{html.escape(_short(words, 300))}”</i>", self)
        quote.setWordWrap(True)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText(self.tr("Filter by reference, theme or words"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName(self.tr("Filter the recommendations"))
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Recommendations to attach the quote to"))
        self.list.setWordWrap(True)
        for rec in recs:
            item = QListWidgetItem(f"{rec.ref} – {_short(rec.text, 140)}", self.list)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsSelectable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(ID_ROLE, rec.ref)
            item.setData(
                Qt.ItemDataRole.ToolTipRole, f"{rec.theme}: {rec.text}" if rec.theme else rec.text
            )
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{rec.ref} {rec.theme} {rec.text}".lower())
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
            hay = item.data(Qt.ItemDataRole.UserRole + 1)
            item.setHidden(not all(w in hay for w in words))

    def item_for(self, ref: str) -> QListWidgetItem | None:
        return next(
            (
                self.list.item(r)
                for r in range(self.list.count())
                if self.list.item(r).data(ID_ROLE) == ref
            ),
            None,
        )

    def checked_refs(self) -> list[str]:
        return [
            self.list.item(r).data(ID_ROLE)
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


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""The Transcripts screen: the meetings, a reader of speaker turns, search, and quoting.

Left: the search panel (:mod:`.transcript_search`) above the list of meetings. Right: the reader
(:mod:`.transcript_reader`). Words selected within one turn are quoted through "Attach as quote to…"
(:class:`~pcc_desk.gui.dialogs.attach_quote.AttachQuoteDialog`), which calls the quotes service. This
module wires them: it loads the meetings and the meeting read, opens what a hit points at, quotes,
and imports transcripts.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import InvalidInput, NotFound, PccError
from pcc_desk.gui.dialogs.attach_quote import AttachQuoteDialog
from pcc_desk.gui.errors import show_error
from pcc_desk.gui.screens import Screen
from pcc_desk.gui.screens.transcript_reader import TranscriptReader
from pcc_desk.gui.screens.transcript_search import SearchPanel
from pcc_desk.gui.undo import ImportTranscriptsCommand
from pcc_desk.gui.workbench import Newest, Workbench
from pcc_desk.services import quotes as quote_service
from pcc_desk.services import register
from pcc_desk.services import transcripts as transcript_service
from pcc_desk.services.batch_import import BatchResult, Outcome, import_transcripts
from pcc_desk.services.dto import TranscriptRecord
from pcc_desk.vocabulary import ChangeKind

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


class TranscriptsScreen(Screen):
    open_requested = Signal(str)  # a recommendation's ref: the main window shows it in the register
    transcripts_imported = Signal(object)  # a services.batch_import.BatchResult

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(bench, parent)
        self.transcripts: list[TranscriptRecord] = []
        self.detail: transcript_service.TranscriptDetail | None = None
        self.quotes: list = []  # (QuoteRecord, refs) of the transcript in the reader
        # (segment id, start, end) to select once a transcript is read
        self._pending_select: tuple[uuid.UUID, int, int] | None = None
        self._list_reading = Newest(bench)  # reloads run side by side: only the newest is shown
        self._opening = Newest(bench)  # the meeting chosen last is the one shown
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

        self.left_splitter = QSplitter(Qt.Orientation.Vertical, self.splitter)
        self.left_splitter.setChildrenCollapsible(False)
        self.search = SearchPanel(self.bench, self.left_splitter)
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
        self.left_splitter.setSizes([360, 300])

        self.reader = TranscriptReader(self.splitter)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([520, 700])

        self.search.hit_opened.connect(self.open_hit)
        self.search.hits_shown.connect(lambda: self.reader.highlight(self.search.words()))
        self.meetings.currentItemChanged.connect(self._meeting_chosen)
        self.reader.attach_requested.connect(self.attach_selection)
        self.import_button.clicked.connect(self._choose_files)

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

        self._list_reading.run(load, self._loaded_list, label=self.tr("Reading the transcripts…"))

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
        self.search.set_speakers(speakers)
        if self.detail is None and self.transcripts and self._pending_select is None:
            first = self.meetings.topLevelItem(0)
            if first is not None:
                self.meetings.setCurrentItem(first)
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

    # --- the meeting read --------------------------------------------------------------------------

    def open_transcript(
        self, transcript_id: uuid.UUID, *, select=None, keep_place: bool = False
    ) -> None:
        """Read one transcript (on a worker) into the reader; ``select`` = (segment id, start, end)."""
        desk = self.bench.desk
        if select is not None:
            self._pending_select = select
        scroll = self.reader.view.verticalScrollBar().value() if keep_place else None

        def load(token, _progress):
            detail = transcript_service.get_transcript(desk, transcript_id)
            token.check()
            return detail, quote_service.list_quotes(desk, transcript_id)

        def failed(error) -> None:
            if isinstance(error, NotFound):  # deleted meanwhile (its import undone): empty it
                self.detail, self.quotes = None, []
                self.reader.clear()
            else:
                self.bench.report_error(error)

        self._opening.run(
            load,
            lambda result: self._show_transcript(*result, scroll=scroll),
            label=self.tr("Opening the transcript…"),
            on_error=failed,
        )

    def _show_transcript(self, detail, quotes, *, scroll=None) -> None:
        self.detail, self.quotes = detail, quotes
        self.reader.show_transcript(detail, quotes, self.search.words())
        record = detail.transcript
        for n in range(self.meetings.topLevelItemCount()):
            item = self.meetings.topLevelItem(n)
            if (
                item is not None
                and item.data(0, ID_ROLE) == record.id
                and self.meetings.currentItem() is not item
            ):
                self.meetings.blockSignals(True)
                self.meetings.setCurrentItem(item)
                self.meetings.blockSignals(False)
        if self._pending_select is not None:
            segment_id, start, end = self._pending_select
            self._pending_select = None
            self.reader.select_span(segment_id, start, end)
        elif scroll is not None:
            self.reader.view.verticalScrollBar().setValue(scroll)
        if not self.is_loaded():
            self.mark_loaded()

    def open_hit(self, hit) -> None:
        """Open what a search hit points at: a turn in its meeting, or a recommendation."""
        if hit.kind == "transcript" and hit.transcript_id is not None:
            if self.detail is not None and self.detail.transcript.id == hit.transcript_id:
                self.reader.scroll_to_segment(hit.id)
            else:
                self._pending_select = (hit.id, 0, 0)
                self.open_transcript(hit.transcript_id)
        elif hit.ref:
            self.open_requested.emit(hit.ref)
        elif hit.transcript_id is not None:
            self.open_transcript(hit.transcript_id)

    # --- quoting -----------------------------------------------------------------------------------

    def attach_selection(self) -> None:
        span = self.reader.selected_span()
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
            self.reader.select_span(*select)
        else:
            self.open_transcript(quote.transcript_id, select=select)

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
            self.bench.undo.push(
                ImportTranscriptsCommand(
                    self.bench, [(r.path, r.transcript) for r in new if r.transcript is not None]
                )
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
        self.search.focus()
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

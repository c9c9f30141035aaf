"""The Transcripts screen's reader: one meeting, one paragraph per speaker turn (the speaker in bold,
page numbers in the margin), quotes already taken and the words searched for highlighted. Selecting
words within one turn enables "Attach as quote to…" (:attr:`TranscriptReader.attach_requested`).

Qt counts positions in UTF-16 units and Python in code points: the reader maps between a document
position and (turn, offset in the turn's text) both ways, exactly, whatever the characters."""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.services.dto import SegmentRecord

QUOTED = QColor("#dbe9f8")
SEARCHED = QColor("#fff1a8")


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


class TranscriptReader(QWidget):
    attach_requested = Signal()  # "Attach as quote to…" for the words selected (one turn)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.turns: list[tuple[int, SegmentRecord]] = []  # (document position of its text, turn)
        self.quotes: list = []  # (QuoteRecord, refs) of the meeting shown
        self.words: list[str] = []  # the words searched for
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title_label = QLabel(self.tr("Choose a meeting, or search."), self)
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        self.view = QTextBrowser(self)
        self.view.setAccessibleName(self.tr("Transcript reader"))
        self.view.setOpenLinks(False)
        self.view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        bar = QHBoxLayout()
        self.attach_button = QPushButton(self.tr("&Attach as quote to…"), self)
        self.attach_button.setAccessibleName(
            self.tr("Attach the selected words as a quote to recommendations")
        )
        self.attach_button.setEnabled(False)
        self.selection_label = QLabel(self)
        self.selection_label.setAccessibleName(self.tr("The selected words"))
        bar.addWidget(self.attach_button)
        bar.addWidget(self.selection_label, 1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        self.view.selectionChanged.connect(self._selection_changed)
        self.view.customContextMenuRequested.connect(self._menu)
        self.attach_button.clicked.connect(self.attach_requested)

    # --- showing a meeting ---------------------------------------------------------------------------

    def show_transcript(self, detail, quotes, words: Iterable[str] = ()) -> None:
        """Show ``detail`` (a TranscriptDetail) with its ``quotes`` [(QuoteRecord, refs)] and the
        ``words`` searched for marked."""
        self.quotes, self.words = list(quotes), list(words)
        record = detail.transcript
        word_count = f" · {record.word_count:,} words" if record.word_count else ""
        self.title_label.setText(
            f"<b>{html.escape(record.committee)}</b> – {html.escape(house_date(record.date) if record.date else '')}"
            f"<br>{html.escape(record.title)}<br><small>{len(detail.segments)} turns{word_count} · "
            f"{len(quotes)} quote(s) · {html.escape(record.file_name)}</small>"
        )
        self._render(detail.segments)
        self.highlight()

    def clear(self) -> None:
        self.turns, self.quotes = [], []
        self.view.clear()
        self.title_label.clear()

    def _render(self, segments) -> None:
        doc = QTextDocument(self.view)
        doc.setDefaultFont(self.view.font())
        cursor = QTextCursor(doc)
        spaced = QTextBlockFormat()
        spaced.setBottomMargin(6)
        cursor.setBlockFormat(spaced)  # blocks inserted after this one share it
        plain = QTextCharFormat()
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        page_format = QTextCharFormat()
        page_format.setForeground(QColor("#6b6b6b"))
        page_format.setFontPointSize(max(self.view.font().pointSizeF() - 1, 7))
        self.turns = []
        page = None
        first = True
        for segment in segments:
            if not first:
                cursor.insertBlock()
            first = False
            if segment.page is not None and segment.page != page:
                page = segment.page
                cursor.insertText(self.tr("[page %d]") % page, page_format)
                cursor.insertBlock()
            label = segment.speaker or segment.speaker_name or self.tr("(unknown speaker)")
            cursor.insertText(f"{label}: ", bold)
            self.turns.append((cursor.position(), segment))
            # a blank line between a turn's paragraphs: one paragraph break, same length (offsets stay exact)
            cursor.insertText(segment.text.replace("\n\n", "\n\u200b"), plain)
        self.view.setDocument(doc)

    # --- positions -----------------------------------------------------------------------------------

    def segment_at(self, position: int):
        """(segment, offset in the segment's text) of a document position, or (None, 0)."""
        for start, segment in reversed(self.turns):
            if position >= start:
                if position <= start + utf16_len(segment.text):
                    return segment, py_index(segment.text, position - start)
                return None, 0
        return None, 0

    def turn_start(self, segment_id) -> int | None:
        return next((start for start, seg in self.turns if seg.id == segment_id), None)

    def _segment(self, segment_id):
        return next((seg for _start, seg in self.turns if seg.id == segment_id), None)

    def select_span(self, segment_id, start: int, end: int) -> bool:
        """Select ``segment.text[start:end]`` and scroll to it."""
        base, segment = self.turn_start(segment_id), self._segment(segment_id)
        if base is None or segment is None:
            return False
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(base + utf16_len(segment.text[:start]))
        cursor.setPosition(base + utf16_len(segment.text[:end]), QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()
        return True

    def scroll_to_segment(self, segment_id) -> None:
        base = self.turn_start(segment_id)
        if base is None:
            return
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(base)
        self.view.setTextCursor(cursor)
        self.view.ensureCursorVisible()

    def selected_span(self):
        """(segment, start, end) of the selection when it lies within one turn, else None."""
        cursor = self.view.textCursor()
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

    # --- marks ---------------------------------------------------------------------------------------

    def highlight(self, words: list[str] | None = None) -> None:
        """Quotes already taken (blue) and the words searched for (yellow); ``words`` replaces the
        words searched for when given."""
        if words is not None:
            self.words = list(words)
        selections = []
        doc = self.view.document()
        for quote, refs in self.quotes:
            base, segment = self.turn_start(quote.segment_id), self._segment(quote.segment_id)
            if base is None or segment is None:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(base + utf16_len(segment.text[: quote.start]))
            cursor.setPosition(
                base + utf16_len(segment.text[: quote.end]), QTextCursor.MoveMode.KeepAnchor
            )
            sel.cursor = cursor
            sel.format.setBackground(QUOTED)
            sel.format.setToolTip(
                self.tr("Quoted for %s") % ", ".join(refs) if refs else self.tr("Quoted")
            )
            selections.append(sel)
        for word in self.words:
            cursor = QTextCursor(doc)
            while True:
                cursor = doc.find(word, cursor)
                if cursor.isNull():
                    break
                sel = QTextEdit.ExtraSelection()
                sel.cursor = QTextCursor(cursor)
                sel.format.setBackground(SEARCHED)
                selections.append(sel)
        self.view.setExtraSelections(selections)

    def _selection_changed(self) -> None:
        span = self.selected_span()
        self.attach_button.setEnabled(span is not None)
        if span is None:
            has = self.view.textCursor().hasSelection()
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

    def _menu(self, point) -> None:
        menu = QMenu(self.view)
        copy = menu.addAction(self.tr("&Copy"))
        copy.triggered.connect(self.view.copy)
        copy.setEnabled(self.view.textCursor().hasSelection())
        attach = menu.addAction(self.tr("&Attach as quote to…"))
        attach.setEnabled(self.selected_span() is not None)
        attach.triggered.connect(self.attach_requested)
        menu.popup(self.view.mapToGlobal(point))

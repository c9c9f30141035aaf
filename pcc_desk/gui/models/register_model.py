"""The register table: a tree model over ``RecommendationSummary`` rows (its filter proxy is in
``register_filter``).

The model keeps the records in a stable list, all of them in the clerk's sort order (``_sorted``),
and its rows: the records the filter accepts, in that order (``_order``). Sorting rearranges the
order with a Python sort on each column's native value (``SORT_ROLE``), so clicking a header on
20,000 rows costs one ``sorted`` call, not 300,000 ``data()`` calls. Filtering is one list
comprehension over the accepted flags (``show_only``) and one layout change: Qt's filter proxy
would test every ask again through a Python ``filterAcceptsRow`` call on each keystroke.

The rows' shape (how many rows, which have sub-rows) lives in Qt's ``QStandardItemModel``, in C++:
the tree lays out every shown ask before it can show or select one, asking each for its index, its
flags (twice) and whether it has sub-rows, and these answers now come without a Python call (a
Python model answered them at about 2 µs an ask: 40 ms a keystroke on 16,500 asks). Only
``data()`` is Python, and Qt asks it for the cells on screen. A joint ask's row holds an item whose
child rows are its addressees' sub-rows; every other cell is empty (Qt's default flags).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItemModel

from pcc_desk.dates import house_date
from pcc_desk.gui.models.register_criteria import haystack_of, haystacks_for
from pcc_desk.services.dto import AddresseeLine, RecommendationSummary
from pcc_desk.vocabulary import Assessment, Status

COL_REF, COL_THEME, COL_ASK, COL_ADDRESSEE, COL_MADE, COL_DUE, COL_STATUS, COL_ASSESSMENT = range(8)
SORT_ROLE = (
    Qt.ItemDataRole.UserRole + 1
)  # the native value (date ordinal, enum order, lower-case text)
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2  # the RecommendationSummary itself

# Colour AND text: the label is always shown; the colour only repeats it.
STATUS_COLOURS = {
    Status.AWAITING_RESPONSE: "#fff4ce",
    Status.RESPONSE_RECEIVED: "#dbeafe",
    Status.FOLLOW_UP_NEEDED: "#fde2e1",
    Status.CLOSED_IMPLEMENTED: "#dcfce7",
    Status.CLOSED_NOT_ACCEPTED: "#e5e7eb",
    Status.SUPERSEDED: "#eeeeee",
}
OVERDUE_COLOUR = "#b91c1c"
# the roles data() answers (for a cell or a sub-row's); every other is None
_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.AccessibleTextRole,
        SORT_ROLE,
        RECORD_ROLE,
    }
)
_STATUS_ORDER = {s: i for i, s in enumerate(Status)}
_ASSESSMENT_ORDER = {a: i for i, a in enumerate(Assessment)}


def short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


class RegisterTableModel(QStandardItemModel):
    """One row per ask; under a joint ask's row, one sub-row per addressee (its ``addressee_lines``).

    The rows are the asks the filter shows; ``records()`` and ``has_ref`` are every ask loaded.
    Sorting and filtering move asks inside one layout change, and an ask's open sub-rows, its
    selection and its place in the clerk's view go with it (persistent indexes)."""

    records_changed = Signal()  # records replaced or edited (on a load: before views hear of it)

    HEADERS = (
        "Reference",
        "Theme",
        "Ask",
        "Addressee",
        "Made",
        "Due",
        "Status",
        "Latest assessment",
    )

    def __init__(self, parent=None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self._records: list[RecommendationSummary] = []
        self._sorted: list[int] = []  # every record index, in the clerk's sort order
        self._order: list[int] = []  # view row -> record index: the shown records, in that order
        self._accepted: bytearray | None = None  # per record, 1 when shown; None: every record
        self._loading = False  # inside a load's reset: the filter's answer is only kept
        self._haystack: list[str] | None = []  # per record, lower-case text searched as you type
        # (None: not made yet; made when first searched, see haystacks())
        self._row_of_ref: dict[str, int] | None = {}  # shown rows by reference (None: not yet)
        self._index_of_ref: dict[str, int] = {}  # every record's index, by reference
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.version = 0  # bumped whenever records change (the proxy's caches key on it)
        self._joint_slots: dict[int, int] = {}  # row -> sub-rows it has now (joint asks' rows)
        self.setColumnCount(len(self.HEADERS))
        self.today = today or dt.date.today()
        self._brushes = {s: QBrush(QColor(c)) for s, c in STATUS_COLOURS.items()}
        self._overdue_brush = QBrush(QColor(OVERDUE_COLOUR))

    # --- Qt interface ----------------------------------------------------------------------------

    def line(self, index: QModelIndex | QPersistentModelIndex) -> AddresseeLine | None:
        """The addressee a sub-row shows (None for an ask's own row)."""
        ask = index.parent() if index.isValid() else QModelIndex()
        if not ask.isValid():
            return None
        return self._records[self._order[ask.row()]].addressee_lines[index.row()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.tr(self.HEADERS[section])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role not in _ANSWERED or not index.isValid():  # (a view asks 7 roles a cell it paints)
            return None
        ask = index.parent()
        if ask.isValid():
            return self._line_data(ask.row(), index, role)
        if index.row() >= len(self._order):
            return None
        rec = self._records[self._order[index.row()]]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(rec, col)
        if role == SORT_ROLE:
            return _sort_value(rec, col)
        if role == RECORD_ROLE:
            return rec
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_ASK:
                return rec.text
            if col == COL_DUE and rec.is_overdue(self.today):
                return self.tr("Overdue: a response was due on %s") % house_date(rec.due)
            if col in (COL_MADE, COL_DUE):
                return house_date(rec.made if col == COL_MADE else rec.due)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_STATUS:
            return self._brushes.get(rec.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return QBrush(QColor("#111111"))
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_DUE and rec.is_overdue(self.today):
            return self._overdue_brush
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_STATUS:
            return rec.status.label
        return None

    def _line_data(self, ask_row: int, index: QModelIndex | QPersistentModelIndex, role: int):
        if ask_row >= len(self._order):
            return None
        rec = self._records[self._order[ask_row]]
        if index.row() >= len(rec.addressee_lines):
            return None
        line = rec.addressee_lines[index.row()]
        col = index.column()
        overdue = line.is_overdue(self.today)
        if role == RECORD_ROLE:
            return rec
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_ADDRESSEE:
                return line.name
            if col == COL_ASK:
                position = line.position.label if line.position else self.tr("no response yet")
                return self.tr("%s: position %s") % (line.name, position)
            if col == COL_DUE:
                text = short_date(line.due)
                return f"{text} ({self.tr('overdue')})" if overdue else text
            if col == COL_STATUS:
                return line.status.label
            return ""
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_STATUS:
            return self._brushes.get(line.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS:
            return QBrush(QColor("#111111"))
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_DUE and overdue:
            return self._overdue_brush
        if role == Qt.ItemDataRole.AccessibleTextRole and col == COL_STATUS:
            return self.tr("%s: %s") % (line.name, line.status.label)
        return None

    def _display(self, rec: RecommendationSummary, col: int) -> str:
        if col == COL_REF:
            return rec.shown_ref
        if col == COL_THEME:
            return rec.theme
        if col == COL_ASK:
            return " ".join(rec.text.split())[:300]
        if col == COL_ADDRESSEE:
            return rec.addressee
        if col == COL_MADE:
            return short_date(rec.made)
        if col == COL_DUE:
            text = short_date(rec.due)
            return f"{text} ({self.tr('overdue')})" if rec.is_overdue(self.today) else text
        if col == COL_STATUS:
            return rec.status.label
        if col == COL_ASSESSMENT:
            return rec.latest_assessment.label if rec.latest_assessment else "—"
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self._sort = (column, order)
        self._sorted = self._sorted_order(column, order, self._sorted)
        self._relayout()

    def show_only(self, accepted: bytearray | None) -> bool:
        """Show the records flagged 1 in ``accepted`` (None: all), in the sort order; True when
        the rows shown change. Typing narrows or widens the rows: one layout change."""
        same = _same_rows(self._accepted, accepted)
        self._accepted = accepted
        if same or self._loading:
            return False  # (a load orders its rows once, after its filter is known)
        self._relayout()
        return True

    def _relayout(self) -> None:
        """The rows again from the sort order and the filter, inside one layout change; the
        clerk's selection, current row and open asks (persistent indexes) follow their asks (a
        sub-row's index is dropped: the screen chooses its ask again)."""
        self.layoutAboutToBeChanged.emit()
        old_order = list(self._order)
        self._order[:] = self._shown(self._sorted)
        self._row_of_ref = None
        old_indexes = self.persistentIndexList()
        new_row_of_record = {rec_index: row for row, rec_index in enumerate(self._order)}
        targets = [self._moved(i, old_order, new_row_of_record) for i in old_indexes]
        # Qt's own row changes below are not signalled (the layout change stands for them); rows
        # are added before the persistent indexes move and taken away after, so that no index
        # the clerk's view keeps is on a row taken away.
        with self._rows_unsignalled():
            if len(self._order) > self.rowCount():
                self.setRowCount(len(self._order))
        self.changePersistentIndexList(
            old_indexes, [QModelIndex() if t is None else self.index(*t) for t in targets]
        )
        with self._rows_unsignalled():
            self._place_sub_rows()
            if len(self._order) < self.rowCount():
                self.setRowCount(len(self._order))
        self.layoutChanged.emit()

    def _moved(
        self, index: QModelIndex, old_order: list[int], new_row_of_record: dict[int, int]
    ) -> tuple[int, int] | None:
        """The row and column a persistent index moves to (None: no longer shown)."""
        if index.parent().isValid() or index.row() >= len(old_order):
            return None
        row = new_row_of_record.get(old_order[index.row()])
        return None if row is None else (row, index.column())

    def _place_sub_rows(self) -> None:
        """Each joint ask's row gets its addressees' sub-rows; rows that had some and are no
        longer a joint ask's lose them (items are kept: taking one away would drop the indexes
        kept on its row)."""
        wanted = {
            row: len(self._records[i].addressee_lines)
            for row, i in enumerate(self._order)
            if self._records[i].addressee_lines
        }
        for row, count in self._joint_slots.items():
            if wanted.get(row) != count and row < self.rowCount():
                self._sub_rows_at(row, 0)
        for row, count in wanted.items():
            if self._joint_slots.get(row) != count:
                self._sub_rows_at(row, count)
        self._joint_slots = wanted

    def _sub_rows_at(self, row: int, count: int) -> None:
        item = self.itemFromIndex(self.index(row, 0))  # made when first needed
        if item.columnCount() != len(self.HEADERS):
            item.setColumnCount(len(self.HEADERS))
        item.setRowCount(count)

    @contextmanager
    def _rows_unsignalled(self) -> Iterator[None]:
        blocked = self.blockSignals(True)
        try:
            yield
        finally:
            self.blockSignals(blocked)

    def _shown(self, order: list[int]) -> list[int]:
        accepted = self._accepted
        return list(order) if accepted is None else [i for i in order if accepted[i]]

    # --- rows ------------------------------------------------------------------------------------

    def set_rows(
        self, rows: Sequence[RecommendationSummary], haystacks: Sequence[str] | None = None
    ) -> None:
        """Replace every row (after a load): inside a model reset, keeping the clerk's sort.

        ``haystacks`` (from :func:`haystacks_for`, computed by the worker that loaded the rows) saves
        the UI thread that work; without them they are made when the rows are first searched (the
        rows read ahead at start-up go on screen without waiting for them)."""
        self.beginResetModel()
        self._records = list(rows)
        self._haystack = list(haystacks) if haystacks is not None else None
        self._index_of_ref = {rec.ref: i for i, rec in enumerate(self._records)}
        order = list(range(len(self._records)))
        if self._sort is not None:
            order = self._sorted_order(*self._sort, order)
        self._sorted = order
        self._accepted = None
        self.version += 1
        self._loading = True
        try:
            self.records_changed.emit()  # the filter says which of them are shown (show_only)
        finally:
            self._loading = False
        self._order[:] = self._shown(order)
        self._row_of_ref = None
        with self._rows_unsignalled():  # (inside the reset: views hear of nothing until its end)
            if len(self._order) > self.rowCount():
                self.setRowCount(len(self._order))
            self._place_sub_rows()
            if len(self._order) < self.rowCount():
                self.setRowCount(len(self._order))
        self.endResetModel()

    def update_rows(self, rows: Sequence[RecommendationSummary]) -> list[str]:
        """Replace records in place by reference (after an edit); return references not present.
        An edited ask the filter now hides leaves the rows (or one it now accepts comes in)."""
        missing = []
        changed_rows = []
        for rec in rows:
            index = self._index_of_ref.get(rec.ref)
            if index is None:
                missing.append(rec.ref)
                continue
            row = self.row_of(rec.ref)
            if row is not None:  # shown: its sub-rows go or come as Qt expects
                self._replace_lines(row, index, rec)
                changed_rows.append(row)
            self._records[index] = rec
            if self._haystack is not None:
                self._haystack[index] = haystack_of(rec)
        if len(missing) < len(rows):
            self.version += 1
        last = self.columnCount() - 1
        for row in changed_rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            lines = len(self._records[self._order[row]].addressee_lines)
            if lines:
                ask = self.index(row, 0)
                self.dataChanged.emit(self.index(0, 0, ask), self.index(lines - 1, last, ask))
        if len(missing) < len(rows):
            self.records_changed.emit()  # the filter tests the edited asks again (show_only)
        return missing

    def _replace_lines(self, row: int, index: int, rec: RecommendationSummary) -> None:
        """An edit added or removed an addressee: its sub-rows come or go, as Qt expects."""
        count = len(rec.addressee_lines)
        if len(self._records[index].addressee_lines) == count:
            return
        self._records[index] = rec
        self.version += 1
        self._sub_rows_at(row, count)  # (signalled: the views insert or remove the sub-rows)
        if count:
            self._joint_slots[row] = count
        else:
            self._joint_slots.pop(row, None)

    def record(self, row: int) -> RecommendationSummary:
        return self._records[self._order[row]]

    def records(self) -> list[RecommendationSummary]:
        """The records in stable (load) order; the model's own list: do not change it."""
        return self._records

    def row_of(self, ref: str) -> int | None:
        """The row showing ``ref`` (None when it is not loaded, or the filter hides it)."""
        if self._row_of_ref is None:
            self._row_of_ref = {self._records[i].ref: row for row, i in enumerate(self._order)}
        return self._row_of_ref.get(ref)

    def has_ref(self, ref: str) -> bool:
        """Whether ``ref`` is loaded (shown or not)."""
        return ref in self._index_of_ref

    def view_order(self) -> list[int]:
        """View row -> record index (the shown records): the model's own list (do not change it)."""
        return self._order

    def haystacks(self) -> list[str]:
        """Each record's lower-case text searched as you type (made now if not yet)."""
        if self._haystack is None:
            self._haystack = haystacks_for(self._records)
        return self._haystack

    def _sorted_order(self, column: int, order: Qt.SortOrder, current: list[int]) -> list[int]:
        keys = [(_sort_value(r, column), r.ref) for r in self._records]
        return sorted(current, key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)


def _sort_value(rec: RecommendationSummary, col: int):
    if col == COL_REF:
        return (rec.made.toordinal(), rec.ref)
    if col == COL_THEME:
        return rec.theme.lower()
    if col == COL_ASK:
        return rec.text.lower()
    if col == COL_ADDRESSEE:
        return rec.addressee.lower()
    if col == COL_MADE:
        return rec.made.toordinal()
    if col == COL_DUE:
        return rec.due.toordinal()
    if col == COL_STATUS:
        return _STATUS_ORDER[rec.status]
    if col == COL_ASSESSMENT:
        return _ASSESSMENT_ORDER[rec.latest_assessment] if rec.latest_assessment else -1
    return 0


def _same_rows(before: bytearray | None, after: bytearray | None) -> bool:
    """Whether two filters' outcomes (one flag per record; None: every record) accept the same."""
    if before is None or after is None:
        return (before or after or b"").count(0) == 0
    return before == after

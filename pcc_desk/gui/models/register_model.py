"""The register table: a list model over ``RecommendationSummary`` rows and a filter proxy.

The source model keeps the records in a stable list and a view order (``_order``); sorting rearranges
the order with a Python sort on each column's native value (``SORT_ROLE``), so clicking a header on
20,000 rows costs one ``sorted`` call, not 300,000 ``data()`` calls. The proxy only filters: its
criteria become one boolean per record, computed in a list comprehension over precomputed lower-case
text, and ``filterAcceptsRow`` reads that list.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from pcc_desk.dates import house_date
from pcc_desk.gui.models.register_criteria import RegisterCriteria, haystack_of, haystacks_for
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
_STATUS_ORDER = {s: i for i, s in enumerate(Status)}
ROW_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled  # a joint ask's first cell
# every other cell: an ask with one addressee, a joint ask's other columns, an addressee's sub-row.
# The tree then never asks whether such a row has sub-rows (a Python call an ask, saved).
LEAF_FLAGS = ROW_FLAGS | Qt.ItemFlag.ItemNeverHasChildren
NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ASSESSMENT_ORDER = {a: i for i, a in enumerate(Assessment)}


def short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


class RegisterTableModel(QAbstractItemModel):
    """One row per ask; under a joint ask's row, one sub-row per addressee (its ``addressee_lines``).

    A sub-row's index carries its ask's record index + 1 as its internal id (an ask's row carries
    0), so sorting and filtering, which move asks, carry the sub-rows with them."""

    records_changed = Signal()  # records replaced or edited (emitted before views hear of it)

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
        self._order: list[int] = []  # view row -> record index
        self._haystack: list[str] = []  # per record, lower-case text searched as you type
        self._row_of_ref: dict[str, int] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.version = 0  # bumped whenever records change (the proxy's caches key on it)
        self.changes = (
            0  # bumped whenever records or the view order change (a load, a sort, an edit)
        )
        self.today = today or dt.date.today()
        self._brushes = {s: QBrush(QColor(c)) for s, c in STATUS_COLOURS.items()}
        self._overdue_brush = QBrush(QColor(OVERDUE_COLOUR))

    # --- Qt interface ----------------------------------------------------------------------------

    def index(
        self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()
    ) -> QModelIndex:
        if not 0 <= column < len(self.HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._order) else QModelIndex()
        if parent.internalId() != 0 or parent.row() >= len(self._order):
            return QModelIndex()
        record = self._order[parent.row()]
        if row >= len(self._records[record].addressee_lines):
            return QModelIndex()
        return self.createIndex(row, column, record + 1)

    def parent(self, index=QModelIndex()):
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._row_of_ref.get(self._records[index.internalId() - 1].ref)
        return QModelIndex() if row is None else self.createIndex(row, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._order)
        if parent.internalId() != 0 or parent.column() != 0 or parent.row() >= len(self._order):
            return 0
        return len(self._records[self._order[parent.row()]].addressee_lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return len(self.HEADERS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return NO_FLAGS
        row = index.row()
        if index.internalId() == 0 and index.column() == 0 and row < len(self._order):
            return ROW_FLAGS if self._records[self._order[row]].addressee_lines else LEAF_FLAGS
        return LEAF_FLAGS

    def line(self, index: QModelIndex | QPersistentModelIndex) -> AddresseeLine | None:
        """The addressee a sub-row shows (None for an ask's own row)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._records[index.internalId() - 1].addressee_lines[index.row()]

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
        if not index.isValid():
            return None
        if index.internalId() != 0:
            return self._line_data(index, role)
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

    def _line_data(self, index: QModelIndex | QPersistentModelIndex, role: int):
        rec = self._records[index.internalId() - 1]
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
        self.layoutAboutToBeChanged.emit()
        old_order = list(self._order)
        self._order[:] = self._sorted_order(
            column, order, old_order
        )  # in place: the proxy reads this list
        self.changes += 1
        new_row_of_record = {rec_index: row for row, rec_index in enumerate(self._order)}
        old_indexes = self.persistentIndexList()
        new_indexes = [
            i  # an addressee's sub-row: its ask (its parent) moved, not it
            if i.internalId() != 0
            else self.index(new_row_of_record[old_order[i.row()]], i.column())
            if i.row() < len(old_order)
            else QModelIndex()
            for i in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self._reindex()
        self.layoutChanged.emit()

    # --- rows ------------------------------------------------------------------------------------

    def set_rows(
        self, rows: Sequence[RecommendationSummary], haystacks: Sequence[str] | None = None
    ) -> None:
        """Replace every row (after a load): inside a model reset, keeping the clerk's sort.

        ``haystacks`` (from :func:`haystacks_for`, computed by the worker that loaded the rows) saves
        the UI thread that work."""
        self.beginResetModel()
        self._records = list(rows)
        self._haystack = list(haystacks) if haystacks is not None else haystacks_for(self._records)
        order = list(range(len(self._records)))
        if self._sort is not None:
            order = self._sorted_order(*self._sort, order)
        self._order[:] = order
        self.changes += 1
        self._reindex()
        self.version += 1
        self.changes += 1
        self.records_changed.emit()
        self.endResetModel()

    def update_rows(self, rows: Sequence[RecommendationSummary]) -> list[str]:
        """Replace records in place by reference (after an edit); return references not present."""
        missing = []
        changed_rows = []
        for rec in rows:
            row = self._row_of_ref.get(rec.ref)
            if row is None:
                missing.append(rec.ref)
                continue
            index = self._order[row]
            self._replace_lines(row, index, rec)
            self._records[index] = rec
            self._haystack[index] = haystack_of(rec)
            changed_rows.append(row)
        if changed_rows:
            self.version += 1
            self.changes += 1
            self.records_changed.emit()
        last = self.columnCount() - 1
        for row in changed_rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            lines = len(self._records[self._order[row]].addressee_lines)
            if lines:
                ask = self.index(row, 0)
                self.dataChanged.emit(self.index(0, 0, ask), self.index(lines - 1, last, ask))
        return missing

    def _replace_lines(self, row: int, index: int, rec: RecommendationSummary) -> None:
        """An edit added or removed an addressee: its sub-rows go and come back, as Qt expects."""
        old = self._records[index]
        if len(old.addressee_lines) == len(rec.addressee_lines):
            return
        ask = self.index(row, 0)
        if old.addressee_lines:
            self.beginRemoveRows(ask, 0, len(old.addressee_lines) - 1)
            self._records[index] = dataclasses.replace(old, addressee_lines=())
            self.version += 1
            self.changes += 1
            self.endRemoveRows()
        if rec.addressee_lines:
            self.beginInsertRows(ask, 0, len(rec.addressee_lines) - 1)
            self._records[index] = rec
            self.version += 1
            self.changes += 1
            self.endInsertRows()

    def record(self, row: int) -> RecommendationSummary:
        return self._records[self._order[row]]

    def records(self) -> list[RecommendationSummary]:
        """The records in stable (load) order; the model's own list: do not change it."""
        return self._records

    def row_of(self, ref: str) -> int | None:
        return self._row_of_ref.get(ref)

    def view_order(self) -> list[int]:
        """View row -> record index: the model's own list, changed in place (do not change it)."""
        return self._order

    def haystacks(self) -> list[str]:
        return self._haystack

    def _reindex(self) -> None:
        self._row_of_ref = {self._records[i].ref: row for row, i in enumerate(self._order)}

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


class RegisterFilterProxy(QSortFilterProxyModel):
    """Filters by :class:`RegisterCriteria`; sorting is passed to the source model (see module doc).

    Typing narrows: when the new search text extends the previous one, only the rows that matched
    before are searched again.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.criteria = RegisterCriteria()
        self._accepted: bytearray | None = None  # per source record; None: everything
        self._base: tuple | None = None  # (version, criteria without text, indices or None)
        self._last: tuple | None = None  # (version, criteria without text, text, indices)
        self._order: list[int] = []  # the source model's view order (its own list)
        self._joint_shown: frozenset[int] = frozenset()  # see _joint_rows
        self._joint_at = -1  # the source's ``changes`` when _joint_shown was worked out
        self._source_model: RegisterTableModel | None = None  # (set by setSourceModel)

    def set_criteria(self, criteria: RegisterCriteria) -> None:
        """Filter by ``criteria``. A keystroke that leaves the same asks shown (most do: "the" after
        "th") changes nothing on screen, so the rows are not tested again nor laid out again."""
        self.criteria = criteria
        if self._recompute():
            self._invalidate_rows()

    def refilter(self) -> None:
        """After the source's rows were replaced or edited."""
        self._recompute()
        self._invalidate_rows()

    def _invalidate_rows(self) -> None:
        self.invalidate()

    def _recompute(self) -> bool:
        """Work out the accepted records; True when they are not the ones accepted before."""
        before = self._accepted
        self._accepted, self._last = self._accepted_now()
        changed = not _same_rows(before, self._accepted)
        if changed:
            self._joint_at = -1
        return changed

    def _accepted_now(self) -> tuple[bytearray | None, tuple | None]:
        source = self._source()
        c = self.criteria
        if source is None or c == RegisterCriteria():
            return None, None
        records, hays, version = source.records(), source.haystacks(), source.version
        without_text = dataclasses.replace(c, text="")
        if self._base is None or self._base[:2] != (version, without_text):
            indices = None
            if without_text != RegisterCriteria():
                indices = [i for i, rec in enumerate(records) if without_text.accepts(rec, "", ())]
            self._base = (version, without_text, indices)
        text = c.text.lower()
        candidates = self._base[2] if self._base[2] is not None else range(len(records))
        last = self._last
        if last is not None and last[:2] == (version, without_text) and text.startswith(last[2]):
            candidates = last[3]
        for word in text.split():
            candidates = [i for i in candidates if word in hays[i]]
        accepted = bytearray(len(records))
        for i in candidates:
            accepted[i] = 1
        return accepted, (version, without_text, text, candidates)

    def _model(self) -> RegisterTableModel:
        source = self._source()
        if source is None:
            raise RuntimeError("the register's filter has no table model")
        return source

    def _source(self) -> RegisterTableModel | None:
        source = self.sourceModel()
        return source if isinstance(source, RegisterTableModel) else None

    # only a RegisterTableModel is ever its source (records, haystacks, rows by ref)
    def setSourceModel(self, model: RegisterTableModel) -> None:  # type: ignore[override]
        super().setSourceModel(model)
        self._source_model = model
        self._order = model.view_order()
        model.records_changed.connect(self._recompute)
        self._recompute()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        # Called once per row on every keystroke: two list look-ups, no method calls.
        if source_parent.isValid():
            return True  # an addressee's sub-row: shown whenever its ask is
        accepted = self._accepted
        return accepted is None or accepted[self._order[source_row]] == 1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    # The tree lays out every ask it shows, asking each for its flags (twice) and, unless the flags
    # say ItemNeverHasChildren, whether it has children. QSortFilterProxyModel maps each question
    # to the source first (a Python ``index()`` call, then ``rowCount()``): four Python calls an
    # ask, a third of a second on 20,000 asks. The answers come from here instead, without mapping:
    # the flags are the source's (ItemNeverHasChildren on every cell but a joint ask's first), so
    # the tree asks ``hasChildren`` of the joint asks only; the shown joint asks are kept in
    # ``_joint_rows``.

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        # Called twice for every ask the tree lays out: kept to a few attribute reads.
        row = index.row()
        if row < 0:
            return NO_FLAGS  # not an index
        source = self._source_model
        if source is not None and self._joint_at != source.changes:
            self._joint_rows()
        if row in self._joint_shown and index.column() == 0 and not index.parent().isValid():
            return ROW_FLAGS  # a joint ask's first cell (not a sub-row's cell in that row)
        return LEAF_FLAGS

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        if not parent.isValid():
            return self.rowCount() > 0
        if parent.row() not in self._joint_rows():
            return False  # most asks: one addressee, no sub-rows
        # a joint ask's first cell, not a cell of a sub-row in that row
        return parent.column() == 0 and not parent.parent().isValid()

    def _joint_rows(self) -> frozenset[int]:
        """The shown rows whose ask has sub-rows. This proxy does not sort: it shows the accepted
        rows of the source in the source's order, so its row ``n`` is the ``n``-th accepted source
        row. Worked out again after any change of the source's records or order, or of the filter."""
        source = self._source_model
        if source is None:
            return frozenset()
        if self._joint_at != source.changes:
            records, accepted = source.records(), self._accepted
            shown = self._order if accepted is None else [i for i in self._order if accepted[i]]
            self._joint_shown = frozenset(
                row for row, i in enumerate(shown) if records[i].addressee_lines
            )
            self._joint_at = source.changes
        return self._joint_shown

    def record(self, proxy_row: int) -> RecommendationSummary:
        return self._model().record(self.mapToSource(self.index(proxy_row, 0)).row())

    def joint_asks(self) -> list[QModelIndex]:
        """The rows shown of the asks with several addressees (those with sub-rows)."""
        source = self._model()
        records, accepted = source.records(), self._accepted
        return [
            self.mapFromSource(source.index(row, 0))
            for row, i in enumerate(self._order)
            if records[i].addressee_lines and (accepted is None or accepted[i])
        ]

    def proxy_row_of(self, ref: str) -> int | None:
        row = self._model().row_of(ref)
        if row is None:
            return None
        index = self.mapFromSource(self.sourceModel().index(row, 0))
        return index.row() if index.isValid() else None

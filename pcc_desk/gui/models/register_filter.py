"""The register's filter: the clerk's criteria turned into the asks shown, and the proxy the tree
reads the register through.

The criteria become one flag per record, computed in list comprehensions over precomputed
lower-case text (typing narrows: when the new search text extends the previous one, only the asks
that matched before are searched again); the table model shows the flagged records
(``RegisterTableModel.show_only``). The proxy itself filters nothing and sorts nothing (sorting is
passed to the model): it is there because Qt's proxy answers the tree's ``index()`` calls in C++,
and it answers the two questions the tree asks of every ask it lays out (below) without Python
calls to the model.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from pcc_desk.gui.models.register_criteria import RegisterCriteria
from pcc_desk.gui.models.register_model import (
    LEAF_FLAGS,
    NO_FLAGS,
    ROW_FLAGS,
    RegisterTableModel,
)
from pcc_desk.services.dto import RecommendationSummary


class RegisterFilterProxy(QSortFilterProxyModel):
    """Filters by :class:`RegisterCriteria` (through the model); passes sorting to the model."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.criteria = RegisterCriteria()
        self._accepted: bytearray | None = None  # per source record; None: everything
        self._base: tuple | None = None  # (version, criteria without text, indices or None)
        self._last: tuple | None = None  # (version, criteria without text, text, indices)
        self._joint_shown: frozenset[int] = frozenset()  # see _joint_rows
        self._joint_at = -1  # the source's ``changes`` when _joint_shown was worked out
        self._source_model: RegisterTableModel | None = None  # (set by setSourceModel)

    def set_criteria(self, criteria: RegisterCriteria) -> None:
        """Filter by ``criteria``. A keystroke that leaves the same asks shown (most do: "the" after
        "th") changes nothing on screen: the tree is not laid out again."""
        self.criteria = criteria
        self._recompute()

    def refilter(self) -> None:
        """After the source's rows were replaced or edited."""
        self._recompute()

    def _recompute(self) -> None:
        self._accepted, self._last = self._accepted_now()
        source = self._source()
        if source is not None:
            source.show_only(self._accepted)

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
        model.records_changed.connect(self._recompute)
        self._recompute()

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
        """The shown rows whose ask has sub-rows. This proxy neither filters nor sorts: its row
        ``n`` is the model's. Worked out again after any change of the model's rows."""
        source = self._source_model
        if source is None:
            return frozenset()
        if self._joint_at != source.changes:
            records = source.records()
            self._joint_shown = frozenset(
                row for row, i in enumerate(source.view_order()) if records[i].addressee_lines
            )
            self._joint_at = source.changes
        return self._joint_shown

    def record(self, proxy_row: int) -> RecommendationSummary:
        return self._model().record(self.mapToSource(self.index(proxy_row, 0)).row())

    def joint_asks(self) -> list[QModelIndex]:
        """The rows shown of the asks with several addressees (those with sub-rows)."""
        return [self.index(row, 0) for row in sorted(self._joint_rows())]

    def proxy_row_of(self, ref: str) -> int | None:
        row = self._model().row_of(ref)
        if row is None:
            return None
        index = self.mapFromSource(self.sourceModel().index(row, 0))
        return index.row() if index.isValid() else None

"""The register's filter: the clerk's criteria turned into the asks shown, and the proxy the tree
reads the register through.

The criteria become one flag per record, computed in list comprehensions over precomputed
lower-case text (typing narrows: when the new search text extends the previous one, only the asks
that matched before are searched again); the table model shows the flagged records
(``RegisterTableModel.show_only``). The proxy itself filters nothing and sorts nothing (sorting is
passed to the model); the screen and its tests keep talking to the register through it.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt

from pcc_desk.gui.models.register_criteria import RegisterCriteria
from pcc_desk.gui.models.register_model import RegisterTableModel
from pcc_desk.services.dto import RecommendationSummary


class RegisterFilterProxy(QSortFilterProxyModel):
    """Filters by :class:`RegisterCriteria` (through the model); passes sorting to the model."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.criteria = RegisterCriteria()
        self._accepted: bytearray | None = None  # per source record; None: everything
        self._base: tuple | None = None  # (version, criteria without text, indices or None)
        self._last: tuple | None = None  # (version, criteria without text, text, indices)

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
        model.records_changed.connect(self._recompute)
        self._recompute()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def record(self, proxy_row: int) -> RecommendationSummary:
        return self._model().record(self.mapToSource(self.index(proxy_row, 0)).row())

    def joint_asks(self) -> list[QModelIndex]:
        """The rows shown of the asks with several addressees (those with sub-rows)."""
        source = self._model()
        records = source.records()
        return [
            self.mapFromSource(source.index(row, 0))
            for row, i in enumerate(source.view_order())
            if records[i].addressee_lines
        ]

    def proxy_row_of(self, ref: str) -> int | None:
        row = self._model().row_of(ref)
        if row is None:
            return None
        index = self.mapFromSource(self.sourceModel().index(row, 0))
        return index.row() if index.isValid() else None

"""The Statistics screen's table: one row per group (and the total), the columns of the table that
the CSV and Excel exports write (:func:`pcc_desk.services.statistics.table_headers`)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from pcc_desk.services import statistics

Index = QModelIndex | QPersistentModelIndex


class StatisticsTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.stats: statistics.Statistics | None = None
        self.headers: list[str] = []
        self.rows: list[list] = []

    def set_statistics(self, stats: statistics.Statistics) -> None:
        self.beginResetModel()
        self.stats = stats
        self.headers = statistics.table_headers(stats)
        self.rows = statistics.table_rows(stats)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def is_total(self, row: int) -> bool:
        return self.stats is not None and self.stats.by != "all" and row == len(self.rows) - 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if value is None:
                return "–"
            if isinstance(value, float):
                return f"{value:.1f}" if "(%)" in self.headers[index.column()] else f"{value:g}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_total(index.row()):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return str(value)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

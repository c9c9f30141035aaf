"""The register's table as a tree: one row per ask, and under a joint ask's row one sub-row per
addressee (collapsed until the clerk opens it, or all at once with "Expand all addressees")."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QTreeView,
    QWidget,
)


class _RowHeight(QStyledItemDelegate):
    """Rows as tall as the register's table had them: the text's height and 8 pixels."""

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), option.fontMetrics.height() + 8))
        return size


class RegisterTree(QTreeView):
    """A :class:`QTreeView` with the few table calls the register screen makes of its view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)  # fast on 20,000 asks
        self.setItemDelegate(_RowHeight(self))
        self.setItemsExpandable(True)
        self.setExpandsOnDoubleClick(False)  # double-click stays the clerk's, not the tree's
        self.setAllColumnsShowFocus(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.header().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)  # as the table had them
        self.expand_all = False  # "Expand all addressees": kept across reloads and filtering

    def horizontalHeader(self) -> QHeaderView:
        return self.header()

    def selectRow(self, row: int) -> None:
        index = self.model().index(row, 0)
        if index.isValid():
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def set_expand_all(self, on: bool) -> None:
        self.expand_all = on
        if on:
            self.follow_expand_all()
        else:
            self.collapseAll()

    def follow_expand_all(self) -> None:
        """After a reload or a filter: every joint ask shown is open when the clerk asked for it
        (asks the clerk opened one by one stay open while shown). Only the joint asks not yet open
        are opened: ``expandAll`` would lay out every row again, a third of a second per keystroke
        on 20,000 asks."""
        if not self.expand_all:
            return
        joint_asks = getattr(self.model(), "joint_asks", None)
        if joint_asks is None:
            self.expandAll()
            return
        for index in joint_asks():
            if not self.isExpanded(index):
                self.expand(index)

    def ask_index(self, index: QModelIndex) -> QModelIndex:
        """The ask's row of ``index`` (itself, or the ask an addressee's sub-row is under)."""
        parent = index.parent()
        return parent if parent.isValid() else index

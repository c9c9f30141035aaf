"""The Register screen's table and its filters, without the detail: what the clerk reads and filters.

It imports no SQLAlchemy (nor anything that does), so that start-up can show the rows read ahead
from the file (``pcc_desk.gui.app.Preload``, begun at launch) the moment they are read, read-only,
before the services are even imported; the Register screen (:mod:`pcc_desk.gui.screens.register`) then takes
this very widget over (the clerk's filters, scroll position and typing kept) and adds the detail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.gui.models.register_criteria import RegisterCriteria, haystacks_for
from pcc_desk.gui.models.register_filter import RegisterFilterProxy
from pcc_desk.gui.models.register_model import (
    COL_ADDRESSEE,
    COL_ASK,
    COL_ASSESSMENT,
    COL_DUE,
    COL_MADE,
    COL_REF,
    COL_STATUS,
    COL_THEME,
    RegisterTableModel,
)
from pcc_desk.gui.screens.register_tree import RegisterTree
from pcc_desk.services.register_file import RegisterTable
from pcc_desk.vocabulary import Status

NO_DATE = QDate(1990, 1, 1)  # shown as "Any"
OPEN = "open"
OVERDUE = "overdue"
REPEATED = "repeated"  # asked more than once: in a chain of confirmed repeats

# the rows, their lower-case search text (None: made when first searched), the themes and the
# addressees to filter by
Shown = tuple[list, list[str] | None, list[str], list[str]]


def shown_table(table: RegisterTable, *, search_text: bool = True) -> Shown:
    """What the screen keeps of a register's table (the services' or the file's read ahead); without
    ``search_text`` when it goes on screen at once (the table makes it when first searched)."""
    haystacks = haystacks_for(table.rows) if search_text else None
    return table.rows, haystacks, table.themes, table.addressees


class RegisterBrowser(QWidget):
    """The filter bar, the table of recommendations and their count.

    ``on_filter`` is called when the clerk changes a filter (the Register screen puts its own
    :meth:`RegisterScreen.apply_filters` there); ``linked_refs`` gives the asks asked more than once
    (from the open register; until it is open that choice shows every row)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RegisterTableModel(self)
        self.proxy = RegisterFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.on_filter: Callable[[], None] = self.apply_criteria
        self.linked_refs: Callable[[], frozenset[str]] | None = None  # see set_linked_refs
        self.shown: Shown | None = None  # what the table shows
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        bar = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(
            self.tr("Search reference, ask, theme, addressee  (Ctrl+F)")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(self.tr("Search the register"))
        self.status_combo = QComboBox(self)
        self.status_combo.setAccessibleName(self.tr("Filter by status"))
        self.status_combo.addItem(self.tr("All statuses"), None)
        self.status_combo.addItem(self.tr("Open (not closed)"), OPEN)
        self.status_combo.addItem(self.tr("Overdue"), OVERDUE)
        self.status_combo.addItem(self.tr("Asked more than once"), REPEATED)
        for status in Status:
            self.status_combo.addItem(status.label, status)
        self.theme_combo = QComboBox(self)
        self.theme_combo.setAccessibleName(self.tr("Filter by theme"))
        self.theme_combo.setMinimumContentsLength(16)
        self.theme_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.addressee_combo = QComboBox(self)
        self.addressee_combo.setAccessibleName(self.tr("Filter by addressee"))
        self.addressee_combo.setMinimumContentsLength(12)
        self.addressee_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._repeated_item().setEnabled(False)  # until the register is open
        self.fill_choices([], [])
        self.from_edit = self._date_edit(self.tr("Made on or after"))
        self.to_edit = self._date_edit(self.tr("Made on or before"))
        self.clear_button = QPushButton(self.tr("C&lear filters"), self)
        self.clear_button.setAccessibleName(self.tr("Clear filters"))
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Recommendations shown"))
        bar.addWidget(self.search_edit, 3)
        bar.addWidget(self.status_combo, 1)
        bar.addWidget(self.theme_combo, 1)
        bar.addWidget(self.addressee_combo, 1)
        made = QLabel(self.tr("&Made:"), self)
        made.setBuddy(self.from_edit)
        bar.addWidget(made)
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel("–", self))
        bar.addWidget(self.to_edit)
        bar.addWidget(self.clear_button)
        layout.addLayout(bar)

        self.table = RegisterTree(self)
        self.table.setAccessibleName(self.tr("Register of recommendations"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_REF, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        widths = {
            COL_REF: 158,  # with room for the tree's expander
            COL_THEME: 130,
            COL_ASK: 260,
            COL_ADDRESSEE: 110,
            COL_MADE: 88,
            COL_DUE: 152,
            COL_STATUS: 152,
            COL_ASSESSMENT: 130,
        }
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(COL_ASK, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.expand_button = QPushButton(self.tr("E&xpand all addressees"), self)
        self.expand_button.setCheckable(True)
        self.expand_button.setToolTip(
            self.tr("Show each addressee of a joint ask on its own line under the ask")
        )
        self.expand_button.toggled.connect(self._expand_all)
        below = QHBoxLayout()
        below.addWidget(self.count_label, 1)
        below.addWidget(self.expand_button)
        layout.addLayout(below)

        self.search_edit.textChanged.connect(self._filter_changed)
        for combo in (self.status_combo, self.theme_combo, self.addressee_combo):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.from_edit.dateChanged.connect(self._filter_changed)
        self.to_edit.dateChanged.connect(self._filter_changed)
        self.search_edit.returnPressed.connect(self.table.setFocus)
        self.setTabOrder(self.search_edit, self.status_combo)
        self.setTabOrder(self.status_combo, self.theme_combo)
        self.setTabOrder(self.theme_combo, self.addressee_combo)
        self.setTabOrder(self.addressee_combo, self.from_edit)
        self.setTabOrder(self.from_edit, self.to_edit)
        self.setTabOrder(self.to_edit, self.clear_button)
        self.setTabOrder(self.clear_button, self.table)

    def set_linked_refs(self, linked_refs: Callable[[], frozenset[str]]) -> None:
        """Where "Asked more than once" finds its asks (the open register): offered from now on."""
        self.linked_refs = linked_refs
        self._repeated_item().setEnabled(True)

    def _repeated_item(self):
        return self.status_combo.model().item(self.status_combo.findData(REPEATED))  # type: ignore[attr-defined]

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("Any"))
        edit.setDate(NO_DATE)
        edit.setAccessibleName(name)
        return edit

    def _filter_changed(self, *_args) -> None:
        self.on_filter()

    # --- rows and choices ------------------------------------------------------------------------

    def show_rows(self, shown: Shown) -> None:
        """Put the rows (and the themes and addressees to filter by) in the table."""
        rows, haystacks, themes, addressees = self.shown = shown
        self.model.set_rows(rows, haystacks)
        self.fill_choices(themes, addressees)
        self.table.follow_expand_all()
        joint = any(row.addressee_lines for row in rows)  # nothing to expand without a joint ask
        self.expand_button.setEnabled(joint or self.expand_button.isChecked())

    def fill_choices(self, themes: list[str], addressees: list[str]) -> None:
        for combo, everything, values in (
            (self.theme_combo, self.tr("All themes"), themes),
            (self.addressee_combo, self.tr("All addressees"), addressees),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(current) if current else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    # --- filtering -------------------------------------------------------------------------------

    def criteria(self) -> RegisterCriteria:
        choice = self.status_combo.currentData()
        statuses: frozenset[Status] = frozenset()
        overdue_on = only = None
        if choice == REPEATED and self.linked_refs is not None:
            only = self.linked_refs()
        elif choice == OPEN:
            statuses = frozenset(s for s in Status if s.is_open)
        elif choice == OVERDUE:
            overdue_on = dt.date.today()
        elif choice:  # a status slug (Qt hands enum data back as plain strings)
            statuses = frozenset({Status(choice)})
        made_from = None if self.from_edit.date() == NO_DATE else self.from_edit.date().toPython()
        made_to = None if self.to_edit.date() == NO_DATE else self.to_edit.date().toPython()
        return RegisterCriteria(
            text=self.search_edit.text(),
            statuses=statuses,
            theme=self.theme_combo.currentData() or "",
            addressee=self.addressee_combo.currentData() or "",
            made_from=made_from,  # type: ignore[arg-type]  # (QDate.toPython gives a date)
            made_to=made_to,  # type: ignore[arg-type]
            overdue_on=overdue_on,
            only_refs=only,
        )

    def apply_criteria(self) -> None:
        """Filter the table (before the register is open: no detail to follow the selection)."""
        self.proxy.set_criteria(self.criteria())
        self.table.follow_expand_all()
        self.update_count()

    def reset_filters(self) -> None:
        """Every filter back to "any", quietly (the caller filters once, after)."""
        widgets = (
            self.search_edit,
            self.status_combo,
            self.theme_combo,
            self.addressee_combo,
            self.from_edit,
            self.to_edit,
        )
        for widget in widgets:
            widget.blockSignals(True)
        self.search_edit.clear()
        for combo in (self.status_combo, self.theme_combo, self.addressee_combo):
            combo.setCurrentIndex(0)
        self.from_edit.setDate(NO_DATE)
        self.to_edit.setDate(NO_DATE)
        for widget in widgets:
            widget.blockSignals(False)

    def _expand_all(self, on: bool) -> None:
        self.expand_button.setText(
            self.tr("Colla&pse addressees") if on else self.tr("E&xpand all addressees")
        )
        self.table.set_expand_all(on)

    def update_count(self) -> None:
        total, shown = len(self.model.records()), self.proxy.rowCount()
        if total == shown:
            self.count_label.setText(self.tr("%s recommendations") % f"{total:,}")
        else:
            self.count_label.setText(
                self.tr("%s of %s recommendations shown") % (f"{shown:,}", f"{total:,}")
            )

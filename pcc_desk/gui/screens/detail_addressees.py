"""The detail screen's "Addressees" tab: each addressee of the ask (the Met, MOPAC...) with its own
status, clock (due date, as first set when revised), target date, position, next progress update and,
beneath it, its own responses. **Add addressee…** names one more; **Remove** takes one off (refused
in one line while it has a response). Both go on the undo stack."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui.models.register_model import short_date
from pcc_desk.gui.undo import ServiceCommand, execute
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import register
from pcc_desk.services.dto import AddresseeRecord, RecommendationDetail

NAME_ROLE = 0x0100  # Qt.ItemDataRole.UserRole: the addressee's name on its row


class AddAddresseeCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, name: str) -> None:
        super().__init__(bench, ref, f"Add {name} as an addressee of {ref}")
        self.name = name

    def do(self) -> None:
        register.add_addressee(self.bench.desk, self.ref, self.name)


class RemoveAddresseeCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, name: str) -> None:
        super().__init__(bench, ref, f"Take {name} off the addressees of {ref}")
        self.name = name

    def do(self) -> None:
        register.remove_addressee(self.bench.desk, self.ref, self.name)


def clock_words(a: AddresseeRecord) -> str:
    due = short_date(a.due)
    if a.original_due != a.due:
        due += f" (first {short_date(a.original_due)})"
    return due


class AddresseesPanel(QWidget):
    changed = Signal(str)  # the reference, after an addressee was added or taken off

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.detail: RecommendationDetail | None = None
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(
            [
                self.tr("Addressee / response"),
                self.tr("Status"),
                self.tr("Due"),
                self.tr("Target"),
                self.tr("Position"),
                self.tr("Next update"),
            ]
        )
        self.tree.setAccessibleName(self.tr("Addressees, each with its clock and responses"))
        self.add_button = QPushButton(self.tr("&Add addressee…"), self)
        self.add_button.clicked.connect(self.choose_add)
        self.remove_button = QPushButton(self.tr("Re&move"), self)
        self.remove_button.clicked.connect(self.remove_current)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.tree.currentItemChanged.connect(lambda *_: self._update())

    def show_detail(self, d: RecommendationDetail) -> None:
        self.detail = d
        several = len(d.addressees) > 1
        self.summary.setText(
            self.tr("Status of the ask: <b>%s</b> (the least advanced of its addressees').")
            % d.status.label
            if several
            else self.tr("One addressee: the ask's status and clock are its own.")
        )
        self.tree.clear()
        for a in d.addressees:
            row = QTreeWidgetItem(
                [
                    a.name or self.tr("(not named)"),
                    a.status.label,
                    clock_words(a),
                    house_date(a.target) if a.target else "",
                    a.position.label if a.position else "",
                    house_date(a.next_update_due) if a.next_update_due else "",
                ]
            )
            row.setData(0, NAME_ROLE, a.name)
            for resp in a.responses:
                row.addChild(
                    QTreeWidgetItem(
                        [
                            self.tr("%s: %s") % (short_date(resp.received), resp.kind.label),
                            "",
                            "",
                            "",
                            resp.position.label,
                            "",
                        ]
                    )
                )
            self.tree.addTopLevelItem(row)
            row.setExpanded(True)
        self._update()

    def title(self) -> str:
        n = len(self.detail.addressees) if self.detail else 0
        return self.tr("Addressees (%d)") % n

    def current_name(self) -> str | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item.data(0, NAME_ROLE) if item is not None else None

    def _update(self) -> None:
        several = self.detail is not None and len(self.detail.addressees) > 1
        self.remove_button.setEnabled(several and bool(self.current_name()))

    def add(self, name: str) -> None:
        if self.detail is not None and name.strip():
            self._run(AddAddresseeCommand(self.bench, self.detail.ref, name.strip()))

    def remove(self, name: str) -> None:
        if self.detail is not None:
            self._run(RemoveAddresseeCommand(self.bench, self.detail.ref, name))

    def choose_add(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Add an addressee"), self.tr("Who else is the ask addressed to?")
        )
        if ok:
            self.add(name)

    def remove_current(self) -> None:
        name = self.current_name()
        if name:
            self.remove(name)

    def _run(self, command: ServiceCommand) -> None:
        try:
            execute(self.bench, command)
        except PccError as error:
            self.bench.report_error(error)
        self.changed.emit(command.ref)

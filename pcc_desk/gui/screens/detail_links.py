"""The detail screen's "Asked before" tab: the links stored for the ask (it repeats, follows up,
supersedes or is related to an earlier ask; later asks repeat it), **Remove link**, and **Find
earlier asks like this** (the whole register is read in the background) with **Confirm as repeat
of …** on the one chosen. Linking and unlinking go through the services and the undo stack."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.errors import PccError
from pcc_desk.gui.errors import show_error
from pcc_desk.gui.undo import ServiceCommand, execute
from pcc_desk.gui.workbench import Workbench
from pcc_desk.services import repeats
from pcc_desk.services.dto import RecommendationDetail
from pcc_desk.vocabulary import LinkKind

ROLE = Qt.ItemDataRole.UserRole
CONFIRM_WORDS = {
    LinkKind.REPEATS: "Confirm as repeat of %s",
    LinkKind.FOLLOWS_UP: "Confirm as follow-up of %s",
    LinkKind.SUPERSEDES: "Confirm as superseding %s",
    LinkKind.RELATED: "Confirm as related to %s",
}


class LinkAsksCommand(ServiceCommand):
    def __init__(
        self, bench: Workbench, ref: str, earlier: str, kind: LinkKind, score: float | None
    ) -> None:
        super().__init__(bench, ref, f"Link {ref} to {earlier}")
        self.earlier, self.kind, self.score = earlier, kind, score

    def do(self) -> None:
        repeats.confirm(self.bench.desk, self.ref, self.earlier, self.kind, self.score)


class UnlinkAsksCommand(ServiceCommand):
    def __init__(self, bench: Workbench, ref: str, earlier: str) -> None:
        super().__init__(bench, ref, f"Unlink {ref} from {earlier}")
        self.earlier = earlier

    def do(self) -> None:
        repeats.unlink(self.bench.desk, self.ref, self.earlier)


class AskLinksPanel(QWidget):
    changed = Signal(str)  # the ref shown, after a link was made or taken out
    suggested = Signal()  # the earlier asks like this one are listed

    def __init__(self, bench: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bench = bench
        self.ref = ""
        self.links: tuple[repeats.Link, ...] = ()
        layout = QVBoxLayout(self)
        self.links_tree = self._tree([self.tr("Link"), self.tr("Ask"), self.tr("Made")])
        self.links_tree.setAccessibleName(self.tr("Links to other asks"))
        self.remove_button = QPushButton(self.tr("&Remove link"), self)
        self.find_button = QPushButton(self.tr("&Find earlier asks like this"), self)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addWidget(self.find_button)
        row.addStretch(1)
        self.found_label = QLabel(self)
        self.found_label.setWordWrap(True)
        self.found_tree = self._tree(
            [self.tr("Earlier ask"), self.tr("Made"), self.tr("Status"), self.tr("Likeness")]
        )
        self.found_tree.setAccessibleName(self.tr("Earlier asks like this one"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("How it relates to the earlier ask"))
        for kind in CONFIRM_WORDS:
            self.kind_combo.addItem(kind.label, kind.value)
        self.confirm_button = QPushButton(self)
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.kind_combo)
        confirm_row.addWidget(self.confirm_button, 1)
        layout.addWidget(self.links_tree, 1)
        layout.addLayout(row)
        layout.addWidget(self.found_label)
        layout.addWidget(self.found_tree, 1)
        layout.addLayout(confirm_row)
        self.links_tree.currentItemChanged.connect(lambda *_: self._update())
        self.found_tree.currentItemChanged.connect(lambda *_: self._update())
        self.kind_combo.currentIndexChanged.connect(lambda *_: self._update())
        self.remove_button.clicked.connect(self.remove_link)
        self.find_button.clicked.connect(self.find_earlier)
        self.confirm_button.clicked.connect(self.confirm_link)
        self._update()

    def _tree(self, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget(self)
        tree.setHeaderLabels(headers)
        tree.setRootIsDecorated(False)
        tree.setUniformRowHeights(True)
        return tree

    def title(self) -> str:
        return (
            self.tr("Asked before (%d)") % len(self.links)
            if self.links
            else self.tr("Asked before")
        )

    # --- showing ---------------------------------------------------------------------------------

    def show_detail(self, detail: RecommendationDetail | None) -> None:
        ref = detail.ref if detail is not None else ""
        if ref != self.ref:
            self.found_tree.clear()
            self.found_label.clear()
        self.ref = ref
        self.links = repeats.links_of(self.bench.desk, ref) if ref else ()
        self.links_tree.clear()
        for link in self.links:
            words = (
                f"{link.kind.label} {link.earlier}"
                if link.later == ref
                else self.tr("%s by %s") % (link.kind.label, link.later)
            )
            item = QTreeWidgetItem([words, link.other, house_date(link.other_made)])
            item.setData(0, ROLE, link)
            self.links_tree.addTopLevelItem(item)
        self._update()

    def _update(self) -> None:
        link = self._chosen_link()
        self.remove_button.setEnabled(link is not None)
        self.find_button.setEnabled(bool(self.ref))
        item = self.found_tree.currentItem()
        kind = LinkKind(self.kind_combo.currentData())
        if item is not None:
            self.confirm_button.setText(self.tr(CONFIRM_WORDS[kind]) % item.data(0, ROLE).ref)
        else:
            self.confirm_button.setText(self.tr(CONFIRM_WORDS[kind]) % "…")
        self.confirm_button.setEnabled(item is not None)

    def _chosen_link(self) -> repeats.Link | None:
        item = self.links_tree.currentItem()
        return item.data(0, ROLE) if item is not None else None

    # --- finding and linking -----------------------------------------------------------------------

    def find_earlier(self) -> None:
        if not self.ref:
            return
        desk, ref = self.bench.desk, self.ref
        self.found_label.setText(self.tr("Looking through the register…"))
        self.bench.run(
            lambda _token, _progress: (ref, repeats.suggested_for(desk, ref)),
            lambda found: self._found(*found),
            label=self.tr("Looking for earlier asks like %s…") % ref,
        )

    def _found(self, ref: str, found: list[repeats.EarlierAsk]) -> None:
        if ref != self.ref:
            return  # another ask is shown now
        self.found_tree.clear()
        for e in found:
            item = QTreeWidgetItem([e.ref, house_date(e.made), e.status.label, f"{e.score:.2f}"])
            item.setToolTip(0, e.text)
            item.setData(0, ROLE, e)
            self.found_tree.addTopLevelItem(item)
        top = self.found_tree.topLevelItem(0)
        if top is not None:
            self.found_tree.setCurrentItem(top)
        self.found_label.setText(
            self.tr("%d earlier ask(s) like this one, not linked yet:") % len(found)
            if found
            else self.tr("No earlier ask of the register is like this one.")
        )
        self._update()
        self.suggested.emit()

    def confirm_link(self) -> None:
        item = self.found_tree.currentItem()
        if item is None or not self.ref:
            return
        earlier = item.data(0, ROLE)
        kind = LinkKind(self.kind_combo.currentData())
        self._run(LinkAsksCommand(self.bench, self.ref, earlier.ref, kind, earlier.score))
        self.found_tree.takeTopLevelItem(self.found_tree.indexOfTopLevelItem(item))

    def remove_link(self) -> None:
        link = self._chosen_link()
        if link is not None:
            self._run(UnlinkAsksCommand(self.bench, link.later, link.earlier))

    def _run(self, command: ServiceCommand) -> None:
        try:
            execute(self.bench, command)
        except PccError as error:
            show_error(self, error)
            return
        self.changed.emit(self.ref)

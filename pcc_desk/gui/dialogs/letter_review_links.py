"""The letter review's "Asked before" box: for the selected ask, the earlier asks of the register it
likely repeats (or follows up), and the link it will be saved with. The clerk links it (repeats,
supersedes, related to, follows up) or leaves it unlinked; the dialog keeps the choice on the ask
(``link_to``, ``link_kind``) and the import saves it in its one transaction."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pcc_desk.dates import house_date
from pcc_desk.letter_values import ParsedAsk
from pcc_desk.services.repeats import EarlierAsk
from pcc_desk.vocabulary import LinkKind


def ask_key(ask: ParsedAsk) -> tuple[str, str]:
    """How the review finds an ask's earlier asks again after edits elsewhere (a follow-up letter's
    asks may share their words and differ by their paragraph)."""
    return ask.text, ask.context


def link_label(ref: str, ask: ParsedAsk, earlier: list[EarlierAsk], tr) -> str:
    """The ask's line in the review's tree: its reference, then the link it will be saved with
    ("follows up: REF (date), status"), else the earlier ask it likely repeats ("asked before: …")."""
    if ask.link_to:
        kind = LinkKind.parse(ask.link_kind) if ask.link_kind else LinkKind.FOLLOWS_UP
        known = next((e for e in earlier if e.ref == ask.link_to), None)
        when = f" ({house_date(known.made)}), {known.status.label}" if known else ""
        return tr("%s — %s: %s%s") % (ref, kind.label.lower(), ask.link_to, when)
    if earlier:
        first = earlier[0]
        return tr("%s — asked before: %s (%s), %s") % (
            ref,
            first.ref,
            house_date(first.made),
            first.status.label,
        )
    return ref


class AskLinkBox(QGroupBox):
    """Link the selected ask to an earlier one, or not. ``changed``: (earlier ref, LinkKind slug),
    ("", "") for no link."""

    changed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Asked before"))
        layout = QVBoxLayout(self)
        self.state_label = QLabel(self)
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        row = QHBoxLayout()
        self.earlier_combo = QComboBox(self)
        self.earlier_combo.setAccessibleName(self.tr("Earlier ask"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.setAccessibleName(self.tr("How it relates to the earlier ask"))
        for kind in (LinkKind.REPEATS, LinkKind.FOLLOWS_UP, LinkKind.SUPERSEDES, LinkKind.RELATED):
            self.kind_combo.addItem(kind.label, kind.value)
        self.link_button = QPushButton(self.tr("&Link"), self)
        self.link_button.setToolTip(self.tr("Save this ask linked to the earlier one"))
        self.clear_button = QPushButton(self.tr("&No link"), self)
        self.clear_button.setToolTip(self.tr("Save this ask as a new ask of its own"))
        row.addWidget(self.earlier_combo, 3)
        row.addWidget(self.kind_combo, 1)
        row.addWidget(self.link_button)
        row.addWidget(self.clear_button)
        layout.addLayout(row)
        self.link_button.clicked.connect(self._link)
        self.clear_button.clicked.connect(lambda: self.changed.emit("", ""))
        self.show_ask(None, [])

    def show_ask(self, ask: ParsedAsk | None, earlier: list[EarlierAsk]) -> None:
        combo = self.earlier_combo
        combo.clear()
        for e in earlier:
            combo.addItem(
                self.tr("%s (%s), %s — likeness %.2f")
                % (e.ref, house_date(e.made), e.status.label, e.score),
                e.ref,
            )
        if ask is not None and ask.link_to and combo.findData(ask.link_to) < 0:
            combo.insertItem(0, ask.link_to, ask.link_to)
        if ask is not None and ask.link_to:
            combo.setCurrentIndex(combo.findData(ask.link_to))
            kind = ask.link_kind or LinkKind.FOLLOWS_UP.value
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
            self.state_label.setText(
                self.tr("Will be saved linked: %s %s.")
                % (LinkKind.parse(kind).label.lower(), ask.link_to)
            )
        elif ask is not None and earlier:
            self.kind_combo.setCurrentIndex(0)
            self.state_label.setText(self.tr("Likely asked before; not linked unless you link it."))
        else:
            self.state_label.setText(
                self.tr("No earlier ask like this one.") if ask is not None else ""
            )
        has = combo.count() > 0
        for widget in (self.earlier_combo, self.kind_combo, self.link_button):
            widget.setEnabled(has)
        self.clear_button.setEnabled(ask is not None and bool(ask.link_to))

    def _link(self) -> None:
        ref = self.earlier_combo.currentData()
        if ref:
            self.changed.emit(ref, self.kind_combo.currentData())

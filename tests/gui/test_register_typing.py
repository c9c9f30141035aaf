"""Filter-as-you-type on the register's tree: typing narrows, deleting widens, and at every keystroke
the clerk sees exactly what a fresh filter of the same criteria shows (the asks, their order, the
joint asks' sub-rows opened, the row chosen); a keystroke that leaves the same asks shown neither
tests every ask again nor lays the tree out again; and the tree asks whether an ask has sub-rows
only of the joint asks."""

from __future__ import annotations

import dataclasses
import random

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from support.register_rows import NAMES, WORDS, generated, tree_over

from pcc_desk.gui.models.register_criteria import RegisterCriteria
from pcc_desk.gui.models.register_filter import RegisterFilterProxy
from pcc_desk.gui.models.register_model import (
    COL_ADDRESSEE,
    COL_DUE,
    COL_REF,
    COL_STATUS,
    RECORD_ROLE,
)
from pcc_desk.gui.screens.register_tree import RegisterTree
from pcc_desk.vocabulary import Status

NEVER = Qt.ItemFlag.ItemNeverHasChildren


class CountingProxy(RegisterFilterProxy):
    """Counts the questions Qt asks of each row through Python: the tree as it lays the rows out
    (flags, sub-rows), the proxy as it filters them (``filterAcceptsRow``)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = 0
        self.children_asked = 0

    def filterAcceptsRow(self, source_row, source_parent):
        self.asked += 1
        return super().filterAcceptsRow(source_row, source_parent)

    def flags(self, index):
        self.asked += 1
        return super().flags(index)

    def hasChildren(self, parent=QModelIndex()):
        if parent.isValid():
            self.asked += 1
            self.children_asked += 1
        return super().hasChildren(parent)


def on_screen(tree: RegisterTree) -> list[str]:
    """Every line the tree shows, top to bottom: an ask's reference, an addressee's sub-row name."""
    QApplication.processEvents()
    proxy = tree.model()
    lines = []
    index = proxy.index(0, 0)
    while index.isValid():
        parent = index.parent()
        if parent.isValid():
            lines.append("  " + proxy.index(index.row(), COL_ADDRESSEE, parent).data())
        else:
            lines.append(index.data(RECORD_ROLE).ref)
        index = tree.indexBelow(index)
    return lines


def fresh(qtbot, rows, criteria, sort) -> list[str]:
    """What a new tree shows for ``criteria`` from the start (every joint ask opened)."""
    model, proxy, tree = tree_over(qtbot, rows)
    model.sort(*sort)
    proxy.set_criteria(criteria)
    tree.set_expand_all(True)
    return on_screen(tree)


def keystrokes(phrase: str) -> list[str]:
    """The search box's text as the clerk types ``phrase`` and then deletes it, one key a time."""
    typed = [phrase[:i] for i in range(1, len(phrase) + 1)]
    return typed + typed[-2::-1] + [""]


BASES = [
    RegisterCriteria(),
    RegisterCriteria(statuses=frozenset({Status.AWAITING_RESPONSE, Status.FOLLOW_UP_NEEDED})),
    RegisterCriteria(theme="Theme 2"),
    RegisterCriteria(addressee=NAMES[1]),
]


@pytest.mark.parametrize(
    ("count", "seed", "joint_share", "base"),
    [(120, 1, 0.3, 0), (200, 2, 0.1, 1), (90, 3, 0.6, 2), (150, 4, 0.2, 3)],
)
def test_typing_and_deleting_shows_what_a_fresh_filter_shows(qtbot, count, seed, joint_share, base):
    rng = random.Random(seed)
    rows = generated(count, seed, joint_share)
    phrase = f"{rng.choice(WORDS)} {rng.choice(WORDS)[:3]}"
    _model, proxy, tree = tree_over(qtbot, rows)
    tree.set_expand_all(True)
    sort = (COL_REF, Qt.SortOrder.AscendingOrder)
    chosen = rows[rng.randrange(count)].ref
    tree.selectRow(proxy.proxy_row_of(chosen) or 0)
    chosen = proxy.record(tree.currentIndex().row()).ref
    for step, text in enumerate(keystrokes(phrase)):
        if step == len(phrase) // 2:  # a header click while typing
            sort = (COL_DUE, Qt.SortOrder.DescendingOrder)
            tree.sortByColumn(*sort)
        criteria = dataclasses.replace(BASES[base], text=text)
        proxy.set_criteria(criteria)
        tree.follow_expand_all()
        seen = on_screen(tree)
        assert seen == fresh(qtbot, rows, criteria, sort), (step, text)
        assert any(not line.startswith(" ") for line in seen) or not proxy.rowCount()
        current = tree.currentIndex()
        if chosen in seen:  # the clerk's row stays chosen while it is shown
            assert current.isValid() and proxy.record(tree.ask_index(current).row()).ref == chosen
    assert proxy.rowCount() == len(
        [r for r in rows if dataclasses.replace(BASES[base], text="").accepts(r, "", ())]
    )


def test_another_phrase_after_a_phrase_is_filtered_afresh(qtbot):
    rows = generated(160, 7, 0.25)
    _model, proxy, tree = tree_over(qtbot, rows)
    tree.set_expand_all(True)
    sort = (COL_REF, Qt.SortOrder.AscendingOrder)
    for text in ("plan", "plan sea", "report", "rep", "vetting stop", "stop"):
        proxy.set_criteria(RegisterCriteria(text=text))
        tree.follow_expand_all()
        assert on_screen(tree) == fresh(qtbot, rows, RegisterCriteria(text=text), sort), text


@pytest.mark.parametrize(("count", "seed"), [(1_200, 11), (2_500, 12)])
def test_a_keystroke_that_keeps_the_same_asks_tests_and_lays_out_nothing_again(qtbot, count, seed):
    rows = generated(count, seed, 0.05)
    _model, proxy, tree = tree_over(qtbot, rows, CountingProxy())
    tree.selectRow(count // 2)
    chosen = proxy.record(count // 2).ref
    on_screen(tree)
    for text in ("p", "pc", "pcc", "pcc-"):  # every reference starts so: every ask still shown
        proxy.asked = 0
        proxy.set_criteria(RegisterCriteria(text=text))
        tree.viewport().repaint()
        QApplication.processEvents()
        assert proxy.rowCount() == count
        assert proxy.asked < count, (text, proxy.asked)  # the rows painted only
        assert proxy.record(tree.currentIndex().row()).ref == chosen
    year = rows[0].made.year
    proxy.asked = 0
    proxy.set_criteria(RegisterCriteria(text=f"pcc-{year}"))  # fewer asks: laid out again
    tree.viewport().repaint()
    QApplication.processEvents()
    shown = sum(1 for r in rows if r.ref.lower().startswith(f"pcc-{year}"))
    assert proxy.rowCount() == shown < count
    assert proxy.asked >= shown  # laid out again


@pytest.mark.parametrize(("count", "seed", "joint_share"), [(1_500, 21, 0.03), (800, 22, 0.2)])
def test_only_joint_asks_are_asked_whether_they_have_sub_rows(qtbot, count, seed, joint_share):
    rows = generated(count, seed, joint_share)
    _model, proxy, tree = tree_over(qtbot, rows, CountingProxy())
    for criteria in (RegisterCriteria(), RegisterCriteria(text=WORDS[2])):
        proxy.set_criteria(criteria)
        QApplication.processEvents()
        proxy.children_asked = 0
        tree.doItemsLayout()
        joint = [row for row in range(proxy.rowCount()) if proxy.record(row).addressee_lines]
        assert 0 < len(joint) < proxy.rowCount()
        assert proxy.children_asked <= 2 * len(joint), (proxy.children_asked, len(joint))
        for row in range(proxy.rowCount()):
            ask = proxy.index(row, 0)
            assert bool(proxy.flags(ask) & NEVER) == (row not in joint)
            assert proxy.flags(proxy.index(row, COL_STATUS)) & NEVER
            for sub in range(proxy.rowCount(ask)):
                assert proxy.flags(proxy.index(sub, 0, ask)) & NEVER
        assert not proxy.flags(QModelIndex())
        tree.expand(proxy.index(joint[0], 0))  # an expander still opens a joint ask
        assert on_screen(tree).count(proxy.record(joint[0]).ref) == 1
        assert tree.isExpanded(proxy.index(joint[0], 0))

"""Filter-as-you-type on the register's tree: typing narrows, deleting widens, and at every keystroke
the clerk sees exactly what a fresh filter of the same criteria shows (the asks, their order, the
joint asks' sub-rows opened, the row chosen); and a keystroke, whether it keeps, narrows or widens
the asks shown, calls Python about the rows on screen, not about every ask."""

from __future__ import annotations

import dataclasses
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support.register_rows import NAMES, WORDS, generated, python_calls, tree_over

from pcc_desk.gui.models.register_criteria import RegisterCriteria
from pcc_desk.gui.models.register_model import (
    COL_ADDRESSEE,
    COL_DUE,
    COL_REF,
    RECORD_ROLE,
)
from pcc_desk.gui.screens.register_tree import RegisterTree
from pcc_desk.vocabulary import Status


def keystroke(proxy, tree, text: str) -> int:
    """The Python calls one keystroke costs until the tree is laid out again (not its paint)."""

    def typed():
        proxy.set_criteria(RegisterCriteria(text=text))
        tree.follow_expand_all()
        tree.executeDelayedItemsLayout()

    return python_calls(typed)


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


@pytest.mark.parametrize(("count", "seed", "joint_share"), [(3_000, 11, 0.03), (5_000, 12, 0.05)])
def test_a_keystroke_asks_python_about_the_rows_on_screen_not_every_ask(
    qtbot, count, seed, joint_share
):
    rows = generated(count, seed, joint_share)
    _model, proxy, tree = tree_over(qtbot, rows)
    tree.set_expand_all(True)
    tree.selectRow(count // 2)
    chosen = proxy.record(count // 2).ref
    on_screen(tree)
    for text in ("p", "pc", "pcc", "pcc-"):  # every reference starts so: every ask still shown
        calls = keystroke(proxy, tree, text)
        assert proxy.rowCount() == count
        assert calls < count / 2, (text, calls)
        assert proxy.record(tree.currentIndex().row()).ref == chosen
    year = rows[0].made.year
    fewer = keystroke(proxy, tree, f"pcc-{year}")  # fewer asks: the tree lays them out again
    shown = sum(1 for r in rows if r.ref.lower().startswith(f"pcc-{year}"))
    assert proxy.rowCount() == shown < count
    assert fewer < count / 2, fewer
    everything = keystroke(proxy, tree, "")  # and every ask back
    assert proxy.rowCount() == count
    assert everything < count / 2, everything
    joint = proxy.joint_asks()
    assert joint and all(tree.isExpanded(index) for index in joint)
    assert len(on_screen(tree)) == count + sum(len(r.addressee_lines) for r in rows)


@pytest.mark.parametrize(("count", "seed"), [(300, 31), (500, 32)])
def test_an_ask_the_clerk_opened_stays_open_while_typing_and_no_other_opens(qtbot, count, seed):
    """Typing moves asks to other rows: the open one stays open wherever it goes, and a joint ask
    that comes to the row it left is not opened by it; asks with one addressee have no expander."""
    rows = generated(count, seed, 0.3)
    _model, proxy, tree = tree_over(qtbot, rows)
    opened = next(r for r in reversed(rows) if r.addressee_lines)
    tree.expand(proxy.index(proxy.proxy_row_of(opened.ref), 0))
    phrase = " ".join(word[:4] for word in opened.text.split()[:2])  # it stays shown
    for text in keystrokes(phrase):
        proxy.set_criteria(RegisterCriteria(text=text))
        seen = on_screen(tree)
        row = seen.index(opened.ref)
        names = [line.strip() for line in seen[row + 1 : row + 1 + len(opened.addressee_lines)]]
        assert names == [line.name for line in opened.addressee_lines], text
        for r in range(proxy.rowCount()):
            index = proxy.index(r, 0)
            joint = bool(proxy.record(r).addressee_lines)
            assert proxy.hasChildren(index) == joint
            assert tree.isExpanded(index) == (proxy.record(r).ref == opened.ref), (text, r)


def test_no_cell_of_the_register_can_be_edited_or_dragged(qtbot):
    """The cells carry Qt's standard item flags (editable, draggable); the tree allows neither."""
    rows = generated(40, 41, 0.3)
    _model, proxy, tree = tree_over(qtbot, rows)
    joint = proxy.joint_asks()[0]
    tree.expand(joint)
    for index in (proxy.index(3, COL_DUE), proxy.index(0, COL_ADDRESSEE, joint)):
        tree.setCurrentIndex(index)
        qtbot.keyClick(tree, Qt.Key.Key_F2)
        rect = tree.visualRect(index)
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert tree.state() == RegisterTree.State.NoState
        assert tree.indexWidget(index) is None
    assert not tree.dragEnabled() and not tree.acceptDrops() and not tree.viewport().acceptDrops()
    assert [proxy.record(r).ref for r in range(proxy.rowCount())] == sorted(r.ref for r in rows)

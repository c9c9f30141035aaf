"""The register's table expands a joint ask: one row per ask with its combined status, and under it
one sub-row per addressee (its status, its position, its due date); filtering and sorting move asks,
and an ask's sub-rows go with it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt

from pcc_desk.gui.models.register_model import COL_ADDRESSEE, COL_ASK, COL_DUE, COL_REF, COL_STATUS
from pcc_desk.services import register
from pcc_desk.vocabulary import ChangeKind, Position, Status

MADE = dt.date(2024, 1, 10)
NAMES = ["the Met", "MOPAC", "the Mayor"]


@pytest.fixture
def joint(desk, sample_register):
    """A joint ask to three addressees, the second of which has accepted; and sample single asks."""
    ref = register.add_recommendation(
        desk, "Publish a joint plan for stop and search", addressees=NAMES, made=MADE
    ).ref
    register.log_response(
        desk,
        ref,
        received=dt.date(2024, 2, 1),
        position=Position.ACCEPTED,
        text="We accept.",
        addressee="MOPAC",
    )
    return ref


def shown(screen, row: int, col: int, parent: QModelIndex | None = None) -> str:
    proxy = screen.proxy
    return proxy.index(row, col, parent or QModelIndex()).data() or ""


def ask_row(screen, ref: str) -> QModelIndex:
    row = screen.proxy.proxy_row_of(ref)
    assert row is not None
    return screen.proxy.index(row, 0)


def sub_rows(screen, ask: QModelIndex) -> list[tuple[str, str, str, str]]:
    proxy = screen.proxy
    return [
        tuple(
            proxy.index(i, col, ask).data() for col in (COL_ADDRESSEE, COL_STATUS, COL_ASK, COL_DUE)
        )
        for i in range(proxy.rowCount(ask))
    ]  # type: ignore[misc]


@pytest.fixture
def screen(qtbot, window, joint):
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    return screen


def test_the_joint_ask_shows_its_combined_status_and_each_addressee_under_it(qtbot, screen, joint):
    ask = ask_row(screen, joint)
    assert shown(screen, ask.row(), COL_STATUS) == Status.AWAITING_RESPONSE.label  # combined
    assert shown(screen, ask.row(), COL_ADDRESSEE) == "; ".join(NAMES)
    assert not screen.table.isExpanded(ask)  # collapsed by default
    due = register.get_recommendation(screen.bench.desk, joint).due
    lines = sub_rows(screen, ask)
    assert [line[0] for line in lines] == NAMES
    assert [line[1] for line in lines] == [
        Status.AWAITING_RESPONSE.label,
        Status.RESPONSE_RECEIVED.label,
        Status.AWAITING_RESPONSE.label,
    ]
    assert lines[1][2] == f"MOPAC: position {Position.ACCEPTED.label}"
    assert lines[0][2] == "the Met: position no response yet"
    assert all(line[3].startswith(f"{due.day} {due:%b %Y}") for line in lines)
    # an ask to one addressee has nothing to expand
    single = [r for r in screen.model.records() if r.ref != joint]
    assert single and all(screen.proxy.rowCount(ask_row(screen, r.ref)) == 0 for r in single)

    screen.expand_button.click()  # "Expand all addressees"
    assert screen.table.isExpanded(ask_row(screen, joint))
    assert screen.expand_button.text().replace("&", "") == "Collapse addressees"
    screen.reload()  # a reading of the register keeps them open
    qtbot.waitUntil(lambda: screen.model.version > 1, timeout=10_000)
    assert screen.table.isExpanded(ask_row(screen, joint))
    screen.expand_button.click()
    assert not screen.table.isExpanded(ask_row(screen, joint))
    # the keyboard opens one ask: → on its row
    screen.select_ref(joint)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Right)
    assert screen.table.isExpanded(ask_row(screen, joint))


def test_filtering_keeps_the_sub_rows_with_their_ask(qtbot, screen, joint):
    screen.expand_button.click()
    screen.search_edit.setText("joint plan")
    assert screen.proxy.rowCount() == 1
    ask = ask_row(screen, joint)
    assert screen.table.isExpanded(ask)  # still open after the filter
    assert [line[0] for line in sub_rows(screen, ask)] == NAMES
    # a filter by one addressee shows the ask, with all its addressees under it
    screen.search_edit.clear()
    screen.addressee_combo.setCurrentIndex(screen.addressee_combo.findData("MOPAC"))
    assert screen.proxy.rowCount() == 1
    assert [line[0] for line in sub_rows(screen, ask_row(screen, joint))] == NAMES
    # a filter the ask fails hides it and its sub-rows
    screen.addressee_combo.setCurrentIndex(0)
    screen.status_combo.setCurrentIndex(screen.status_combo.findData(Status.RESPONSE_RECEIVED))
    assert screen.proxy.proxy_row_of(joint) is None
    screen.status_combo.setCurrentIndex(0)  # shown again: open again (Expand all is on)
    assert screen.table.isExpanded(ask_row(screen, joint))


def test_sorting_moves_asks_and_their_sub_rows_follow(qtbot, screen, joint):
    screen.expand_button.click()
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        screen.table.sortByColumn(COL_REF, order)
        ask = ask_row(screen, joint)
        assert shown(screen, ask.row(), COL_REF) == joint
        assert [line[0] for line in sub_rows(screen, ask)] == NAMES
        assert screen.proxy.rowCount() == len(screen.model.records())  # sub-rows are not asks


def test_choosing_an_addressee_sub_row_shows_its_ask(qtbot, screen, joint):
    screen.expand_button.click()
    sub = screen.proxy.index(1, 0, ask_row(screen, joint))
    screen.table.setCurrentIndex(sub)
    assert screen.current_ref() == joint
    qtbot.waitUntil(
        lambda: screen.detail.detail is not None and screen.detail.detail.ref == joint,
        timeout=10_000,
    )


def test_an_added_addressee_appears_under_the_ask(qtbot, screen, joint):
    register.add_addressee(screen.bench.desk, joint, "the Home Office")
    screen.bench.changes.changed.emit(
        frozenset({ChangeKind.RECOMMENDATIONS}),
        frozenset({joint}),
    )
    qtbot.waitUntil(lambda: screen.proxy.rowCount(ask_row(screen, joint)) == 4, timeout=10_000)
    assert sub_rows(screen, ask_row(screen, joint))[-1][0] == "the Home Office"


def test_expand_all_is_offered_only_when_some_ask_is_joint(qtbot, window, desk, sample_register):
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    assert screen.model.records() and not screen.expand_button.isEnabled()  # one addressee each
    ref = register.add_recommendation(desk, "Publish a joint plan", addressees=NAMES, made=MADE).ref
    qtbot.waitUntil(lambda: screen.model.row_of(ref) is not None, timeout=10_000)
    assert screen.expand_button.isEnabled()
    screen.expand_button.click()
    register.remove_recommendation(desk, ref)  # the only joint ask goes while they are open
    qtbot.waitUntil(lambda: screen.model.row_of(ref) is None, timeout=10_000)
    assert screen.expand_button.isEnabled()  # still on: the clerk can turn it off
    screen.expand_button.click()
    screen.reload()
    qtbot.waitUntil(lambda: not screen.expand_button.isEnabled(), timeout=10_000)


def test_the_view_menu_expands_and_collapses_the_addressees(qtbot, window, screen, joint):
    window.show_screen("due")  # from another screen: the Register is shown
    window.expand_action.trigger()
    assert window.current_key() == "register"
    assert screen.table.isExpanded(ask_row(screen, joint))
    window.expand_action.trigger()
    assert not screen.table.isExpanded(ask_row(screen, joint))


def test_the_view_menu_says_when_no_ask_is_joint(qtbot, window, sample_register):
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    window.expand_action.trigger()
    assert "more than one addressee" in window.statusBar().currentMessage()

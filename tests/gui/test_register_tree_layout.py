"""The register's tree lays out every ask it shows, asking each for its flags and whether it has
sub-rows: the answers are Qt's own (no Python call an ask), and the proxy's stay the model's through
filtering, sorting, reloads and edits."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt
from support.register_rows import WORDS, generated, python_calls, tree_over

from pcc_desk.gui.models.register_criteria import RegisterCriteria
from pcc_desk.gui.models.register_filter import RegisterFilterProxy
from pcc_desk.gui.models.register_model import (
    COL_DUE,
    COL_STATUS,
    RegisterTableModel,
)
from pcc_desk.services.dto import AddresseeLine
from pcc_desk.vocabulary import Status


def assert_answers_as_the_source(proxy: RegisterFilterProxy) -> int:
    """Every shown row and sub-row: the proxy's flags and children are the source's. Returns
    how many shown asks have sub-rows."""
    source = proxy.sourceModel()
    joint = 0
    assert proxy.hasChildren() == source.hasChildren(proxy.mapToSource(QModelIndex()))
    for row in range(proxy.rowCount()):
        for col in range(proxy.columnCount()):
            index = proxy.index(row, col)
            mapped = proxy.mapToSource(index)
            assert proxy.hasChildren(index) == source.hasChildren(mapped), (row, col)
            assert proxy.flags(index) == source.flags(mapped), (row, col)
        ask = proxy.index(row, 0)
        joint += proxy.hasChildren(ask)
        for sub in range(proxy.rowCount(ask)):
            index = proxy.index(sub, 0, ask)
            assert not proxy.hasChildren(index)
            assert proxy.flags(index) == source.flags(proxy.mapToSource(index))
    return joint


@pytest.mark.parametrize(
    ("count", "seed", "joint_share"), [(40, 1, 0.5), (300, 2, 0.1), (120, 3, 0.9)]
)
def test_the_proxy_answers_flags_and_sub_rows_as_the_source_does(
    qtmodeltester, count, seed, joint_share
):
    rows = generated(count, seed, joint_share)
    model = RegisterTableModel(today=dt.date(2020, 1, 1))
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    proxy.refilter()
    expected = sum(1 for r in rows if r.addressee_lines)
    assert assert_answers_as_the_source(proxy) == expected

    proxy.set_criteria(RegisterCriteria(text=WORDS[0]))  # a filter: fewer rows, others' places
    shown = [r for r in rows if WORDS[0] in r.text]
    assert proxy.rowCount() == len(shown)
    assert assert_answers_as_the_source(proxy) == sum(1 for r in shown if r.addressee_lines)

    for column, order in (
        (COL_DUE, Qt.SortOrder.DescendingOrder),
        (COL_STATUS, Qt.SortOrder.AscendingOrder),
    ):
        proxy.sort(column, order)  # a sort: the same rows in another order
        assert assert_answers_as_the_source(proxy) == sum(1 for r in shown if r.addressee_lines)

    single = next(r for r in shown if not r.addressee_lines)  # an edit adds an addressee
    joint = next((r for r in shown if r.addressee_lines), None)  # another loses its others
    edited = [
        dataclasses.replace(
            single,
            addressee_lines=(
                AddresseeLine("the Met", Status.AWAITING_RESPONSE, single.due),
                AddresseeLine("MOPAC", Status.AWAITING_RESPONSE, single.due),
            ),
        )
    ]
    if joint is not None:
        edited.append(dataclasses.replace(joint, addressee_lines=()))
    assert model.update_rows(edited) == []
    now = {r.ref: r for r in [*shown, *edited]}.values()
    assert assert_answers_as_the_source(proxy) == sum(1 for r in now if r.addressee_lines)

    proxy.set_criteria(RegisterCriteria())  # filters cleared, then a reload of other rows
    assert proxy.rowCount() == count
    model.set_rows(generated(count // 2, seed + 10, joint_share))
    proxy.refilter()
    assert assert_answers_as_the_source(proxy) > 0
    qtmodeltester.check(proxy)


@pytest.mark.parametrize("count", [1_500, 4_000])
def test_laying_out_the_tree_asks_python_about_no_row_but_those_on_screen(qtbot, count):
    rows = generated(count, count, 0.05)
    _model, proxy, tree = tree_over(qtbot, rows)
    proxy.refilter()
    # lays out every ask (Qt does it before it can move the current row): the model's rows,
    # flags and sub-rows are Qt's own; Python is asked only for the data of rows it shows
    calls = python_calls(lambda: tree.selectRow(0))
    assert proxy.rowCount() == count
    assert tree.currentIndex().row() == 0
    assert calls < 200, calls
    joint = next(row for row in range(count) if proxy.hasChildren(proxy.index(row, 0)))
    tree.expand(proxy.index(joint, 0))  # an expander still opens a joint ask's sub-rows
    assert tree.isExpanded(proxy.index(joint, 0))
    assert proxy.rowCount(proxy.index(joint, 0)) == len(proxy.record(joint).addressee_lines) >= 2


@pytest.mark.parametrize("asks", [5, 60])
def test_the_register_screen_filters_a_load_once(qtbot, monkeypatch, window, sample_register, asks):
    """Loading the register tests each ask against the filter once (the model's reset), not a
    second time after it; the rows shown, their order and the count are as before."""
    from pcc_desk.services import register

    for n in range(asks):
        register.add_recommendation(
            window.bench.desk, f"Generated ask {n}", made=dt.date(2022, 1, 1) + dt.timedelta(n)
        )
    tested: list[int] = []
    accepts = RegisterFilterProxy.filterAcceptsRow

    def counting(self, source_row, source_parent):
        tested.append(source_row)
        return accepts(self, source_row, source_parent)

    monkeypatch.setattr(RegisterFilterProxy, "filterAcceptsRow", counting)
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    total = asks + 3  # and the sample register's three
    assert screen.proxy.rowCount() == screen.model.rowCount() == total
    assert len(tested) == total, len(tested)
    refs = [screen.proxy.record(row).ref for row in range(total)]
    assert refs == sorted(
        refs, key=lambda ref: (screen.model.record(screen.model.row_of(ref)).made, ref)
    )
    assert screen.count_label.text() == f"{total} recommendations"
    assert screen.current_ref() == refs[0]

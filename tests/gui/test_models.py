"""The register's table model and filter proxy."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt

from pcc_desk.gui.models.register_criteria import RegisterCriteria
from pcc_desk.gui.models.register_filter import RegisterFilterProxy
from pcc_desk.gui.models.register_model import (
    COL_DUE,
    COL_REF,
    COL_STATUS,
    RECORD_ROLE,
    SORT_ROLE,
    RegisterTableModel,
)
from pcc_desk.model import Priority, RecommendationKind, Status
from pcc_desk.services.dto import RecommendationSummary


def summary(
    n: int, status=Status.AWAITING_RESPONSE, due=None, theme="Theme A", text=None
) -> RecommendationSummary:
    made = dt.date(2023, 1, 1) + dt.timedelta(days=n)
    return RecommendationSummary(
        id=uuid.uuid4(),
        ref=f"PCC-{made.isoformat()}/01",
        kind=RecommendationKind.RECOMMENDATION,
        text=text or f"Ask number {n}",
        theme=theme,
        addressee="Sir Mark Rowley",
        made=made,
        due=due or made + dt.timedelta(days=60),
        status=status,
        priority=Priority.NORMAL,
    )


def rows() -> list[RecommendationSummary]:
    return [
        summary(3, Status.FOLLOW_UP_NEEDED, due=dt.date(2023, 2, 1), text="Publish timescales"),
        summary(
            1,
            Status.AWAITING_RESPONSE,
            due=dt.date(2023, 12, 1),
            theme="Theme B",
            text="Strengthen SNBs",
        ),
        summary(2, Status.CLOSED_IMPLEMENTED, due=dt.date(2023, 1, 20), text="Recruit officers"),
    ]


def test_register_model_and_proxy_pass_qtmodeltester(qtmodeltester):
    model = RegisterTableModel(today=dt.date(2024, 1, 1))
    model.set_rows(rows())
    qtmodeltester.check(model)
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_criteria(RegisterCriteria(text="s"))
    qtmodeltester.check(proxy)
    proxy.sort(COL_DUE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_sorting_by_due_uses_the_date_not_the_text():
    model = RegisterTableModel(today=dt.date(2023, 1, 1))
    model.set_rows(rows())
    model.sort(COL_DUE, Qt.SortOrder.AscendingOrder)
    dues = [model.index(r, COL_DUE).data(SORT_ROLE) for r in range(3)]
    assert dues == sorted(dues)
    assert [model.index(r, 0).data(RECORD_ROLE).due for r in range(3)] == [
        dt.date(2023, 1, 20),
        dt.date(2023, 2, 1),
        dt.date(2023, 12, 1),
    ]


def test_a_new_load_keeps_the_clerks_sort():
    model = RegisterTableModel()
    model.sort(COL_REF, Qt.SortOrder.DescendingOrder)
    model.set_rows(rows())
    refs = [model.index(r, COL_REF).data() for r in range(3)]
    assert refs == sorted(refs, reverse=True)


def test_status_is_shown_as_text_and_colour():
    model = RegisterTableModel()
    model.set_rows(rows())
    index = model.index(model.row_of(rows()[0].ref), COL_STATUS)
    assert index.data() == "Follow-up needed"
    assert index.data(Qt.ItemDataRole.BackgroundRole) is not None


def test_overdue_due_date_says_so_in_words():
    model = RegisterTableModel(today=dt.date(2024, 1, 1))
    model.set_rows([summary(1, Status.AWAITING_RESPONSE, due=dt.date(2023, 3, 1))])
    assert "overdue" in model.index(0, COL_DUE).data()


def test_proxy_filters_by_status_theme_and_words():
    model = RegisterTableModel()
    model.set_rows(rows())
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 3
    proxy.set_criteria(RegisterCriteria(statuses=frozenset({Status.AWAITING_RESPONSE})))
    assert [proxy.record(r).text for r in range(proxy.rowCount())] == ["Strengthen SNBs"]
    proxy.set_criteria(RegisterCriteria(theme="theme a", text="PUBLISH time"))
    assert [proxy.record(r).text for r in range(proxy.rowCount())] == ["Publish timescales"]


def test_edited_row_is_refiltered():
    model = RegisterTableModel()
    model.set_rows(rows())
    proxy = RegisterFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_criteria(RegisterCriteria(text="renamed"))
    assert proxy.rowCount() == 0
    import dataclasses

    first = model.records()[0]
    model.update_rows([dataclasses.replace(first, text="Renamed ask")])
    assert proxy.rowCount() == 1


def test_every_column_sorts_by_its_value_then_reference_both_ways():
    """The model's sort (keys made a column at a time) orders the asks as their shown sort values
    (SORT_ROLE) then their references do, on generated asks with ties, odd case and assessments."""
    import dataclasses
    import random

    from support.register_rows import generated

    from pcc_desk.vocabulary import Assessment

    rng = random.Random(7)
    rows = [
        dataclasses.replace(
            r,
            theme=rng.choice(["theme b", "Theme A", "THEME C", ""]),
            addressee=rng.choice(["mopac", "MOPAC", "Sir Mark Rowley"]),
            latest_assessment=rng.choice([None, *Assessment]),
        )
        for r in generated(400, seed=3, joint_share=0.0)
    ]
    model = RegisterTableModel()
    model.set_rows(rows)
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            shown = [model.index(row, column) for row in range(model.rowCount())]
            keys = [(model.data(i, SORT_ROLE), model.data(i, RECORD_ROLE).ref) for i in shown]
            assert len(keys) == len(rows)
            assert keys == sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder), (
                column,
                order,
            )


def test_rows_loaded_without_their_search_text_are_found_by_it_also_after_an_edit():
    """Rows read ahead at start-up come without their search text (made on the first search): an
    ask edited before that, and one edited after, are found by their new words, not their old."""
    import dataclasses

    from pcc_desk.gui.models.register_criteria import haystacks_for

    for given in (False, True):  # (made by the start-up's table, or by the worker that loaded them)
        loaded = rows()
        model = RegisterTableModel()
        model.set_rows(loaded, haystacks_for(loaded) if given else None)
        proxy = RegisterFilterProxy()
        proxy.setSourceModel(model)
        proxy.set_criteria(RegisterCriteria(statuses=frozenset({Status.AWAITING_RESPONSE})))
        first, second = model.records()[0], model.records()[1]
        model.update_rows([dataclasses.replace(first, text="Vetting backlog cleared")])
        proxy.set_criteria(RegisterCriteria(text="vetting"))
        assert [proxy.record(r).ref for r in range(proxy.rowCount())] == [first.ref]
        model.update_rows([dataclasses.replace(second, text="Vetting appeals published")])
        proxy.set_criteria(RegisterCriteria(text="vetting pub"))
        assert [proxy.record(r).ref for r in range(proxy.rowCount())] == [second.ref]
        proxy.set_criteria(RegisterCriteria(text=first.text.split()[0]))
        assert first.ref not in {proxy.record(r).ref for r in range(proxy.rowCount())}
        assert model.haystacks() == haystacks_for(model.records())

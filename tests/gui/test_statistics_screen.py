"""The Statistics screen: the figures of the hand-computed register, grouped as the clerk chooses,
following changes, and exported as PNG, .csv and .xlsx."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from openpyxl import load_workbook
from support import follow_register
from support.follow_register import MET, MOPAC, TODAY

from pcc_desk.gui.dialogs.response_form import to_qdate
from pcc_desk.model import Status
from pcc_desk.services import register


@pytest.fixture
def screen(qtbot, window, desk):
    from pcc_desk.gui.screens.statistics import StatisticsScreen

    refs = follow_register.build(desk)
    screen = StatisticsScreen(window.bench, today=TODAY)
    qtbot.addWidget(screen)
    screen.resize(1200, 700)
    screen.show()
    screen.activate()
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    screen.refs = refs
    return screen


def _column(model, heading):
    col = model.headers.index(heading)
    return {model.index(r, 0).data(): model.index(r, col).data() for r in range(model.rowCount())}


def test_screen_shows_the_hand_computed_figures_by_the_grouping_chosen(
    qtbot, screen, qtmodeltester
):
    model = screen.model
    qtmodeltester.check(model)
    assert _column(model, "Asks made") == {"All asks": "7"}
    assert _column(model, "Median days to respond") == {"All asks": "46.5"}
    assert "7 asks" in screen.summary_label.text() and "1 overdue" in screen.summary_label.text()
    screen.set_grouping("addressee")
    qtbot.waitUntil(lambda: model.rowCount() == 4, timeout=10_000)
    assert _column(model, "On time (%)") == {
        MET: "66.7",
        MOPAC: "50.0",
        "(no addressee)": "0.0",
        "All asks": "50.0",
    }
    assert _column(model, "Accepted (%)")["(no addressee)"] == "–"  # nothing answered
    # the charts have one category per group and one bar set per share / age band
    shares = screen.shares_chart.series()[0]
    assert [s.label() for s in shares.barSets()] == [
        "On time",
        "Accepted",
        "Implemented",
        "Verified",
    ]
    assert [shares.barSets()[0].at(i) for i in range(3)] == [66.7, 50.0, 0.0]
    ages = screen.ages_chart.series()[0]
    assert [sum(s.at(i) for s in ages.barSets()) for i in range(3)] == [3.0, 1.0, 1.0]
    # only the asks made in 2024
    screen.from_edit.setDate(to_qdate(dt.date(2024, 1, 1)))
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10_000)
    assert _column(model, "Asks made") == {MET: "2", "All asks": "2"}


def test_screen_follows_a_change_made_elsewhere(qtbot, screen, desk):
    model = screen.model
    assert _column(model, "Overdue now") == {"All asks": "1"}
    register.change_status(desk, screen.refs["A4"], Status.SUPERSEDED, "Replaced")
    qtbot.waitUntil(lambda: _column(model, "Overdue now") == {"All asks": "0"}, timeout=10_000)
    assert _column(model, "Open") == {"All asks": "4"}


def test_charts_and_table_export(qtbot, screen, tmp_path):
    from PySide6.QtGui import QImage

    screen.set_grouping("theme")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 4, timeout=10_000)
    png = screen.export_charts(tmp_path / "briefing")
    image = QImage(str(png))
    assert png.name == "briefing.png" and image.width() >= 2 * screen.charts.width() - 2
    # not a blank picture: the bars are drawn in their colours
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert "#3b82f6" in colours and "#16a34a" in colours
    out = screen.export_table(tmp_path / "figures.csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Theme" and [r[0] for r in rows[1:]][-1] == "All asks"
    out = screen.export_table(tmp_path / "figures.xlsx")
    assert load_workbook(out).active["B5"].value == 7


def test_statistics_is_a_screen_of_the_window(qtbot, window, desk):
    follow_register.build(desk)
    screen = window.show_screen("statistics")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    assert window.current_key() == "statistics"
    assert screen.model.rowCount() == 1

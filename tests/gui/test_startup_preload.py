"""Start-up reads the register's table from the file while the file's health check runs, and the
Register screen shows those rows without reading them again; rows read from a file that changed
before the register opened are never shown."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from pcc_desk.gui import app
from pcc_desk.gui.screens import register as register_screen
from pcc_desk.services import Desk, register


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def _add(db_path, *texts):
    with Desk.open(db_path) as desk:
        for text in texts:
            register.add_recommendation(
                desk, text, theme="Stop and search", made=dt.date(2023, 3, 17)
            )


def _loads(monkeypatch):
    calls = []
    real = register_screen.load_register
    monkeypatch.setattr(
        register_screen, "load_register", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    return calls


def test_rows_read_during_the_health_check_fill_the_register_without_a_second_reading(
    qtbot, launch, db_path, monkeypatch
):
    _add(db_path, "Publish timescales", "Report every six months")
    loads = _loads(monkeypatch)
    started = launch(db_path)
    assert "register" in started.window.preloaded
    screen = started.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    assert [screen.proxy.record(r).text for r in range(screen.proxy.rowCount())] == [
        "Publish timescales",
        "Report every six months",
    ]
    assert screen.theme_combo.findData("Stop and search") > 0
    assert loads == []  # shown from what was read ahead
    assert started.window.preloaded == {}


def test_a_register_changed_before_it_opened_is_read_again(qtbot, launch, db_path, monkeypatch):
    _add(db_path, "Publish timescales")
    real_open = app.open_register

    def open_after_a_write(
        *args, **kwargs
    ):  # another program writes between the read-ahead and the open
        _add(db_path, "Added meanwhile")
        return real_open(*args, **kwargs)

    monkeypatch.setattr(app, "open_register", open_after_a_write)
    loads = _loads(monkeypatch)
    started = launch(db_path)
    assert started.window.preloaded == {}
    screen = started.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    assert loads == [1]
    assert sorted(screen.proxy.record(r).text for r in range(screen.proxy.rowCount())) == [
        "Added meanwhile",
        "Publish timescales",
    ]

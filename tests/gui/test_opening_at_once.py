"""The desktop shows the register at once while the whole-file check runs in the background: the
status bar says "Checking the register…", rows are on screen, a save made meanwhile waits and then
lands; damage the check finds is told, and nothing is saved."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import threading

import pytest
from support.damage import damage_a_page

from pcc_desk import storage
from pcc_desk.gui import prompts
from pcc_desk.services import Desk, register
from pcc_desk.storage import checking


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


@pytest.fixture
def held(monkeypatch):
    release = threading.Event()
    real = checking.full_check_problem

    def slow(path):
        assert release.wait(60)
        return real(path)

    def hold():
        monkeypatch.setattr(checking, "full_check_problem", slow)
        monkeypatch.setattr(storage.health, "full_check_problem", slow)
        return release

    yield hold
    release.set()


def _add(db_path, n):
    with Desk.open(db_path) as desk:
        for i in range(n):
            register.add_recommendation(desk, f"Ask {i}", made=dt.date(2023, 3, 17))


@pytest.mark.parametrize("rows", [3, 12])
def test_the_register_shows_at_once_and_a_save_during_the_check_lands(
    qtbot, launch, db_path, rows, held
):
    _add(db_path, rows)
    storage.checked_record(db_path).unlink()  # never checked here: the check is due
    release = held()
    started = launch(db_path)  # returns although the check is held
    window = started.window
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    assert screen.model.rowCount() == rows
    assert window.checking.label.isVisible()
    assert "Checking the register" in window.checking.label.text()
    desk = window.bench.desk
    assert desk.checking.checking
    done = []
    writer = threading.Thread(
        target=lambda: done.append(register.add_recommendation(desk, "Saved while checking"))
    )
    writer.start()
    writer.join(0.5)
    assert not done and writer.is_alive()
    release.set()
    writer.join(60)
    assert done
    qtbot.waitUntil(lambda: not window.checking.label.isVisible(), timeout=10_000)
    qtbot.waitUntil(lambda: screen.model.rowCount() == rows + 1, timeout=10_000)
    assert storage.read_record(db_path) is not None  # the pass is remembered


def test_a_register_checked_and_closed_cleanly_shows_no_checking(qtbot, launch, db_path, held):
    _add(db_path, 2)
    assert checking.full_check_due(db_path) == ""
    held()
    started = launch(db_path)
    assert not started.window.checking.label.isVisible()
    assert not started.window.bench.desk.checking.checking
    register.add_recommendation(started.window.bench.desk, "At once")  # held is never reached


@pytest.mark.parametrize("seed", [3, 4])
def test_damage_the_background_check_finds_is_told_and_nothing_is_saved(
    qtbot, launch, db_path, monkeypatch, seed
):
    _add(db_path, 60)
    damage_a_page(db_path, seed)
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    told = []
    monkeypatch.setattr(prompts, "tell_damage_found", lambda parent, text: told.append(text))
    started = launch(db_path)
    window = started.window
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert "damaged" in told[0] and "newest good backup" in told[0]
    assert not window.checking.label.isVisible()
    assert "Warning" in window.statusBar().currentMessage()
    with pytest.raises(Exception, match="Nothing of this change was saved"):
        register.add_recommendation(window.bench.desk, "Must not land")
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest

"""Screens that read the register off the UI thread show the newest reading: a change that comes in
while a reading is on its way starts another, and the older answer, arriving last, is dropped (the
Register, Letters, Due & overdue and Statistics screens; the transcript search as the clerk types is
tested with the Transcripts screen)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from support.held import Held

from pcc_desk.services import register

# screen: (the module whose function the screen's reading calls, the function, what the screen shows)
READINGS = {
    "register": ("pcc_desk.gui.screens.register", "load_register", lambda s: s.model.rowCount()),
    "letters": ("pcc_desk.gui.screens.letters", "load_choices", lambda s: len(s.rows)),
    "due": ("pcc_desk.gui.screens.due", "load_due", lambda s: s.overdue_model.rowCount()),
    "statistics": ("pcc_desk.services.statistics", "compute", lambda s: s.stats.total.asks),
}


@pytest.mark.parametrize("added", [1, 4])
@pytest.mark.parametrize("key", list(READINGS))
def test_a_change_during_a_reading_is_shown_and_the_older_answer_dropped(
    qtbot, window, desk, sample_register, monkeypatch, key, added
):
    module_name, function, shown = READINGS[key]
    screen = window.show_screen(key)
    qtbot.waitUntil(screen.is_loaded, timeout=20_000)
    before = shown(screen)
    module = importlib.import_module(module_name)
    held = Held(getattr(module, function))
    monkeypatch.setattr(module, function, held)
    screen.reload()  # reads the register as it is now, then waits
    qtbot.waitUntil(held.holding.is_set, timeout=10_000)
    for n in range(added):  # each change is announced while that reading is held
        ref = f"PCC-2023-01-02/{n + 1:02d}"
        window.bench.changes.note_refs(ref)  # (the register reads a row it has not got in full)
        register.add_recommendation(
            desk, f"Ask number {n} added during the reading", made=dt.date(2023, 1, 2), ref=ref
        )
    qtbot.waitUntil(lambda: shown(screen) == before + added, timeout=20_000)
    held.released.set()  # the older answer arrives last
    qtbot.waitUntil(lambda: not window.bench.tasks.busy, timeout=20_000)
    qtbot.wait(50)  # (any answer still queued for the UI thread is delivered)
    assert shown(screen) == before + added
    assert held.calls >= 2

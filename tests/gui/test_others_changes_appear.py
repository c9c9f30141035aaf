"""Other clerks' changes appear on an open screen without a restart: the window polls the journal
(pcc_desk.gui.watch). Two Desks on one register (a file, and a team register): a colleague's edit,
status change and new recommendation show in the open register screen and its detail."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from pcc_desk.services import Desk, register, versions
from pcc_desk.vocabulary import ChangeKind, Status

pytestmark = pytest.mark.backends("sqlite", "postgresql")


@pytest.fixture
def colleague(desk):
    other = Desk.open(desk.location.url if desk.location.is_server else desk.location)
    other.user = "alice"
    yield other
    other.close()


@pytest.fixture
def watching(window):
    """The window's journal watch, polling every 50 ms for the test (every 3 s for a clerk)."""
    window.watch.timer.setInterval(50)
    return window.watch


def _row(screen, ref):
    row = screen.model.row_of(ref)
    return screen.model.record(row) if row is not None else None


@pytest.mark.parametrize("seed", range(2))
def test_a_colleagues_changes_show_in_the_open_register_and_detail(
    qtbot, register_screen, sample_register, colleague, watching, seed
):
    rng = random.Random(seed)
    ref = sample_register[rng.randrange(len(sample_register))]
    register_screen.select_ref(ref)
    panel = register_screen.detail
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.ref == ref)
    qtbot.waitUntil(lambda: watching.seen is not None)
    words = f"Alice's wording {rng.randrange(10_000)}"

    register.edit_recommendation(colleague, ref, text=words)
    register.change_status(colleague, ref, Status.CLOSED_IMPLEMENTED, "Verified")

    qtbot.waitUntil(lambda: _row(register_screen, ref).text == words, timeout=10_000)
    qtbot.waitUntil(lambda: _row(register_screen, ref).status is Status.CLOSED_IMPLEMENTED)
    qtbot.waitUntil(lambda: panel.detail.text == words and panel.edited_values()["text"] == words)
    assert panel.detail.version == register.get_recommendation(colleague, ref).version

    added = register.add_recommendation(
        colleague, "A new ask from the colleague", made=dt.date(2024, 2, 1)
    )
    qtbot.waitUntil(lambda: _row(register_screen, added.ref) is not None, timeout=10_000)


def test_unsaved_edits_stay_when_a_colleague_changes_the_record(
    qtbot, register_screen, sample_register, colleague, watching
):
    ref = sample_register[0]
    register_screen.select_ref(ref)
    panel = register_screen.detail
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.ref == ref)
    qtbot.waitUntil(lambda: watching.seen is not None)
    panel.notes_edit.setPlainText("bob is typing")
    register.edit_recommendation(colleague, ref, text="Alice's wording")
    qtbot.waitUntil(lambda: _row(register_screen, ref).text == "Alice's wording", timeout=10_000)
    assert panel.edited_values()["notes"] == "bob is typing" and panel.has_unsaved_changes()


def test_own_changes_are_not_reported_again_and_others_are(desk, colleague):
    start = versions.changes_by_others(desk, None)
    ref = register.add_recommendation(desk, "Mine", made=dt.date(2024, 1, 5)).ref
    register.edit_recommendation(desk, ref, notes="my note")
    mine = versions.changes_by_others(desk, start.seq)
    assert mine.seq == start.seq + 2 and mine.kinds == frozenset()
    register.change_status(colleague, ref, Status.SUPERSEDED, "Replaced")
    theirs = versions.changes_by_others(desk, mine.seq)
    assert theirs.refs == {ref} and ChangeKind.RECOMMENDATIONS in theirs.kinds
    assert versions.changes_by_others(desk, theirs.seq).kinds == frozenset()
    # the colleague sees the first Desk's changes as others' (an addition: rows come and go, so no
    # exact references: the register reads itself again)
    seen_by_colleague = versions.changes_by_others(colleague, start.seq)
    assert ChangeKind.RECOMMENDATIONS in seen_by_colleague.kinds and not seen_by_colleague.refs

"""The desktop's offline work on a real PostgreSQL team register and real laptop files: File → Work
offline… (the copy made off the screen's thread, with progress and Cancel, then opened), the Sync
button and the status bar's "N changes not yet synced" / "Synced HH:MM", failures in one line, and
the conflicts dialog (Keep mine / Keep theirs / Edit) with what ends in both registers."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import sqlite3
import sys
import threading
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from sqlalchemy.engine import make_url
from support.pg_support import PG_HOST, PG_PORT, PG_USER
from support.undo_samples import WORDS

from pcc_desk import storage
from pcc_desk.postgres import describe_host as host_of
from pcc_desk.services import Desk, credentials, register, sync

pytestmark = pytest.mark.backends("postgresql")


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.sample(WORDS, n))


@pytest.fixture(params=[(1, 3), (2, 11)], ids=["small", "larger"])
def team(request, pg_register):
    """A team register with a generated number of recommendations: (url, refs, seed)."""
    seed, count = request.param
    rng = random.Random(seed)
    with Desk.open(pg_register) as server:
        refs = [
            register.add_recommendation(
                server,
                "The Met should " + _words(rng, rng.randint(3, 9)),
                theme=rng.choice(["Trust", "Neighbourhood policing", "Custody"]),
                addressee=rng.choice(["Sir Mark Rowley", "Sophie Linden"]),
                made=dt.date(2024, 1, 10) + dt.timedelta(days=rng.randint(0, 400)),
            ).ref
            for _ in range(count)
        ]
    return pg_register, refs, seed


@pytest.fixture
def laptop(team, tmp_path):
    url = team[0]
    path = tmp_path / "laptop" / "register.sqlite3"
    sync.checkout(url, path)
    return path


def _window(qtbot, desk):
    from pcc_desk.gui.main_window import MainWindow

    win = MainWindow(desk, restore=False)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def laptop_window(qtbot, laptop):
    desk = Desk.open(laptop)
    win = _window(qtbot, desk)
    qtbot.waitUntil(lambda: win.offline.status is not None, timeout=10_000)
    yield win
    win.runner.cancel_all()
    win.runner.wait(10_000)
    win.bench.desk.close()


@pytest.fixture
def shown_errors(monkeypatch):
    """The one-line errors the window shows (no real message box)."""
    from pcc_desk.gui import offline, workbench

    shown: list[str] = []
    for module in (workbench, offline):
        monkeypatch.setattr(module, "show_error", lambda _parent, error: shown.append(str(error)))
    return shown


@pytest.fixture
def opened_dialogs(monkeypatch):
    """Conflicts dialogs opened (not run modally: the test drives them)."""
    from pcc_desk.gui.dialogs.sync_conflicts import SyncConflictsDialog

    opened: list[SyncConflictsDialog] = []
    monkeypatch.setattr(SyncConflictsDialog, "exec", lambda self: opened.append(self) or 0)
    return opened


def _label(win) -> str:
    return win.offline.label.text()


def _sync_and_wait(qtbot, win) -> None:
    task = win.offline.sync_now()
    assert task is not None and win.offline.syncing
    assert not win.offline.sync_action.isEnabled() and win.offline.sync_now() is None
    qtbot.waitUntil(lambda: not win.offline.syncing, timeout=60_000)
    assert win.offline.sync_action.isEnabled()


# --- File → Work offline… ------------------------------------------------------------------------


def test_work_offline_copies_the_open_team_register_with_progress_and_opens_the_copy(
    qtbot, team, tmp_path, monkeypatch
):
    from pcc_desk.gui import state
    from pcc_desk.gui.dialogs import work_offline

    url, refs, _seed = team
    asked: list[str] = []
    monkeypatch.setattr(work_offline, "ask_open_copy", lambda _p, text: asked.append(text) or True)
    server_desk = Desk.open(url)
    win = _window(qtbot, server_desk)
    assert not win.offline.toolbar.isVisible()  # a team register is no laptop copy
    assert win.offline.work_offline_action in win.menuBar().actions()[0].menu().actions()
    dialog = work_offline.WorkOfflineDialog(win.bench, win)
    assert dialog.url_edit.text() == url  # the team register open now
    target = tmp_path / f"copy-{len(refs)}" / "laptop.sqlite3"
    dialog.path_edit.setText(str(target))
    task = dialog.start()
    seen: list[tuple[int, int]] = []
    task.progressed.connect(lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: dialog.copied is not None, timeout=60_000)
    assert seen and seen[-1][0] == seen[-1][1] > len(refs)  # rows copied, of all of them
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert asked and str(target) in asked[0]
    qtbot.waitUntil(lambda: win.bench.desk.location.path == target.resolve(), timeout=30_000)
    assert state.chosen_database() == str(target)  # and at every start
    qtbot.waitUntil(lambda: win.offline.toolbar.isVisible(), timeout=10_000)
    assert _label(win) == "No changes to sync"
    assert {r.ref for r in register.list_recommendations(win.bench.desk)} == set(refs)
    origin = sync.origin(win.bench.desk)
    assert origin is not None and credentials.same_register(origin.server, url)
    win.runner.wait(10_000)
    win.bench.desk.close()


def test_cancelling_work_offline_leaves_no_copy_and_the_window_where_it_was(
    qtbot, team, tmp_path, monkeypatch
):
    from pcc_desk.gui.dialogs import work_offline

    url, refs, _seed = team
    real = sync.checkout
    reached, cancelled = threading.Event(), threading.Event()

    def held(*args, progress, **kwargs):  # the real copy, held at its first batch until Cancel
        def told(done, total):
            reached.set()
            cancelled.wait(30)
            progress(done, total)

        return real(*args, progress=told, **kwargs)

    monkeypatch.setattr(work_offline.offline.sync, "checkout", held)
    monkeypatch.setattr(work_offline, "ask_open_copy", lambda *_: pytest.fail("nothing to open"))
    server_desk = Desk.open(url)
    win = _window(qtbot, server_desk)
    dialog = work_offline.WorkOfflineDialog(win.bench, win)
    folder = tmp_path / f"cancel-{len(refs)}"
    dialog.path_edit.setText(str(folder / "laptop.sqlite3"))
    task = dialog.start()
    assert reached.wait(30)
    dialog.cancel_button.click()  # Cancel while copying: stops the copy, the dialog stays
    assert dialog.isVisible() or dialog.result() == 0
    cancelled.set()
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    assert dialog.problem_label.text() == "Cancelled; no laptop copy was made."
    assert not folder.exists() or list(folder.iterdir()) == []  # not even a partial file
    assert dialog.copied is None and win.bench.desk is server_desk
    win.runner.wait(10_000)
    server_desk.close()


def test_work_offline_refuses_an_address_that_is_not_a_team_register(qtbot, laptop_window):
    from pcc_desk.gui.dialogs.work_offline import WorkOfflineDialog

    dialog = WorkOfflineDialog(laptop_window.bench, laptop_window)
    origin = sync.origin(laptop_window.bench.desk)
    assert credentials.same_register(
        dialog.url_edit.text(), origin.server
    )  # a laptop copy: the register it came from
    dialog.url_edit.setText("not-a-server/register")
    assert dialog.start() is None
    assert "postgresql://" in dialog.problem_label.text()
    dialog.url_edit.setText(origin.server)
    dialog.path_edit.setText(str(laptop_window.bench.desk.location.path))
    assert dialog.start() is None and "open now" in dialog.problem_label.text()


# --- the Sync button and the status bar ----------------------------------------------------------


def test_the_app_started_on_a_laptop_copy_shows_its_sync(qtbot, launch, team, laptop):
    url, refs, seed = team
    with Desk.open(laptop) as desk:
        for n in range(seed):
            register.edit_recommendation(desk, refs[n % len(refs)], notes=f"before the start {n}")
    started = launch(laptop)
    win = started.window
    qtbot.waitUntil(lambda: win.offline.toolbar.isVisible(), timeout=10_000)
    word = "change" if seed == 1 else "changes"
    qtbot.waitUntil(lambda: _label(win) == f"{seed} {word} not yet synced", timeout=10_000)
    assert win.offline.sync_action.isEnabled()
    assert host_of(url) in win.offline.label.toolTip()


def test_a_plain_file_shows_no_sync(qtbot, db_path):
    desk = Desk.open(db_path)
    win = _window(qtbot, desk)
    qtbot.waitUntil(lambda: win.offline.status is not None, timeout=10_000)
    assert not win.offline.toolbar.isVisible() and not win.offline.label.isVisible()
    assert not win.offline.sync_action.isEnabled()
    win.runner.wait(10_000)
    desk.close()


def test_changes_are_counted_then_synced_both_ways_and_the_screens_reload(
    qtbot, team, laptop_window, shown_errors
):
    url, refs, seed = team
    rng = random.Random(seed * 13)
    win = laptop_window
    assert (
        win.offline.toolbar.isVisible() and win.offline.sync_action in win.offline.toolbar.actions()
    )
    assert _label(win) == "No changes to sync"
    screen = win.start("register")
    qtbot.waitUntil(screen.is_loaded, timeout=10_000)
    desk = win.bench.desk
    edited = rng.sample(refs, min(len(refs), 1 + seed))
    notes = {ref: "Laptop: " + _words(rng, 5) for ref in edited}
    for n, ref in enumerate(edited, start=1):
        register.edit_recommendation(desk, ref, notes=notes[ref])
        word = "change" if n == 1 else "changes"
        qtbot.waitUntil(
            lambda n=n, w=word: _label(win) == f"{n} {w} not yet synced", timeout=10_000
        )
    added = register.add_recommendation(
        desk, "Offline: " + _words(rng, 6), theme="Trust", made=dt.date(2025, 3, 3)
    ).ref
    pending = len(edited) + 1
    qtbot.waitUntil(lambda: _label(win) == f"{pending} changes not yet synced", timeout=10_000)
    on_show = refs[-1]  # the recommendation on screen, which a colleague edits
    assert screen.select_ref(on_show)
    qtbot.waitUntil(lambda: screen.detail.detail is not None, timeout=10_000)
    their_ask = "The Met should (office) " + _words(rng, 7)
    with Desk.open(url) as server:  # a colleague at the office meanwhile
        colleague = register.add_recommendation(
            server, "Office: " + _words(rng, 6), theme="Custody", made=dt.date(2025, 4, 4)
        ).ref
        register.edit_recommendation(server, on_show, text=their_ask)
    qtbot.waitUntil(  # the screen shows the laptop's own new ask before it is counted
        lambda: added in {screen.model.record(r).ref for r in range(screen.model.rowCount())},
        timeout=10_000,
    )
    rows_before = screen.model.rowCount()
    _sync_and_wait(qtbot, win)
    assert shown_errors == []
    assert re.fullmatch(r"Synced \d\d:\d\d", _label(win)), _label(win)
    assert "2 change(s) received" in win.statusBar().currentMessage()
    qtbot.waitUntil(lambda: screen.model.rowCount() == rows_before + 1, timeout=10_000)
    qtbot.waitUntil(lambda: screen.detail.ask_edit.toPlainText() == their_ask, timeout=10_000)
    shown = {screen.model.record(r).ref for r in range(screen.model.rowCount())}
    assert colleague in shown and added in shown
    with Desk.open(url) as server:  # the laptop's work is on the server
        for ref, text in notes.items():
            assert register.get_recommendation(server, ref).notes == text
        server_refs = {r.ref for r in register.list_recommendations(server)}
    assert server_refs == {r.ref for r in register.list_recommendations(desk)}
    assert sync.pending_count(desk) == 0
    register.edit_recommendation(desk, edited[0], notes="after the sync")
    qtbot.waitUntil(lambda: _label(win) == "1 change not yet synced", timeout=10_000)


def _set_origin_server(laptop: Path, server: str) -> None:
    conn = sqlite3.connect(laptop)
    try:
        (value,) = conn.execute(
            "SELECT value FROM settings WHERE key = ?", (sync.SYNC_KEY,)
        ).fetchone()
        mark = json.loads(value)
        mark["server"] = server
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = ?", (json.dumps(mark), sync.SYNC_KEY)
        )
        conn.commit()
    finally:
        conn.close()


def _set_server_revision(url: str, revision: str) -> None:
    with psycopg.connect(
        host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=make_url(url).database, autocommit=True
    ) as conn:
        conn.execute("UPDATE alembic_version SET version_num = %s", (revision,))


@pytest.mark.parametrize("failure", ["unreachable", "schema"])
def test_a_failed_sync_says_why_in_one_line_and_changes_nothing(
    qtbot, team, laptop, tmp_path, shown_errors, failure
):
    url, refs, seed = team
    if failure == "unreachable":
        nowhere = tmp_path / "no-server-here"
        _set_origin_server(laptop, f"postgresql+psycopg://{PG_USER}@/pcc?host={nowhere}")
    else:
        _set_server_revision(url, "9999")
    desk = Desk.open(laptop)
    win = _window(qtbot, desk)
    register.edit_recommendation(desk, refs[seed % len(refs)], notes=f"offline {failure} {seed}")
    qtbot.waitUntil(lambda: _label(win) == "1 change not yet synced", timeout=10_000)
    hooked: list[BaseException] = []
    old_hook = sys.excepthook
    sys.excepthook = lambda _t, e, _tb: hooked.append(e)
    try:
        _sync_and_wait(qtbot, win)
    finally:
        sys.excepthook = old_hook
    assert hooked == [] and len(shown_errors) == 1
    message = shown_errors[0]
    assert "\n" not in message and "Traceback" not in message
    if failure == "unreachable":
        assert "cannot be reached" in message and str(nowhere) in message
    else:
        assert "at schema 9999" in message and "nothing was synced" in message
        _set_server_revision(url, storage.HEAD_REVISION)
    qtbot.waitUntil(lambda: _label(win) == "1 change not yet synced", timeout=10_000)
    assert win.offline.sync_action.isEnabled()
    with Desk.open(url) as server:
        assert register.get_recommendation(server, refs[seed % len(refs)]).notes != (
            f"offline {failure} {seed}"
        )
    win.runner.wait(10_000)
    desk.close()


# --- the conflicts dialog ------------------------------------------------------------------------


def test_conflicts_are_shown_side_by_side_and_settled_mine_theirs_or_edited(
    qtbot, team, laptop_window, shown_errors, opened_dialogs
):
    url, refs, seed = team
    rng = random.Random(seed * 101)
    win = laptop_window
    desk = win.bench.desk
    chosen = [refs[i % len(refs)] for i in range(3)] if len(refs) < 3 else rng.sample(refs, 3)
    # three different fields (a recommendation may be chosen more than once when there are few)
    fields = ["notes", "text", "addressee"]
    size = {"notes": 14, "text": 26, "addressee": 2}  # a note, a whole ask, a name
    mine = {f: f"Mine {seed}: " + _words(rng, n + seed) for f, n in size.items()}
    theirs = {f: f"Theirs {seed}: " + _words(rng, n) for f, n in size.items()}
    for ref, name in zip(chosen, fields, strict=True):
        register.edit_recommendation(desk, ref, **{name: mine[name]})
    with Desk.open(url) as server:
        for ref, name in zip(chosen, fields, strict=True):
            register.edit_recommendation(server, ref, **{name: theirs[name]})
    _sync_and_wait(qtbot, win)
    assert shown_errors == []
    assert len(opened_dialogs) == 1  # opened by the sync that found them
    qtbot.waitUntil(lambda: 'href="conflicts">3 conflicts</a>' in _label(win), timeout=10_000)
    dialog = opened_dialogs[0]
    qtbot.addWidget(dialog)
    cards = {card.conflict.field: card for card in dialog.cards}
    assert set(cards) == set(fields)
    labels = {"notes": "Notes", "text": "The ask", "addressee": "Addressee"}
    for ref, name in zip(chosen, fields, strict=True):
        card = cards[name]
        assert card.title() == f"{ref} — {labels[name]}"
        assert card.mine_box.toPlainText() == mine[name]
        assert card.theirs_box.toPlainText() == theirs[name]
        assert card.mine_box.isReadOnly()
    if os.environ.get("PCC_DESK_SCREENSHOTS"):
        dialog.resize(900, 620)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.grab().save(
            str(Path(os.environ["PCC_DESK_SCREENSHOTS"]) / "screenshot-sync-conflicts.png")
        )

    cards["notes"].keep_mine_button.click()
    cards["addressee"].keep_theirs_button.click()
    editing = cards["text"]
    editing.edit_button.click()
    assert not editing.mine_box.isReadOnly() and editing.mine_box.toPlainText() == mine["text"]
    merged = f"Merged ({seed}): " + mine["text"] + " / " + theirs["text"]
    editing.mine_box.setPlainText(merged)
    editing.save_button.click()
    assert dialog.open_cards() == []
    assert "keeps your value" in cards["notes"].result_label.text()
    assert "keeps the team register's value" in cards["addressee"].result_label.text()
    assert dialog.heading.text() == "Every conflict is settled."
    qtbot.waitUntil(lambda: _label(win) == "2 changes not yet synced", timeout=10_000)
    _sync_and_wait(qtbot, win)
    assert len(opened_dialogs) == 1 and shown_errors == []
    expected = {"notes": mine["notes"], "text": merged, "addressee": theirs["addressee"]}
    for db in (url, desk.location.path):
        with Desk.open(db) as side:
            for ref, name in zip(chosen, fields, strict=True):
                assert getattr(register.get_recommendation(side, ref), name) == expected[name]
    assert sync.conflicts(desk) == []
    qtbot.waitUntil(lambda: bool(re.fullmatch(r"Synced \d\d:\d\d", _label(win))), timeout=10_000)


def test_the_status_bar_link_opens_the_conflicts_and_a_choice_field_is_not_typed(
    qtbot, team, laptop_window, opened_dialogs
):
    url, refs, seed = team
    win = laptop_window
    ref = refs[-1]
    register.edit_recommendation(win.bench.desk, ref, made=dt.date(2020, 1, 1 + seed))
    with Desk.open(url) as server:
        register.edit_recommendation(server, ref, made=dt.date(2021, 2, 2 + seed))
    _sync_and_wait(qtbot, win)
    qtbot.waitUntil(lambda: "1 conflict</a>" in _label(win), timeout=10_000)
    win.offline.label.linkActivated.emit("conflicts")
    assert len(opened_dialogs) == 2
    (card,) = opened_dialogs[-1].cards
    qtbot.addWidget(opened_dialogs[0])
    qtbot.addWidget(opened_dialogs[-1])
    assert card.title() == f"{ref} — Date made"
    assert card.mine_box.toPlainText() == f"{1 + seed} January 2020"
    assert card.theirs_box.toPlainText() == f"{2 + seed} February 2021"
    assert not card.edit_button.isEnabled()  # a date: one of the two
    card.keep_mine_button.click()
    qtbot.waitUntil(lambda: _label(win) == "1 change not yet synced", timeout=10_000)
    assert register.get_recommendation(win.bench.desk, ref).made == dt.date(2020, 1, 1 + seed)


def test_a_conflict_that_cannot_be_settled_says_why_on_its_card(
    qtbot, team, laptop_window, opened_dialogs
):
    url, refs, seed = team
    win = laptop_window
    ref = refs[seed % len(refs)]
    register.edit_recommendation(win.bench.desk, ref, notes=f"mine {seed}")
    with Desk.open(url) as server:
        register.edit_recommendation(server, ref, notes=f"theirs {seed}")
    _sync_and_wait(qtbot, win)
    (dialog,) = opened_dialogs
    qtbot.addWidget(dialog)
    (card,) = dialog.cards
    assert card.title() == f"{ref} — Notes"
    register.remove_recommendation(win.bench.desk, ref)  # taken out meanwhile (another window)
    card.keep_mine_button.click()
    assert card.result_label.text() == (
        "The recommendation of that conflict is no longer in the register."
    )
    assert card.keep_mine_button.isEnabled() and dialog.open_cards() == [card]
    assert len(sync.conflicts(win.bench.desk)) == 1
    qtbot.waitUntil(lambda: "1 conflict</a>" in _label(win), timeout=10_000)


def test_an_undo_the_server_refuses_is_one_line_and_the_colleagues_work_stays(
    qtbot, team, laptop_window, shown_errors, opened_dialogs
):
    from pcc_desk.services import undo

    url, refs, seed = team
    win = laptop_window
    desk = win.bench.desk
    ref = refs[(seed * 5) % len(refs)]
    register.edit_recommendation(desk, ref, notes=f"laptop notes {seed}")
    _sync_and_wait(qtbot, win)
    with Desk.open(url) as server:  # a colleague works on it since
        register.edit_recommendation(server, ref, notes=f"colleague's notes {seed}")
    undo.undo(desk)  # offline, not having seen it, the clerk undoes their edit
    qtbot.waitUntil(lambda: _label(win) == "1 change not yet synced", timeout=10_000)
    _sync_and_wait(qtbot, win)
    # said in words, a line a refusal (the sync stops there, or lists it and goes on)
    assert len(shown_errors) == 1 and "was refused" in shown_errors[0]
    assert all(line.strip() and "Traceback" not in line for line in shown_errors[0].splitlines())
    with Desk.open(url) as server:
        assert register.get_recommendation(server, ref).notes == f"colleague's notes {seed}"
    # listed as not sent until the clerk dismisses it (nothing on the laptop is undone by that)
    qtbot.waitUntil(lambda: "1 not sent</a>" in _label(win), timeout=10_000)
    win.offline.label.linkActivated.emit("conflicts")
    dialog = opened_dialogs[-1]
    qtbot.addWidget(dialog)
    assert dialog.not_sent is not None and dialog.refused == sync.refusals(desk)
    assert "was refused" in dialog.refused[0]
    before = register.get_recommendation(desk, ref)
    dialog.dismiss_button.click()
    assert sync.refusals(desk) == [] and dialog.not_sent.isHidden()
    qtbot.waitUntil(lambda: "not sent" not in _label(win), timeout=10_000)
    assert register.get_recommendation(desk, ref) == before


def test_cancel_stops_a_sync_between_two_changes_and_the_next_sync_finishes(
    qtbot, team, laptop_window, monkeypatch
):
    from pcc_desk.services import sync_faults

    url, _refs, seed = team
    win = laptop_window
    for n in range(3):
        register.add_recommendation(win.bench.desk, f"Offline ask {n} ({seed})", theme="Trust")
    qtbot.waitUntil(lambda: _label(win) == "3 changes not yet synced", timeout=10_000)
    reached, go_on = threading.Event(), threading.Event()
    real = sync_faults.checkpoint

    def held() -> None:  # the first checkpoint waits until the clerk has pressed Cancel
        if not reached.is_set():
            reached.set()
            go_on.wait(30)
        real()

    monkeypatch.setattr(sync_faults, "checkpoint", held)
    win.offline.sync_now()
    assert reached.wait(30) and win.progress.cancel_button.isEnabled()
    qtbot.mouseClick(win.progress.cancel_button, Qt.MouseButton.LeftButton)
    go_on.set()
    qtbot.waitUntil(lambda: not win.offline.syncing, timeout=60_000)
    assert "Sync stopped" in win.statusBar().currentMessage()
    with Desk.open(url) as server:  # stopped before the first change was sent
        assert not [r for r in register.list_recommendations(server) if "Offline ask" in r.text]
    qtbot.waitUntil(lambda: _label(win) == "3 changes not yet synced", timeout=10_000)
    monkeypatch.setattr(sync_faults, "checkpoint", real)
    _sync_and_wait(qtbot, win)
    with Desk.open(url) as server:
        sent = [r for r in register.list_recommendations(server) if "Offline ask" in r.text]
    assert len(sent) == 3
    qtbot.waitUntil(lambda: _label(win).startswith("Synced"), timeout=10_000)

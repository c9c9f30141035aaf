"""The register's rows are on screen before the register is open: read ahead from the file, shown
read-only while SQLAlchemy, the services and the Desk load; the Register screen then takes that very
table over. Nothing is changed before the register is open; a file the Desk cannot open as it was
read (damaged, from an older version, changed meanwhile) goes through today's way and the screen
shows the open register's rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import sys
from pathlib import Path

import pytest
from support.big_register import build
from support.damage import fold

from pcc_desk import backup, storage
from pcc_desk.gui import app
from pcc_desk.gui.screens import register as register_screen
from pcc_desk.services import Desk, register
from pcc_desk.vocabulary import Assessment, Position

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(path: Path) -> tuple[str, str | None]:
    """The file's bytes and its write-ahead log's (None when there is none)."""
    wal = storage.sidecars(path)[0]
    return _digest(path), _digest(wal) if wal.exists() else None


def _fill(db_path: Path, *, rows: int, letters: int, seed: int) -> None:
    """A generated register, with responses and joint asks on some of its asks."""
    refs = build(db_path, recommendations=rows, letters=letters, seed=seed)
    rng = random.Random(seed)
    with Desk.open(db_path) as desk:
        for ref in rng.sample(refs, max(1, rows // 10)):
            register.log_response(
                desk,
                ref,
                received=dt.date(2025, 2, 1) + dt.timedelta(days=rng.randrange(60)),
                position=rng.choice(list(Position)),
                assessment=rng.choice(list(Assessment)),
                text="A reply.",
            )
        for ref in rng.sample(refs, 2):  # joint asks: two addressees more each
            for _ in range(2):
                register.add_addressee(desk, ref, f"Addressee {rng.randrange(1000)}")


def _shown(proxy) -> list:
    return [proxy.record(row) for row in range(proxy.rowCount())]


@pytest.fixture
def at_opening(monkeypatch):
    """Runs ``what(window)`` at the moment the register starts opening (the rows read ahead are on
    screen by then, if they are shown at all); returns what each call returned."""
    seen: list = []

    def install(what):
        real = app.open_register

        def opening(parent, location, **kwargs):
            seen.append(what(parent))
            return real(parent, location, **kwargs)

        monkeypatch.setattr(app, "open_register", opening)
        return seen

    return install


def _repeated_offered(combo) -> bool:
    """Whether "Asked more than once" can be chosen (it needs the open register's links)."""
    return combo.model().item(combo.findData("repeated")).isEnabled()


def _snapshot(window):
    browser = window.read_ahead
    if browser is None:
        return None
    return {
        "browser": browser,
        "rows": _shown(browser.proxy),
        "count": browser.count_label.text(),
        "themes": [browser.theme_combo.itemText(i) for i in range(browser.theme_combo.count())],
        "visible": browser.isVisible(),
        "repeated": _repeated_offered(browser.status_combo),
        "open": window.bench is not None,
        "status": window.statusBar().currentMessage(),
    }


@pytest.mark.parametrize(("rows", "letters", "seed"), [(30, 4, 1), (140, 11, 7)])
def test_the_rows_read_ahead_are_the_open_registers_and_the_screen_takes_them_over(
    qtbot, launch, db_path, at_opening, monkeypatch, rows, letters, seed
):
    _fill(db_path, rows=rows, letters=letters, seed=seed)
    loads = []
    real_load = register_screen.load_register
    monkeypatch.setattr(
        register_screen, "load_register", lambda *a, **k: loads.append(1) or real_load(*a, **k)
    )
    seen = at_opening(_snapshot)
    started = launch(db_path)
    (early,) = seen
    assert early is not None and early["visible"] and not early["open"]
    assert not early["repeated"]
    assert early["status"] == "Opening the register… (read-only until it is open)"
    assert early["count"] == f"{rows:,} recommendations"
    screen = started.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    assert screen.browser is early["browser"]  # the very table, taken over
    assert _repeated_offered(screen.status_combo)
    assert started.window.read_ahead is None
    assert loads == []  # not read again
    with Desk.open(db_path) as desk:
        expected = register.register_table(desk)
    by_ref = sorted(expected.rows, key=lambda r: r.ref)
    assert early["rows"] == by_ref  # the same values, in the table's order (by reference)
    assert _shown(screen.proxy) == by_ref
    assert early["themes"][1:] == expected.themes
    assert any(r.latest_assessment for r in early["rows"])
    assert any(r.addressee_lines for r in early["rows"])


def test_nothing_is_changed_before_the_register_is_open_and_filters_typed_meanwhile_stay(
    qtbot, launch, db_path, at_opening, tmp_path
):
    _fill(db_path, rows=40, letters=5, seed=3)
    letter = tmp_path / "letter.md"
    letter.write_text("# A letter\n\n1. The Met should publish its timescales.\n")

    def try_to_write(window):
        before = _state(db_path)
        window.new_recommendation()
        said = window.statusBar().currentMessage()
        window.save_current()
        window.open_settings()
        window.import_files([letter], "letter")
        window.import_files([letter])  # dropped
        window.read_ahead.search_edit.setText("timescales")
        return {
            "said": said,
            "after": window.statusBar().currentMessage(),
            "unchanged": _state(db_path) == before,
            "filtered": window.read_ahead.proxy.rowCount(),
        }

    seen = at_opening(try_to_write)
    started = launch(db_path)
    (tried,) = seen
    assert "still opening" in tried["said"] and "nothing was changed" in tried["said"]
    assert "still opening" in tried["after"]
    assert tried["unchanged"]
    assert 0 < tried["filtered"] < 40
    window = started.window
    screen = window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    assert screen.search_edit.text() == "timescales"
    assert screen.proxy.rowCount() == tried["filtered"]
    assert all("timescales" in r.text.lower() for r in _shown(screen.proxy))
    # once open, an edit lands (after the whole-file check, if it runs)
    ref = screen.current_ref()
    assert ref is not None
    screen.detail.ask_edit.setPlainText("Edited once the register was open.")
    window.save_current()
    qtbot.waitUntil(lambda: not screen.detail.has_unsaved_changes(), timeout=10_000)
    with Desk.open(db_path) as desk:
        assert register.get_recommendation(desk, ref).text == "Edited once the register was open."


def test_a_register_at_an_older_version_is_migrated_first_and_its_rows_come_from_the_desk(
    qtbot, launch, tmp_path, at_opening
):
    head = f"register-{storage.HEAD_REVISION}"
    older = sorted(p for p in FIXTURES.glob("register-*.sqlite3") if p.stem != head)[-1]
    path = tmp_path / "older.sqlite3"
    shutil.copyfile(older, path)
    seen = at_opening(_snapshot)
    started = launch(path)
    assert seen == [None]  # not shown: the file is not at this version's schema
    screen = started.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    with Desk.open(path) as desk:
        expected = sorted(register.register_rows(desk), key=lambda r: r.ref)
    assert _shown(screen.proxy) == expected


def test_a_register_changed_after_it_was_read_ahead_shows_the_desks_rows(
    qtbot, launch, db_path, at_opening
):
    _fill(db_path, rows=25, letters=3, seed=5)

    def then_write(window):
        shown = _snapshot(window)
        with Desk.open(db_path) as desk:
            register.add_recommendation(desk, "Added meanwhile", made=dt.date(2025, 3, 1))
        return shown

    seen = at_opening(then_write)
    started = launch(db_path)
    assert seen[0] is not None and len(seen[0]["rows"]) == 25
    assert started.window.preloaded == {}
    screen = started.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    texts = [r.text for r in _shown(screen.proxy)]
    assert len(texts) == 26 and "Added meanwhile" in texts


@pytest.mark.parametrize("kept", [0.5, 0.8])
def test_a_damaged_register_goes_through_recovery_and_the_screen_shows_the_restored_rows(
    qtbot, launch, db_path, at_opening, monkeypatch, kept
):
    _fill(db_path, rows=60, letters=6, seed=int(kept * 10))
    backup.take_backup(storage.resolve_location(db_path), "auto")
    with Desk.open(db_path) as desk:
        expected = sorted(register.register_rows(desk), key=lambda r: r.ref)
        register.add_recommendation(desk, "After the backup", made=dt.date(2025, 3, 1))
    fold(db_path)
    with open(db_path, "r+b") as handle:  # cut short, as a copy that stopped half-way
        handle.truncate(int(db_path.stat().st_size * kept))
    asked = []
    monkeypatch.setattr(
        app,
        "ask_recovery",
        lambda parent, error: asked.append(str(error)) or backup.CHOICE_RESTORE_LATEST,
    )
    seen = at_opening(_snapshot)
    started = launch(db_path)
    assert len(asked) == 1 and "damaged" in asked[0]  # today's dialog
    screen = started.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    assert started.window.read_ahead is None
    assert _shown(screen.proxy) == expected  # the backup's rows, from the open register
    assert "After the backup" not in [r.text for r in _shown(screen.proxy)]
    assert list(db_path.parent.glob("register.damaged-*.sqlite3"))
    assert seen  # (the rows read ahead were shown or not: a file cut short may not be read)


@pytest.mark.parametrize(
    ("column", "order"), [("COL_DUE", "DescendingOrder"), ("COL_STATUS", "AscendingOrder")]
)
def test_the_rows_read_ahead_are_in_the_order_the_clerk_left_the_table_in(
    qtbot, launch, db_path, at_opening, column, order
):
    """The table's columns and sort order are the ones kept from the last session, from the first
    row shown: nothing moves when the register opens."""
    from PySide6.QtCore import Qt

    from pcc_desk.gui import state
    from pcc_desk.gui.models import register_model

    _fill(db_path, rows=50, letters=6, seed=len(column))
    first = launch(db_path)
    screen = first.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    screen.table.sortByColumn(getattr(register_model, column), getattr(Qt.SortOrder, order))
    screen.save_state(state.window_settings())
    first.window.close()
    first.window.bench.desk.close()
    first.instance.release()
    seen = at_opening(_snapshot)
    again = launch(db_path)
    (early,) = seen
    screen = again.window.start("register")
    qtbot.waitUntil(screen.is_loaded)
    assert early["rows"] == _shown(screen.proxy)
    assert early["rows"] != sorted(early["rows"], key=lambda r: r.ref)

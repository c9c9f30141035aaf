"""The register's table read ahead from the launch on (:mod:`pcc_desk.services.read_ahead`): SQLite's
part at once, Python's part only once the window is on screen; any text read back exactly; a file
that cannot be read that way leaves no table and no error; nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from pcc_desk.services import Desk, read_ahead, register, register_file
from pcc_desk.vocabulary import Assessment, Position

MADE = dt.date(2024, 5, 2)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "db"

AWKWARD = [
    'The Met should publish "stop and search" data \\ by borough',
    "Line one\nline two\ttabbed, a bell \x07 and a NUL \x00 inside",
    "Ça, naïve façade, Zoë's café: ŒUVRE; Ελληνικά ΣΟΦΟΣ; 日本語; emoji 👮🏽‍♀️",
    "Unicode line and paragraph separators: \u2028 \u2029 and a BOM \ufeff",
    '[1, 2] {"json": true} ]] }} \\u0041',
]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _awkward_register(desk) -> None:
    for n, text in enumerate(AWKWARD):
        ref = register.add_recommendation(
            desk,
            text,
            theme=f'Theme «{n}» "quoted" \\',
            made=MADE + dt.timedelta(days=n),
            addressee=f"Addressee {text[:12]}",
        ).ref
        if n % 2:
            register.log_response(
                desk,
                ref,
                received=MADE + dt.timedelta(days=10),
                position=Position.ACCEPTED,
                assessment=Assessment.ADDRESSED,
                text=text,
            )


def test_any_text_is_read_ahead_exactly_as_the_orm_reads_it(desk):
    _awkward_register(desk)
    raw = 'Stored as it came, controls and all: \x00 \x07 \x1b \x7f "\\'
    with sqlite3.connect(desk.location.path) as conn:  # (the services clean what they are given)
        conn.execute("UPDATE recommendations SET text = ? WHERE rowid = 1", (raw,))
    expected = register.register_table(desk)
    reading = read_ahead.ReadAhead(desk.location.path)
    assert reading.still_current()
    assert reading.table == expected
    texts = {r.text for r in reading.table.rows}
    assert raw in texts and "\n" in "".join(texts) and "👮🏽\u200d♀️" in "".join(texts)


def test_the_values_are_made_only_once_the_window_is_shown(desk, monkeypatch):
    """SQLite's part runs at once; Python's (which would hold up the window) waits for go_on()."""
    _awkward_register(desk)
    fetched, made = threading.Event(), []
    real_fetch, real_table_of = register_file.fetch_register, register_file.table_of

    def fetch(path, **options):
        try:
            return real_fetch(path, **options)
        finally:
            fetched.set()

    monkeypatch.setattr(register_file, "fetch_register", fetch)
    monkeypatch.setattr(register_file, "table_of", lambda f: made.append(1) or real_table_of(f))
    reading = read_ahead.ReadAhead(desk.location.path)
    assert fetched.wait(30)
    assert reading._thread is not None
    reading._thread.join(0.5)
    assert reading._thread.is_alive() and made == [] and reading.table is None
    reading.go_on()
    assert reading.still_current() and made == [1]
    assert len(reading.table.rows) == len(AWKWARD)


def test_reading_ahead_writes_nothing_and_a_change_meanwhile_is_seen(desk):
    _awkward_register(desk)
    path = desk.location.path
    desk.close()
    before = _digest(path)
    reading = read_ahead.ReadAhead(path)
    assert reading.still_current()
    assert _digest(path) == before
    with Desk.open(path) as again:  # another writer, after the reading began
        register.add_recommendation(again, "Added meanwhile", made=MADE)
    assert not reading.still_current()


def test_a_value_sqlite_cannot_put_in_json_leaves_no_table_and_no_error(desk):
    """A damaged or hostile file (here a blob where an ask's text belongs): no table; the register
    then loads as usual once it is open (and its own checks speak)."""
    _awkward_register(desk)
    path = desk.location.path
    desk.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE recommendations SET text = x'00ff10' WHERE rowid = 1")
    with pytest.raises(sqlite3.Error):
        register_file.read_register_table(path)
    reading = read_ahead.ReadAhead(path)
    assert not reading.still_current() and reading.table is None


@pytest.mark.parametrize("what", ["missing", "empty", "not sqlite"])
def test_no_file_or_no_register_leaves_no_table(tmp_path, what):
    path = tmp_path / "register.sqlite3"
    if what == "empty":
        path.write_bytes(b"")
    elif what == "not sqlite":
        path.write_bytes(b"PCC Desk? no: a letter.\n" * 100)
    reading = read_ahead.ReadAhead(path)
    assert not reading.still_current() and reading.table is None
    reading.drop()
    assert [p.name for p in tmp_path.iterdir()] == ([] if what == "missing" else [path.name])


def _listing(folder) -> dict[str, str]:
    return {p.name: _digest(p) for p in folder.iterdir()}


def test_a_newer_versions_file_gives_no_table_and_is_left_untouched(desk):
    """Read ahead before it is refused: not a byte written, no -wal or -shm left beside it."""
    _awkward_register(desk)
    path = desk.location.path
    desk.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.close()
    before = _listing(path.parent)
    reading = read_ahead.ReadAhead(path)
    assert not reading.still_current() and reading.table is None
    assert _listing(path.parent) == before


@pytest.mark.parametrize("older", ["register-0001", "register-0008", "register-0011"])
def test_an_older_versions_file_gives_no_table_and_is_left_untouched(tmp_path, older):
    """(It is migrated, after a backup, once the register opens; its rows come from the Desk.)"""
    path = tmp_path / "register.sqlite3"
    shutil.copyfile(FIXTURES / f"{older}.sqlite3", path)
    before = _listing(tmp_path)
    reading = read_ahead.ReadAhead(path)
    assert not reading.still_current() and reading.table is None
    assert _listing(tmp_path) == before

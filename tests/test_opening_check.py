"""Opening at once, safely: the cheap checks on every opening, the whole-file check when it is due
(never checked here, the file changed since, not closed cleanly, a week since the last pass, damage
seen), and, in the background mode the desktop uses, writes held until that check has passed: a
write made meanwhile waits and then lands; on a damaged file it is refused and nothing is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import threading
from pathlib import Path

import pytest
from support.damage import damage_a_page, fold

from pcc_desk import backup, storage
from pcc_desk.errors import DatabaseDamaged
from pcc_desk.services import Desk, register
from pcc_desk.storage import checking


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM recommendations").fetchone()[0]
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _filled(path: Path, n: int) -> None:
    with Desk.open(path) as desk:
        for i in range(n):
            register.add_recommendation(desk, f"Ask {i} " + "words " * (i % 9 * 20))


@pytest.fixture
def held_check(monkeypatch):
    """``hold()``: from then on the whole-file check is held at its start until the test lets it
    go (``release.set()``); ``runs`` counts how often it ran."""
    release = threading.Event()
    runs = []
    real = checking.full_check_problem

    def held(path):
        runs.append(path)
        assert release.wait(60), "the test never let the check go"
        return real(path)

    def hold():
        monkeypatch.setattr(checking, "full_check_problem", held)
        monkeypatch.setattr(storage.health, "full_check_problem", held)

    yield hold, release, runs
    release.set()


# --- when the whole-file check is due ------------------------------------------------------------


def test_a_register_closed_cleanly_after_its_check_opens_without_the_whole_file_check(db_path):
    _filled(db_path, 3)
    assert checking.full_check_due(db_path) == ""
    passed, stamp = storage.read_record(db_path)
    assert stamp == checking.file_stamp(db_path)
    with Desk.open(db_path, background_check=True) as desk:
        assert not desk.checking.checking
        register.add_recommendation(desk, "Lands at once")
    assert storage.read_record(db_path)[0] == passed  # no check ran: the pass keeps its date
    assert checking.full_check_due(db_path) == ""


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_whole_file_check_is_due_when_it_can_matter(db_path, seed):
    rng = random.Random(seed)
    _filled(db_path, rng.randint(2, 9))
    assert checking.full_check_due(db_path) == ""
    # another program wrote to the file
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE recommendations SET text = text || ? WHERE rowid = 1", (" x" * seed,))
    conn.commit()
    conn.close()
    fold(db_path)
    assert "changed" in checking.full_check_due(db_path)
    storage.record_pass(db_path)
    assert checking.full_check_due(db_path) == ""
    # a week and a bit later
    later = dt.datetime.now(dt.UTC) + storage.CHECK_EVERY + dt.timedelta(hours=rng.randint(1, 90))
    assert "week" in checking.full_check_due(db_path, now=later)
    # not closed cleanly: the write-ahead log still holds saves
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("UPDATE recommendations SET text = text || 'y' WHERE rowid = 1")
    conn.commit()
    assert "not closed cleanly" in checking.full_check_due(db_path)
    conn.close()
    fold(db_path)
    storage.record_pass(db_path)
    storage.damage_mark(db_path).touch()
    assert "damage" in checking.full_check_due(db_path)
    storage.damage_mark(db_path).unlink()
    storage.checked_record(db_path).write_text("{not json", encoding="utf-8")
    assert checking.full_check_due(db_path)


def test_a_backup_that_passes_its_check_counts_as_a_pass(db_path):
    _filled(db_path, 4)
    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    storage.record_pass(db_path, old)
    assert "week" in checking.full_check_due(db_path)
    backup.take_backup(storage.resolve_location(db_path), "manual")
    assert storage.read_record(db_path)[0] > old
    assert checking.full_check_due(db_path) == ""


# --- writes wait for the check -------------------------------------------------------------------


@pytest.mark.parametrize("writes", [1, 3, 7])
def test_a_write_during_the_check_waits_then_lands(db_path, held_check, writes):
    hold, release, runs = held_check
    _filled(db_path, 5)
    storage.checked_record(db_path).unlink()  # never checked here: the check is due
    hold()
    with Desk.open(db_path, background_check=True) as desk:  # returns while the check is held
        assert desk.checking.checking and len(runs) == 1
        assert len(register.list_recommendations(desk)) == 5  # reads do not wait
        done = []

        def write(i):
            register.add_recommendation(desk, f"Typed while checking {i}")
            done.append(i)

        threads = [threading.Thread(target=write, args=(i,)) for i in range(writes)]
        for thread in threads:
            thread.start()
        threads[0].join(0.5)
        assert not done and all(t.is_alive() for t in threads), "a write went ahead of the check"
        assert _count(db_path) == 5
        release.set()
        for thread in threads:
            thread.join(60)
        assert sorted(done) == list(range(writes))
        assert not desk.checking.checking and desk.checking.problem == ""
        texts = [r.text for r in register.list_recommendations(desk)]
        assert all(f"Typed while checking {i}" in texts for i in range(writes))
    assert _count(db_path) == 5 + writes
    assert checking.full_check_due(db_path) == ""


def test_the_command_line_way_checks_before_opening_when_due(db_path, held_check):
    hold, release, runs = held_check
    _filled(db_path, 2)
    storage.checked_record(db_path).unlink()
    hold()
    opened = []
    thread = threading.Thread(target=lambda: opened.append(Desk.open(db_path)))
    thread.start()
    thread.join(0.5)
    assert not opened and len(runs) == 1  # Desk.open without background waits for the check
    release.set()
    thread.join(60)
    opened[0].close()


@pytest.mark.parametrize("seed", [5, 6, 7, 8])
def test_a_damaged_file_opened_at_once_is_caught_before_any_write(db_path, seed):
    _filled(db_path, 60)
    location = storage.resolve_location(db_path)
    backup.take_backup(location, "auto", dt.datetime(2026, 5, 4, 16, 40))
    damage_a_page(db_path, seed)
    before = _digest(db_path)
    desk = Desk.open(db_path, background_check=True)  # the cheap checks pass: it opens
    try:
        with pytest.raises(DatabaseDamaged, match="Nothing of this change was saved") as info:
            register.add_recommendation(desk, "Must not land on a damaged file")
        assert "\n" not in str(info.value) and db_path.name in str(info.value)
        assert desk.checking.problem
    finally:
        desk.close()
    assert _digest(db_path) == before
    wal = storage.sidecars(db_path)[0]
    assert not wal.exists() or wal.stat().st_size == 0
    assert storage.damage_mark(db_path).exists()
    with pytest.raises(DatabaseDamaged) as info:
        Desk.open(db_path, background_check=True)  # damage seen: checked before opening
    assert info.value.offer.backup is not None
    assert _digest(db_path) == before


@pytest.mark.parametrize("seed", [21, 22])
def test_damage_the_disk_made_without_changing_the_file_is_caught_within_a_week(db_path, seed):
    """Bit rot: the file's size and time are those recorded; the weekly check finds it."""
    _filled(db_path, 60)
    fold(db_path)
    info = db_path.stat()
    damage_a_page(db_path, seed)
    os.utime(db_path, ns=(info.st_atime_ns, info.st_mtime_ns))
    week_ago = dt.datetime.now(dt.UTC) - storage.CHECK_EVERY - dt.timedelta(minutes=5)
    storage.record_pass(db_path, week_ago)
    record = json.loads(storage.checked_record(db_path).read_text())
    assert record["stamp"] == checking.file_stamp(db_path)
    with pytest.raises(DatabaseDamaged):
        Desk.open(db_path)
    desk = Desk.open(db_path, background_check=True)
    try:
        with pytest.raises(DatabaseDamaged):
            register.add_recommendation(desk, "Must not land")
    finally:
        desk.close()
